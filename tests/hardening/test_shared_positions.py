"""Positions are the chain's, shared between its locations (behaviour 10): a user granted one
of the demo chain's two locations changes only what touches no other location, and sees no
other location in what they read; the check holds when another change races with it.

The sweep of every operation with the other location's ids is in test_security.py.
"""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, error
from tests.databases import run
from tests.hardening import outsider
from tests.sql import in_transaction


def _positions(url: str) -> dict[str, Any]:
    """Every position, its links and its holders, straight from the database."""
    return {"positions": f.fetch(url, "SELECT * FROM positions ORDER BY id"),
            "links": f.fetch(url, "SELECT * FROM position_locations ORDER BY position_id, location_id"),
            "holders": f.fetch(url, "SELECT id, position_id FROM staff ORDER BY id")}


def _positions_at(location: int, rest: str = "") -> str:
    return f"/api/v2/locations/{location}/positions{rest}"


DENIED = (403, error("Access denied."))


def _shared_desk(api) -> str:
    """A position of both demo locations that no team member holds, made by the demo owner."""
    body = {"title": "Shared desk", "salon_ids": [PRAGUE["id"], NEW_YORK["id"]]}
    r = api.post(_positions_at(PRAGUE["id"]), json=body)
    assert r.status_code == 201, r.text
    return r.json()["data"]["id"]


@pytest.mark.parametrize("method, rest, body", [
    ("POST", "", {"title": "Both", "salon_ids": [101, 102]}),      # create for both locations
    ("POST", "", {"title": "Theirs", "salon_ids": [102]}),         # create for the other one alone
    ("PUT", "/1", {"position_id": 1, "title": "Renamed", "salon_ids": [101, 102]}),  # rename a shared one
    ("PUT", "/1", {"position_id": 1, "title": "Senior instructor", "salon_ids": [101]}),  # unlink the other
    ("PUT", "/3", {"position_id": 3, "title": "Front desk", "salon_ids": [101, 102]}),  # link the other
    ("PUT", "/3", {"position_id": 3, "title": "Front desk", "salon_ids": [102]}),  # hand it over
    ("DELETE", "/1", None),                                         # delete a shared one, held at both
    ("DELETE", "/shared", None),                                    # delete a shared one nobody holds
])
def test_a_user_of_one_location_cannot_change_a_position_that_touches_another(api, database_url, method, rest, body):
    shared = _shared_desk(api)
    prague_only = outsider.user_of(database_url, [(PRAGUE["id"], False)])
    before = _positions(database_url)
    r = api.request(method, _positions_at(PRAGUE["id"], rest.replace("shared", shared)), json=body, auth=prague_only)
    assert (r.status_code, r.json()) == DENIED
    assert _positions(database_url) == before


def test_a_position_held_by_another_locations_team_member_is_theirs_too(api, database_url):
    f.execute(database_url, "UPDATE staff SET position_id = 3 WHERE id = $1", NEW_YORK["staff_ids"][2])
    prague_only = outsider.user_of(database_url, [(PRAGUE["id"], False)])
    before = _positions(database_url)
    for method, body in [("PUT", {"position_id": 3, "title": "Renamed", "salon_ids": [101]}), ("DELETE", None)]:
        r = api.request(method, _positions_at(PRAGUE["id"], "/3"), json=body, auth=prague_only)
        assert (r.status_code, r.json()) == DENIED
    assert _positions(database_url) == before


def test_write_access_to_the_other_location_is_needed_read_access_is_not_enough(api, database_url):
    reader = outsider.user_of(database_url, [(PRAGUE["id"], False), (NEW_YORK["id"], True)])
    before = _positions(database_url)
    r = api.put(_positions_at(PRAGUE["id"], "/3"), json={"position_id": 3, "title": "Desk", "salon_ids": [101, 102]},
                auth=reader)
    assert (r.status_code, r.json()) == DENIED
    assert _positions(database_url) == before
    # ...though New York, readable to them, shows in what they read.
    r = api.get(_positions_at(PRAGUE["id"], "/1"), auth=reader)
    assert r.json()["data"]["attributes"]["salon_ids"] == [PRAGUE["id"], NEW_YORK["id"]]


