"""v2 positions (behaviour 3), under both path spellings, on both databases."""

from __future__ import annotations

import pytest

from altegio_server.positions.service import (ID_MISMATCH, SALON_NOT_IN_CHAIN, SALONS_REQUIRED, STILL_HELD,
                                              TITLE_REQUIRED)
from tests import sql
from tests.conftest import READONLY_AUTH, error

SENIOR = {"chain_id": 1, "title": "Senior instructor", "description": "Leads advanced classes",
          "services_binding_type": "none", "rules_required_fields": [], "only_chain_appointment": False,
          "salon_ids": [101, 102]}
INSTRUCTOR = {**SENIOR, "title": "Instructor", "description": ""}
FRONT_DESK = {**SENIOR, "title": "Front desk", "description": "Greets clients", "salon_ids": [101]}
DEMO = {1: SENIOR, 2: INSTRUCTOR, 3: FRONT_DESK}
MISSING = "This field is missing."


def position(pid: int, attributes: dict | None = None) -> dict:
    return {"type": "position", "id": str(pid), "attributes": attributes or DEMO[pid]}


def page(items: list[dict], total: int, limit: int = 100, offset: int = 0) -> dict:
    return {"data": items, "meta": {"pagination": {"total": total, "limit": limit, "offset": offset}}}


@pytest.fixture(params=["companies", "locations"])
def at(request):
    """The positions URL of a location, in the seed spelling or the current one."""
    return lambda location=101, rest="": f"/api/v2/{request.param}/{location}/positions{rest}"


def listed(api, at, location=101) -> dict:
    return api.get(at(location) + "?limit=1000").json()


# --- list ---------------------------------------------------------------------------------------

def test_list_shows_the_positions_linked_to_the_location(api, at):
    r = api.get(at(101))
    assert r.status_code == 200
    assert r.json() == page([position(1), position(2), position(3)], 3)


def test_list_leaves_out_positions_not_linked_to_the_location(api, at):
    assert api.get(at(102)).json() == page([position(1), position(2)], 2)


@pytest.mark.parametrize("query, ids, limit, offset", [
    ("limit=1", [1], 1, 0),
    ("limit=1&offset=1", [2], 1, 1),
    ("limit=2&offset=2", [3], 2, 2),
    ("offset=3", [], 100, 3),
    ("limit=0", [], 0, 0),
    ("limit=1000&offset=0", [1, 2, 3], 1000, 0),
    ("limit=&offset=", [1, 2, 3], 100, 0),
])
def test_list_pages_and_counts_every_match(api, at, query, ids, limit, offset):
    r = api.get(at(101) + "?" + query)
    assert r.status_code == 200
    assert r.json() == page([position(i) for i in ids], 3, limit, offset)


NOT_INT = "This value should be a non-negative integer."


def test_a_bad_limit_or_offset_is_400_with_field_errors(api, at):
    for query, errors in [
        ("limit=-1", {"limit": [NOT_INT]}),
        ("limit=abc", {"limit": [NOT_INT]}),
        ("limit=1.5", {"limit": [NOT_INT]}),
        ("limit=1001", {"limit": ["This value should be less than or equal to 1000."]}),
        ("limit=" + "1" + "0" * 30, {"limit": [NOT_INT]}),
        ("offset=-5", {"offset": [NOT_INT]}),
        ("offset=1e3", {"offset": [NOT_INT]}),
        ("offset=" + "9" * 20, {"offset": [NOT_INT]}),
        ("limit=x&offset=y", {"limit": [NOT_INT], "offset": [NOT_INT]}),
    ]:
        r = api.get(at(101) + "?" + query)
        assert (r.status_code, r.json()) == (400, error(next(iter(errors.values()))[0], errors)), query


# --- get ----------------------------------------------------------------------------------------

def test_get_returns_the_position_with_an_object_meta(api, at):
    r = api.get(at(101, "/3"))
    assert r.status_code == 200
    assert r.json() == {"data": position(3), "meta": {}}


def test_get_of_a_position_shared_by_two_locations_works_at_both(api, at):
    assert api.get(at(101, "/1")).json() == api.get(at(102, "/1")).json() == {"data": position(1), "meta": {}}


