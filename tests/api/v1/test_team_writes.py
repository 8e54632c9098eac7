"""v1 writes of team members and the deletion of service categories (behaviour 15.6, 15.8,
15.9), through HTTP, whole bodies compared, on both databases."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f
from tests.api.v1.test_team import EVA, GROUP_CLASSES, JAN, PERSONAL_CATEGORY, TOMAS, get, listed, member, one
from tests.conftest import NEW_YORK, READONLY_AUTH, error
from tests.event_factories import run_sql

QUICK = "/api/v1/company/{}/staff/quick"
STAFF_IN_USE = "The team member has upcoming events and cannot be deleted"
CATEGORY_IN_USE = "The service category has services and cannot be deleted"
BLANK = "This value should not be blank."


def send(api, method: str, path: str, body: Any = None, **kw: Any):
    return api.request(method, path, json=body, accept=None, **kw)


def staff_rows(database_url: str) -> list[dict[str, Any]]:
    rows = run_sql(database_url, "SELECT id, name, specialization, position_id, deleted FROM staff ORDER BY id")
    return [dict(r, deleted=bool(r["deleted"])) for r in rows]


def new_member(staff_id: int, name: str, specialization: str = "", position: dict | None = None,
               location_id: int = 101) -> dict:
    return {**member(staff_id, name, specialization, location_id=location_id), "position": position or {}}


def test_a_quick_created_team_member_is_answered_201_whole_and_listed(api):
    body = {"name": "Olga Kral", "specialization": "Barre coach", "position_id": 3, "phone_number": 420601000000,
            "user_email": "olga@example.com", "user_phone": 420601000000, "is_user_invite": False, "weight": 9}
    r = send(api, "POST", QUICK.format(101), body)
    staff_id = r.json()["data"]["id"]
    olga = new_member(staff_id, "Olga Kral", "Barre coach", {"id": 3, "title": "Front desk"})
    assert (r.status_code, r.json()) == (201, {"success": True, "data": olga, "meta": []})
    assert get(api, f"/api/v1/company/101/staff/{staff_id}").json() == one(olga)
    assert get(api, "/api/v1/company/101/staff").json() == listed([EVA, TOMAS, JAN, olga])


@pytest.mark.parametrize("position_id", [0, None])
def test_a_team_member_without_a_position_shows_an_empty_one(api, position_id):
    r = send(api, "POST", QUICK.format(101), {"name": "Petr", "position_id": position_id})
    assert (r.status_code, r.json()["data"]) == (201, new_member(r.json()["data"]["id"], "Petr"))


@pytest.mark.parametrize("body, errors", [
    ({}, {"name": ["This field is missing."]}),
    ({"name": "   "}, {"name": [BLANK]}),
    ({"name": None}, {"name": ["This value should not be null."]}),
    ({"name": "x" * 256}, {"name": ["This value is too long. It should have 255 characters or less."]}),
    ({"name": "N", "specialization": 5}, {"specialization": ["This value should be of type string."]}),
    ({"name": "N", "position_id": "1"}, {"position_id": ["This value should be of type integer."]}),
])
def test_a_bad_team_member_body_is_422_and_nothing_is_made(api, database_url, body, errors):
    before = staff_rows(database_url)
    r = send(api, "POST", QUICK.format(101), body)
    assert (r.status_code, r.json()) == (422, error(next(iter(errors.values()))[0], errors))
    assert staff_rows(database_url) == before


@pytest.mark.parametrize("location_id, staff_id, position_id", [
    (NEW_YORK["id"], 2001, 3),  # Prague's front desk: a position of the chain, not linked to New York
    (101, 1001, 999999),
])
def test_a_position_not_linked_to_the_location_is_404_and_nothing_changes(api, database_url, location_id,
                                                                           staff_id, position_id):
    before = staff_rows(database_url)
    r = send(api, "POST", QUICK.format(location_id), {"name": "Ann", "position_id": position_id})
    assert (r.status_code, r.json()) == (404, error("Not found"))
    r = send(api, "PUT", f"/api/v1/staff/{location_id}/{staff_id}", {"name": "Ann", "position_id": position_id})
    assert (r.status_code, r.json()) == (404, error("Not found"))
    assert staff_rows(database_url) == before


def test_a_team_member_is_changed_field_by_field_and_the_rest_kept(api):
    r = send(api, "PUT", "/api/v1/staff/101/1003", {"name": "Jan Svoboda Jr.", "position_id": 1, "fired": 1,
                                                    "weight": 5, "information": "<b>x</b>"})
    changed = {**JAN, "name": "Jan Svoboda Jr.", "position": {"id": 1, "title": "Senior instructor"}}
    assert (r.status_code, r.json()) == (200, one(changed))
    r = send(api, "PUT", "/api/v1/staff/101/1003", {"specialization": "Tennis coach", "position_id": 0})
    assert r.json() == one({**changed, "specialization": "Tennis coach", "position": {}})
    assert get(api, "/api/v1/company/101/staff/1003").json() == one({**changed, "specialization": "Tennis coach",
                                                                       "position": {}})


def test_changing_a_team_member_needs_a_valid_body(api, database_url):
    before = staff_rows(database_url)
    r = send(api, "PUT", "/api/v1/staff/101/1003", {"name": ""})
    assert (r.status_code, r.json()) == (422, error(BLANK, {"name": [BLANK]}))
    r = send(api, "PUT", "/api/v1/staff/101/1003", [1])
    body_error = "This value should be of type object."
    assert (r.status_code, r.json()) == (422, error(body_error, {"body": [body_error]}))
    assert staff_rows(database_url) == before


def test_a_deleted_team_member_is_gone_from_every_answer_and_cannot_be_changed(api, database_url):
    r = send(api, "DELETE", "/api/v1/staff/101/1003")
    assert (r.status_code, r.content) == (204, b"")
    assert get(api, "/api/v1/company/101/staff").json() == listed([EVA, TOMAS])
    for method, body in (("DELETE", None), ("PUT", {"name": "Back"})):
        r = send(api, method, "/api/v1/staff/101/1003", body)
        assert (r.status_code, r.json()) == (404, error("Not found"))
    assert [r for r in staff_rows(database_url) if r["id"] == 1003] == [
        {"id": 1003, "name": "Jan Svoboda", "specialization": "Padel coach", "position_id": None, "deleted": True}]


def test_a_team_member_with_an_event_to_come_is_kept_until_it_has_ended(api, database_url):
    event = f.make_event(database_url, staff_id=1003, service_id=1023)  # tomorrow
    r = send(api, "DELETE", "/api/v1/staff/101/1003")
    assert (r.status_code, r.json()) == (422, error(STAFF_IN_USE))
    assert get(api, "/api/v1/company/101/staff/1003").json() == one(JAN)
    run_sql(database_url, "UPDATE events SET start_ts = start_ts - 3 * 86400, end_ts = end_ts - 3 * 86400")
    f.make_event(database_url, staff_id=1003, service_id=1023, deleted=True)  # a deleted event does not count
    assert send(api, "DELETE", "/api/v1/staff/101/1003").status_code == 204
    past = get(api, f"/api/v1/activity/101/{event}").json()["data"]
    assert past["staff"] == {k: v for k, v in JAN.items()
                             if k not in ("information", "hidden", "fired", "status", "weight")}


def test_an_empty_category_is_deleted_and_no_longer_found(api):
    made = send(api, "POST", "/api/v1/service_categories/101", {"title": "Outdoor"}).json()["data"]["id"]
    r = send(api, "DELETE", f"/api/v1/service_category/101/{made}")
    assert (r.status_code, r.content) == (204, b"")
    for method, body in (("GET", None), ("PUT", {"title": "Again"}), ("DELETE", None)):
        r = send(api, method, f"/api/v1/service_category/101/{made}", body)
        assert (r.status_code, r.json()) == (404, error("Not found"))
    r = get(api, "/api/v1/company/101/service_categories")
    assert r.json() == {"success": True, "data": [GROUP_CLASSES, PERSONAL_CATEGORY], "meta": {"total_count": 2}}


def test_a_category_with_a_live_service_is_refused_and_kept(api):
    r = send(api, "DELETE", "/api/v1/service_category/101/1011")
    assert (r.status_code, r.json()) == (422, error(CATEGORY_IN_USE))
    assert get(api, "/api/v1/service_category/101/1011").json() == one(PERSONAL_CATEGORY)


def test_a_category_whose_services_are_deleted_goes_and_past_events_keep_its_title(api, database_url):
    event = f.make_event(database_url, service_id=1021, start=f.NOW_TS - 2 * f.DAY)
    for service_id in (1021, 1022, 1023):
        assert send(api, "DELETE", f"/api/v1/services/101/{service_id}").status_code == 204
    assert send(api, "DELETE", "/api/v1/service_category/101/1010").status_code == 204
    category = get(api, f"/api/v1/activity/101/{event}").json()["data"]["service"]["category"]
    assert (category["id"], category["title"]) == (1010, "Group classes")
    r = send(api, "POST", "/api/v1/services/101", {"title": "Yoga again", "category_id": 1010})
    assert (r.status_code, r.json()) == (404, error("Not found"))


WRITES = [
    ("POST", QUICK.format(101), {"name": "N"}),
    ("PUT", "/api/v1/staff/101/1001", {"name": "N"}),
    ("DELETE", "/api/v1/staff/101/1003", None),
    ("POST", "/api/v1/services/101", {"title": "T"}),
    ("PUT", "/api/v1/services/101/1024", {"title": "T"}),
    ("DELETE", "/api/v1/services/101/1024", None),
    ("DELETE", "/api/v1/service_category/101/1011", None),
]


@pytest.mark.parametrize("method, path, body", WRITES)
def test_a_read_only_user_gets_403_and_nothing_changes(api, database_url, method, path, body):
    before = (staff_rows(database_url), run_sql(database_url, "SELECT * FROM services ORDER BY id"),
              run_sql(database_url, "SELECT * FROM service_categories ORDER BY id"))
    r = send(api, method, path, body, auth=READONLY_AUTH)
    assert (r.status_code, r.json()) == (403, error("Access denied."))
    assert (staff_rows(database_url), run_sql(database_url, "SELECT * FROM services ORDER BY id"),
            run_sql(database_url, "SELECT * FROM service_categories ORDER BY id")) == before


@pytest.mark.parametrize("method, path, body", [
    ("PUT", "/api/v1/staff/101/2001", {"name": "Taken"}), ("DELETE", "/api/v1/staff/101/2001", None),
    ("PUT", "/api/v1/staff/101/999999", {"name": "Taken"}), ("DELETE", "/api/v1/staff/101/999999", None),
    ("PUT", "/api/v1/services/101/2021", {"title": "Taken"}), ("DELETE", "/api/v1/services/101/2021", None),
    ("DELETE", "/api/v1/service_category/101/2010", None), ("DELETE", "/api/v1/service_category/101/999999", None),
    ("POST", QUICK.format(999), {"name": "N"}), ("POST", "/api/v1/services/999", {"title": "T"}),
])
def test_another_locations_id_in_the_path_is_404_and_it_is_untouched(api, database_url, method, path, body):
    before = (staff_rows(database_url), run_sql(database_url, "SELECT * FROM services ORDER BY id"))
    r = send(api, method, path, body)
    assert (r.status_code, r.json()) == (404, error("Not found"))
    assert (staff_rows(database_url), run_sql(database_url, "SELECT * FROM services ORDER BY id")) == before