def test_a_user_of_one_location_changes_the_positions_of_that_location_alone(api, database_url):
    prague_only = outsider.user_of(database_url, [(PRAGUE["id"], False)])
    r = api.post(_positions_at(PRAGUE["id"]), json={"title": "Ours", "salon_ids": [101]}, auth=prague_only)
    assert r.status_code == 201, r.text
    new = r.json()["data"]["id"]
    r = api.put(_positions_at(PRAGUE["id"], "/3"), json={"position_id": 3, "title": "Reception", "salon_ids": [101]},
                auth=prague_only)
    assert (r.status_code, r.content) == (204, b"")
    assert api.delete(_positions_at(PRAGUE["id"], f"/{new}"), auth=prague_only).status_code == 204
    assert [(p["id"], p["title"]) for p in _positions(database_url)["positions"]] == [
        (1, "Senior instructor"), (2, "Instructor"), (3, "Reception")]


def test_a_shared_position_lists_only_the_locations_the_reader_may_see(api, database_url):
    prague_only = outsider.user_of(database_url, [(PRAGUE["id"], False)])
    senior = {"chain_id": 1, "title": "Senior instructor", "description": "Leads advanced classes",
              "services_binding_type": "none", "rules_required_fields": [], "only_chain_appointment": False,
              "salon_ids": [PRAGUE["id"]]}
    r = api.get(_positions_at(PRAGUE["id"], "/1"), auth=prague_only)
    assert (r.status_code, r.json()) == (200, {"data": {"type": "position", "id": "1", "attributes": senior},
                                               "meta": {}})
    listed = api.get(_positions_at(PRAGUE["id"]), auth=prague_only).json()["data"]
    assert [(p["id"], p["attributes"]["salon_ids"]) for p in listed] == [("1", [101]), ("2", [101]), ("3", [101])]
    # The demo owner, granted both, still sees both.
    assert api.get(_positions_at(PRAGUE["id"], "/1")).json()["data"]["attributes"]["salon_ids"] == [101, 102]


def _sent_while_held(url: str, statements: list[tuple], send: Any) -> Any:
    """`send()`'s answer, sent while another transaction holds `statements` uncommitted for a
    second: the request must wait for it and see what it wrote (or refuse on it)."""
    holding, answers = threading.Event(), []

    async def hold(conn: Any) -> None:
        for sql, *args in statements:
            await conn.execute(sql, *args)
        holding.set()
        await asyncio.sleep(1)

    def request() -> None:
        holding.wait(10)
        answers.append(send())

    thread = threading.Thread(target=request)
    thread.start()
    run(in_transaction(url, hold))
    thread.join(30)
    return answers[0]


def test_a_position_linked_to_another_location_meanwhile_is_refused_not_unlinked(api, database_url):
    """The check reads the links inside the change's own transaction, after taking the position."""
    prague_only = outsider.user_of(database_url, [(PRAGUE["id"], False)])
    r = _sent_while_held(database_url, [
        ("UPDATE positions SET title = 'Shared desk' WHERE id = 3",),
        ("INSERT INTO position_locations (position_id, location_id) VALUES (3, $1)", NEW_YORK["id"]),
    ], lambda: api.put(_positions_at(PRAGUE["id"], "/3"), auth=prague_only,
                       json={"position_id": 3, "title": "Front desk", "salon_ids": [PRAGUE["id"]]}))
    assert (r.status_code, r.json()) == DENIED
    assert f.fetch(database_url, "SELECT title FROM positions WHERE id = 3") == [{"title": "Shared desk"}]
    assert f.fetch(database_url, "SELECT location_id FROM position_locations WHERE position_id = 3 "
                                 "ORDER BY location_id") == [{"location_id": 101}, {"location_id": 102}]


def test_a_change_racing_with_the_revocation_of_the_other_location_is_refused(api, database_url):
    """The grants the check reads are held to the end of the change: a revocation still open
    when the change starts is waited for, and counts."""
    both = outsider.user_of(database_url, [(PRAGUE["id"], False), (NEW_YORK["id"], False)])
    before = _positions(database_url)
    r = _sent_while_held(database_url, [
        ("DELETE FROM user_locations WHERE location_id = $1 AND user_id = "
         "(SELECT id FROM users WHERE email = 'neighbour@demo.example')", NEW_YORK["id"]),
    ], lambda: api.put(_positions_at(PRAGUE["id"], "/1"), auth=both,
                       json={"position_id": 1, "title": "Renamed", "salon_ids": [PRAGUE["id"], NEW_YORK["id"]]}))
    assert (r.status_code, r.json()) == DENIED
    assert _positions(database_url) == before