@pytest.mark.parametrize("location, pid", [(102, 3), (101, 4), (101, 0), (101, 10**30), (102, 9223372036854775807)])
def test_get_of_a_position_not_visible_at_the_location_is_404(api, at, location, pid):
    r = api.get(at(location, f"/{pid}"))
    assert r.status_code == 404
    assert r.json() == error("Not found")


# --- create -------------------------------------------------------------------------------------

def test_create_answers_201_with_the_new_position(api, at):
    r = api.post(at(101), {"title": "Coach", "description": "Runs the gym floor", "salon_ids": [101, 102]})
    assert r.status_code == 201
    body = r.json()
    new_id = int(body["data"]["id"])
    assert new_id > 3
    created = {**SENIOR, "title": "Coach", "description": "Runs the gym floor"}
    assert body == {"data": position(new_id, created), "meta": {}}
    assert api.get(at(101, f"/{new_id}")).json() == {"data": position(new_id, created), "meta": {}}
    assert api.get(at(102, f"/{new_id}")).json()["data"] == position(new_id, created)


def test_create_takes_the_optional_attributes(api, at):
    r = api.post(at(101), {"title": "Coach", "salon_ids": [101], "services_binding_type": "required",
                           "rules_required_fields": ["phone", "email"], "only_chain_appointment": True})
    assert r.status_code == 201
    assert r.json()["data"]["attributes"] == {
        "chain_id": 1, "title": "Coach", "description": "", "services_binding_type": "required",
        "rules_required_fields": ["phone", "email"], "only_chain_appointment": True, "salon_ids": [101]}


def test_create_with_a_null_description_stores_an_empty_one(api, at):
    r = api.post(at(101), {"title": "Coach", "description": None, "salon_ids": [101]})
    assert r.status_code == 201
    assert r.json()["data"]["attributes"]["description"] == ""


def test_create_folds_repeated_salons(api, at):
    r = api.post(at(101), {"title": "Coach", "salon_ids": [102, 101, 102]})
    assert r.status_code == 201
    assert r.json()["data"]["attributes"]["salon_ids"] == [101, 102]


def test_a_position_created_for_other_locations_only_is_invisible_here(api, at):
    r = api.post(at(101), {"title": "Coach", "salon_ids": [102]})
    assert r.status_code == 201
    new_id = r.json()["data"]["id"]
    assert [p["id"] for p in listed(api, at, 101)["data"]] == ["1", "2", "3"]
    assert [p["id"] for p in listed(api, at, 102)["data"]] == ["1", "2", new_id]
    assert api.get(at(101, f"/{new_id}")).status_code == 404


@pytest.mark.parametrize("body, errors", [
    ({}, {"title": [TITLE_REQUIRED], "salon_ids": [SALONS_REQUIRED]}),
    ({"salon_ids": [101]}, {"title": [TITLE_REQUIRED]}),
    ({"title": "", "salon_ids": [101]}, {"title": [TITLE_REQUIRED]}),
    ({"title": "   ", "salon_ids": [101]}, {"title": [TITLE_REQUIRED]}),
    ({"title": None, "salon_ids": [101]}, {"title": [TITLE_REQUIRED]}),
    ({"title": 7, "salon_ids": [101]}, {"title": ["This value should be of type string."]}),
    ({"title": "x" * 256, "salon_ids": [101]},
     {"title": ["This value is too long. It should have 255 characters or less."]}),
    ({"title": "Coach"}, {"salon_ids": [SALONS_REQUIRED]}),
    ({"title": "Coach", "salon_ids": []}, {"salon_ids": [SALONS_REQUIRED]}),
    ({"title": "Coach", "salon_ids": None}, {"salon_ids": [SALONS_REQUIRED]}),
    ({"title": "Coach", "salon_ids": 101}, {"salon_ids": ["This value should be of type array."]}),
    ({"title": "Coach", "salon_ids": [999]}, {"salon_ids.0": [SALON_NOT_IN_CHAIN]}),
    ({"title": "Coach", "salon_ids": [101, 101, 999]}, {"salon_ids.2": [SALON_NOT_IN_CHAIN]}),
    ({"title": "Coach", "salon_ids": ["101"]}, {"salon_ids.0": ["This value should be of type integer."]}),
    ({"title": "Coach", "salon_ids": [0]}, {"salon_ids.0": ["This value should be greater than or equal to 1."]}),
    ({"title": "Coach", "salon_ids": [10**30]}, {"salon_ids.0": ["This value should be of type integer."]}),
    ({"title": "Coach", "salon_ids": [2**63]},
     {"salon_ids.0": ["This value should be less than or equal to 9223372036854775807."]}),
    ({"title": "Coach", "salon_ids": [101], "description": 5},
     {"description": ["This value should be of type string."]}),
    ({"title": "Coach", "salon_ids": [101], "services_binding_type": "always"},
     {"services_binding_type": ["The value you selected is not a valid choice."]}),
    ({"title": "Coach", "salon_ids": [101], "only_chain_appointment": "yes"},
     {"only_chain_appointment": ["This value should be of type bool."]}),
    ({"title": "Coach", "salon_ids": [101], "chain_id": 1}, {"chain_id": ["This field was not expected."]}),
])
def test_create_with_bad_fields_is_422_and_creates_nothing(api, at, body, errors):
    r = api.post(at(101), body)
    assert r.status_code == 422
    assert r.json() == error(next(iter(errors.values()))[0], errors)
    assert listed(api, at)["meta"]["pagination"]["total"] == 3


