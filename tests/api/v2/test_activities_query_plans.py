"""The event queries use their indexes on both databases (see docs/query-plans.md).

The tables are filled with enough events that a planner would rather scan everything if the
index did not fit, then the statements the server runs are EXPLAINed.
"""

from __future__ import annotations

from typing import Any

import pytest

from altegio_server.events import repository as repo
from altegio_server.events.models import EventQuery
from tests.event_factories import run_sql

START = 1798761600  # 2027-01-01 00:00 UTC
WEEK_FROM, WEEK_TO = 1800000000, 1800000000 + 7 * 86400

# Events every 15 minutes alternating between the two demo locations, one in fifty deleted.
FILL = """
INSERT INTO events (location_id, staff_id, service_id, start_ts, end_ts, length, technical_break, capacity,
                    comment, deleted, created_at, updated_at)
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $1)
SELECT CASE WHEN i % 2 = 0 THEN 101 ELSE 102 END,
       CASE WHEN i % 2 = 0 THEN 1001 + i % 3 ELSE 2001 + i % 3 END,
       CASE WHEN i % 2 = 0 THEN 1021 ELSE 2021 END,
       CAST($2 AS BIGINT) + CAST(i AS BIGINT) * 900, CAST($2 AS BIGINT) + CAST(i AS BIGINT) * 900 + 3600,
       3600, 0, 10, 'Event number ' || CAST(i AS TEXT), i % 50 = 0, 0, 0
FROM n
"""


def fill(database_url: str, count: int) -> None:
    run_sql(database_url, FILL, count, START)
    run_sql(database_url, "ANALYZE events" if database_url.startswith("postgresql") else "ANALYZE")


def plan(database_url: str, sql: str, args: list[Any]) -> str:
    """The plan as text: PostgreSQL's EXPLAIN lines or SQLite's EXPLAIN QUERY PLAN details."""
    if database_url.startswith("postgresql"):
        return "\n".join(r["QUERY PLAN"] for r in run_sql(database_url, "EXPLAIN " + sql, *args))
    return "\n".join(r["detail"] for r in run_sql(database_url, "EXPLAIN QUERY PLAN " + sql, *args))


@pytest.fixture
def filled(database_url: str) -> str:
    fill(database_url, 40_000)
    return database_url


@pytest.mark.parametrize("filters", [{}, {"service_ids": (1021,)}, {"min_free_seats": 3, "search": "yoga"}])
def test_the_week_list_and_its_count_use_the_location_start_index(filled, filters):
    f = EventQuery(WEEK_FROM, WEEK_TO, **filters)
    for sql, args in repo.search_statements(101, f):
        text = plan(filled, sql, args)
        assert "events_by_location_start" in text, text
        assert "Seq Scan on events" not in text and "SCAN e\n" not in text + "\n", text
        # SQLite walks the index in the answer's order; PostgreSQL may sort a few hundred rows instead.
        assert "TEMP B-TREE" not in text, text


def test_a_team_member_filter_may_use_either_start_index(filled):
    f = EventQuery(WEEK_FROM, WEEK_TO, staff_ids=(1001, 1002), service_ids=(1021,))
    for sql, args in repo.search_statements(101, f):
        text = plan(filled, sql, args)
        assert "events_by_location_start" in text or "events_by_staff_start" in text, text
        assert "Seq Scan on events" not in text and "SCAN e\n" not in text + "\n", text


def test_the_busy_check_of_a_team_member_uses_the_staff_start_index(filled):
    start = WEEK_FROM
    text = plan(filled, repo.STAFF_BUSY, [1001, start + 3600, start - 86400, start, 0])
    assert "events_by_staff_start" in text, text


def test_reading_one_event_finds_it_by_its_primary_key(filled):
    # The joined locations and services are a handful of rows here: scanning them is a fair plan.
    text = plan(filled, repo.GET_ONE, [12345, 101])
    assert "Seq Scan on events" not in text and "SCAN e\n" not in text + "\n", text
    assert "events_pkey" in text or "USING INTEGER PRIMARY KEY" in text, text
