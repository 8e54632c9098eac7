"""Deletes racing what would keep their row in use (behaviour 15.8, 15.9), against one
in-process server driven from threads, on SQLite and PostgreSQL: whoever commits first wins,
and no deleted team member, service or category is left in use."""

from __future__ import annotations

from typing import Any

from tests.concurrency.scenarios import all_at_once
from tests.conftest import PRAGUE
from tests.event_factories import event_body, events_path, run_sql

ROUNDS = 20


def _send(api, method: str, path: str, body: Any = None) -> tuple[int, Any]:
    r = api.request(method, path, json=body, accept=None) if path.startswith("/api/v1") else \
        api.request(method, path, json=body)
    return r.status_code, (r.json() if r.content else None)


def test_a_team_member_deleted_while_events_are_made_with_them_is_never_left_with_one(api, database_url):
    for n in range(ROUNDS):
        status, body = _send(api, "POST", "/api/v1/company/101/staff/quick", {"name": f"Racer {n}"})
        assert status == 201, body
        staff_id = body["data"]["id"]
        day = f"2027-{2 + n // 28:02}-{1 + n % 28:02}"
        # Forced events skip the busy check and its lock: they rely on the shared hold alone.
        make = [("POST", events_path(), event_body(staff_id=staff_id, date=f"{day} {8 + 2 * i:02}:00:00",
                                                  force=bool(i % 2)))
                for i in range(4)]
        answers = all_at_once(lambda m, p, b: _send(api, m, p, b),
                              [("DELETE", f"/api/v1/staff/101/{staff_id}", None), *make])
        deleted, made = answers[0], answers[1:]
        assert deleted[0] in (204, 422) and all(s in (201, 404) for s, _ in made), answers
        live = run_sql(database_url, "SELECT COUNT(*) AS n FROM events WHERE staff_id = $1 AND deleted = FALSE",
                       staff_id)[0]["n"]
        assert live == sum(s == 201 for s, _ in made)
        assert (deleted[0] == 204) == (live == 0), answers


def test_a_category_deleted_while_services_are_put_in_it_is_never_left_holding_one(api, database_url):
    for n in range(ROUNDS):
        status, body = _send(api, "POST", "/api/v1/service_categories/101", {"title": f"Race {n}"})
        assert status == 201, body
        category_id = body["data"]["id"]
        make = [("POST", "/api/v1/services/101", {"title": f"S{n}.{i}", "category_id": category_id})
                for i in range(3)]
        move = ("PUT", f"/api/v1/services/101/{PRAGUE['other_service_ids'][0]}", {"category_id": category_id})
        answers = all_at_once(lambda m, p, b: _send(api, m, p, b),
                              [("DELETE", f"/api/v1/service_category/101/{category_id}", None), *make, move])
        deleted, placed = answers[0], answers[1:]
        assert deleted[0] in (204, 422) and all(s in (200, 201, 404, 422) for s, _ in placed), answers
        holding = run_sql(database_url, "SELECT COUNT(*) AS n FROM services WHERE category_id = $1 "
                          "AND deleted = FALSE", category_id)[0]["n"]
        assert (deleted[0] == 204) == (holding == 0), answers
        run_sql(database_url, "UPDATE services SET category_id = 1011 WHERE id = $1", PRAGUE["other_service_ids"][0])