def test_create_refuses_a_location_of_another_chain(api, at, database_url):
    sql.execute(database_url, "INSERT INTO chains (id, title) VALUES (2, 'Other chain')",
                "INSERT INTO locations (id, chain_id, title, timezone) VALUES (201, 2, 'Elsewhere', 'UTC')")
    r = api.post(at(101), {"title": "Coach", "salon_ids": [101, 201]})
    assert r.status_code == 422
    assert r.json() == error(SALON_NOT_IN_CHAIN, {"salon_ids.1": [SALON_NOT_IN_CHAIN]})


# --- update -------------------------------------------------------------------------------------

def test_update_answers_204_and_replaces_the_position(api, at):
    r = api.put(at(101, "/3"), {"position_id": 3, "title": "Reception", "salon_ids": [101, 102]})
    assert r.status_code == 204
    assert r.content == b""
    replaced = {**SENIOR, "title": "Reception", "description": ""}
    assert api.get(at(102, "/3")).json() == {"data": position(3, replaced), "meta": {}}


def test_update_can_move_a_position_away_from_the_location(api, at):
    assert api.put(at(101, "/3"), {"position_id": 3, "title": "Front desk", "salon_ids": [102]}).status_code == 204
    assert api.get(at(101, "/3")).status_code == 404
    assert api.get(at(102, "/3")).json()["data"]["attributes"]["salon_ids"] == [102]


@pytest.mark.parametrize("body, errors", [
    ({"title": "Reception", "salon_ids": [101]}, {"position_id": [MISSING]}),
    ({"position_id": 2, "title": "Reception", "salon_ids": [101]}, {"position_id": [ID_MISMATCH]}),
    ({"position_id": "3", "title": "Reception", "salon_ids": [101]},
     {"position_id": ["This value should be of type integer."]}),
    ({"position_id": 3, "salon_ids": [101]}, {"title": [TITLE_REQUIRED]}),
    ({"position_id": 3, "title": "Reception"}, {"salon_ids": [SALONS_REQUIRED]}),
    ({"position_id": 3, "title": "Reception", "salon_ids": []}, {"salon_ids": [SALONS_REQUIRED]}),
    ({"position_id": 3, "title": "Reception", "salon_ids": [101, 555]}, {"salon_ids.1": [SALON_NOT_IN_CHAIN]}),
])
def test_update_with_bad_fields_is_422_and_changes_nothing(api, at, body, errors):
    r = api.put(at(101, "/3"), body)
    assert r.status_code == 422
    assert r.json() == error(next(iter(errors.values()))[0], errors)
    assert api.get(at(101, "/3")).json() == {"data": position(3), "meta": {}}


