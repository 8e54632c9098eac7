"""The browsing queries of v1 (dates, date range, filters) read events through a start index on
both databases, like the search itself (see docs/query-plans.md)."""

from __future__ import annotations

import pytest

from altegio_server.events import browse_repository as browse
from altegio_server.events.models import EventQuery
from altegio_server.events.rules import local_days
from tests.api.v2.test_activities_query_plans import WEEK_FROM, WEEK_TO, fill, plan
from tests.event_factories import run_sql

START_INDEXES = ("events_by_location_start", "events_by_staff_start")
FOREVER = 2**62


@pytest.fixture
def filled(database_url: str) -> str:
    """40,000 events, each in a room of its location, analysed."""
    fill(database_url, 40_000)
    run_sql(database_url, "INSERT INTO event_resource_instances (event_id, resource_instance_id) "
                          "SELECT id, CASE WHEN location_id = 101 THEN 1041 + id % 3 ELSE 2041 END FROM events")
    run_sql(database_url, "ANALYZE")
    return database_url


def statements(f: EventQuery) -> dict:
    spans = [(start, end) for _, start, end in local_days("2027-01-15", 200, "Europe/Prague")]
    return browse.statements(101, f, spans)


def assert_start_index_only(text: str) -> None:
    assert any(index in text for index in START_INDEXES), text
    assert "Seq Scan on events" not in text and "SCAN e\n" not in text + "\n", text


@pytest.mark.parametrize("filters", [{}, {"staff_ids": (1001,)}, {"service_ids": (1021,)}, {"resource_ids": (1031,)}])
def test_every_browsing_query_of_a_week_reads_a_start_index(filled, filters):
    for _name, (sql, args) in statements(EventQuery(WEEK_FROM, WEEK_TO, **filters)).items():
        assert_start_index_only(plan(filled, sql, args))


# Not with a resource filter: when one room holds a third of all the location's events, as
# here, PostgreSQL may rightly prefer hashing the room's events to walking the start index
# over an unbounded period.
@pytest.mark.parametrize("filters", [{}, {"staff_ids": (1001,)}])
def test_the_first_and_last_start_from_today_on_walk_the_index_from_its_ends(filled, filters):
    found = statements(EventQuery(WEEK_FROM, FOREVER, **filters))
    for name in ("first_start", "bounds", "spans"):
        assert_start_index_only(plan(filled, *found[name]))