@pytest.mark.parametrize("location, pid", [(102, 3), (101, 99), (101, 10**30)])
def test_update_of_a_position_not_visible_at_the_location_is_404(api, at, location, pid):
    r = api.put(at(location, f"/{pid}"), {"position_id": pid, "title": "Reception", "salon_ids": [101, 102]})
    assert r.status_code == 404
    assert r.json() == error("Not found")
    assert api.get(at(101, "/3")).json() == {"data": position(3), "meta": {}}


# --- delete -------------------------------------------------------------------------------------

def test_delete_answers_204_and_the_position_is_gone(api, at):
    r = api.delete(at(101, "/3"))
    assert r.status_code == 204
    assert r.content == b""
    assert api.get(at(101, "/3")).status_code == 404
    assert listed(api, at) == page([position(1), position(2)], 2, 1000)
    r = api.delete(at(101, "/3"))
    assert r.status_code == 404
    assert r.json() == error("Not found")


@pytest.mark.parametrize("pid", [1, 2])
def test_delete_of_a_position_a_team_member_holds_is_422(api, at, pid):
    r = api.delete(at(101, f"/{pid}"))
    assert r.status_code == 422
    assert r.json() == error(STILL_HELD, {"position_id": [STILL_HELD]})
    assert api.get(at(101, f"/{pid}")).json() == {"data": position(pid), "meta": {}}


def test_a_position_held_only_by_a_deleted_team_member_can_be_deleted(api, at, database_url):
    sql.execute(database_url, "UPDATE staff SET position_id = NULL WHERE position_id = 2 AND id <> 1002",
                "UPDATE staff SET deleted = TRUE WHERE id = 1002")
    assert api.delete(at(101, "/2")).status_code == 204
    assert sql.value(database_url, "SELECT COUNT(*) FROM staff WHERE position_id = 2") == 0


@pytest.mark.parametrize("location, pid", [(102, 3), (101, 99), (101, 10**30)])
def test_delete_of_a_position_not_visible_at_the_location_is_404(api, at, location, pid):
    r = api.delete(at(location, f"/{pid}"))
    assert r.status_code == 404
    assert r.json() == error("Not found")
    assert listed(api, at)["meta"]["pagination"]["total"] == 3


# --- the location in the path ---------------------------------------------------------------------

@pytest.mark.parametrize("method, rest, body", [
    ("GET", "", None), ("POST", "", {"title": "Coach", "salon_ids": [101]}), ("GET", "/1", None),
    ("PUT", "/1", {"position_id": 1, "title": "Coach", "salon_ids": [101]}), ("DELETE", "/3", None),
])
def test_every_operation_at_an_unknown_location_is_404(api, at, method, rest, body):
    r = api.request(method, at(999, rest), json=body)
    assert r.status_code == 404
    assert r.json() == error("Not found")


@pytest.mark.parametrize("method, rest, body", [
    ("GET", "", None), ("POST", "", {"title": "Coach", "salon_ids": [101]}), ("GET", "/1", None),
    ("PUT", "/1", {"position_id": 1, "title": "Coach", "salon_ids": [101]}), ("DELETE", "/3", None),
])
def test_every_operation_at_a_location_without_access_is_403(api, at, database_url, method, rest, body):
    sql.execute(database_url, "INSERT INTO locations (id, chain_id, title, timezone) VALUES (103, 1, 'New', 'UTC')")
    r = api.request(method, at(103, rest), json=body)
    assert r.status_code == 403
    assert r.json() == error("Access denied.")
    assert listed(api, at) == page([position(1), position(2), position(3)], 3, 1000)


def test_a_read_only_user_reads_but_cannot_write(api, at):
    assert api.get(at(101), auth=READONLY_AUTH).json() == page([position(1), position(2), position(3)], 3)
    assert api.get(at(101, "/1"), auth=READONLY_AUTH).status_code == 200
    for method, rest, body in [("POST", "", {"title": "Coach", "salon_ids": [101]}),
                               ("PUT", "/3", {"position_id": 3, "title": "Coach", "salon_ids": [101]}),
                               ("DELETE", "/3", None)]:
        r = api.request(method, at(101, rest), json=body, auth=READONLY_AUTH)
        assert r.status_code == 403
        assert r.json() == error("Access denied.")
    assert listed(api, at) == page([position(1), position(2), position(3)], 3, 1000)
