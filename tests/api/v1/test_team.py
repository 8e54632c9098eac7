"""v1 team members, services, service categories and resources (behaviour 15): every id an
event needs, read at the vendor's paths, whole bodies compared."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import AUTH, READONLY_AUTH, error
from tests.event_factories import run_sql

NOT_INT = "This value should be a non-negative integer."
POSITIONS = {1: "Senior instructor", 2: "Instructor"}


def get(api, path: str, **kw: Any):
    return api.get(path, accept=None, **kw)


def listed(items: list[dict]) -> dict:
    return {"success": True, "data": items, "meta": {"count": len(items)}}


def categories(items: list[dict]) -> dict:
    return {"success": True, "data": items, "meta": {"total_count": len(items)}}


def one(item: dict) -> dict:
    return {"success": True, "data": item, "meta": []}


def member(staff_id: int, name: str, specialization: str, position_id: int | None = None,
           location_id: int = 101) -> dict:
    return {
        "id": staff_id, "name": name, "company_id": location_id, "specialization": specialization, "api_id": "",
        "rating": 0, "prepaid": "forbidden", "show_rating": 0, "comments_count": 0, "votes_count": 0,
        "average_score": 0, "avatar": "", "avatar_big": "", "user_id": 0,
        "position": {"id": position_id, "title": POSITIONS[position_id]} if position_id else {},
        "information": "", "hidden": 0, "fired": 0, "status": 0, "weight": 0,
    }


EVA = member(1001, "Eva Dvorakova", "Yoga instructor", 1)
TOMAS = member(1002, "Tomas Novak", "Pilates coach", 2)
JAN = member(1003, "Jan Svoboda", "Padel coach")


def offered(service_id: int, title: str, category_id: int, prices: tuple[int, int], is_multi: bool, capacity: int,
            duration: int, staff: list[int], resources: list[int]) -> dict:
    return {
        "id": service_id, "salon_service_id": service_id, "title": title, "category_id": category_id,
        "price_min": prices[0], "price_max": prices[1], "discount": 0, "comment": "", "weight": 0, "active": 1,
        "api_id": "", "prepaid": "forbidden", "is_multi": is_multi, "capacity": capacity, "duration": duration,
        "image_url": "", "staff": [{"id": s, "seance_length": duration} for s in staff], "resources": resources,
    }


YOGA = offered(1021, "Morning yoga", 1010, (15, 20), True, 12, 3600, [1001, 1002], [1031])
PILATES = offered(1022, "Pilates mat class", 1010, (18, 18), True, 8, 2700, [1001, 1002], [1031])
PADEL = offered(1023, "Padel clinic", 1010, (40, 55), True, 4, 5400, [1003], [1032])
PERSONAL = offered(1024, "Personal training", 1011, (50, 70), False, 1, 3600, [1001, 1002, 1003], [])

GROUP_CLASSES = {"id": 1010, "salon_service_id": 1010, "title": "Group classes", "api_id": "", "weight": 0,
                 "is_chain": False, "staff": [1001, 1002, 1003]}
PERSONAL_CATEGORY = {"id": 1011, "salon_service_id": 1011, "title": "Personal", "api_id": "", "weight": 0,
                     "is_chain": False, "staff": [1001, 1002, 1003]}

RESOURCES = [
    {"id": 1031, "title": "Studio room", "salon_id": 101,
     "instances": [{"id": 1041, "title": "Room A", "resource_id": 1031},
                   {"id": 1042, "title": "Room B", "resource_id": 1031}]},
    {"id": 1032, "title": "Padel court", "salon_id": 101,
     "instances": [{"id": 1043, "title": "Court 1", "resource_id": 1032}]},
]


def test_the_team_is_listed_by_id_with_every_field(api):
    r = get(api, "/api/v1/company/101/staff/")
    assert (r.status_code, r.json()) == (200, listed([EVA, TOMAS, JAN]))


def test_a_team_member_is_answered_alone_and_the_nested_event_shape_agrees(api):
    r = get(api, "/api/v1/company/101/staff/1003")
    assert (r.status_code, r.json()) == (200, one(JAN))
    assert get(api, "/api/v1/company/102/staff/2001").json() == one(
        member(2001, "Maria Lopez", "Yoga instructor", 1, location_id=102))


def test_a_deleted_team_member_is_left_out_everywhere(api, database_url):
    run_sql(database_url, "UPDATE staff SET deleted = TRUE WHERE id = 1003")
    assert get(api, "/api/v1/company/101/staff").json() == listed([EVA, TOMAS])
    r = get(api, "/api/v1/company/101/staff/1003")
    assert (r.status_code, r.json()) == (404, error("Not found"))
    assert get(api, "/api/v1/company/101/services/1024").json()["data"]["staff"] == [
        {"id": 1001, "seance_length": 3600}, {"id": 1002, "seance_length": 3600}]
    assert get(api, "/api/v1/company/101/services?staff_id=1003").json() == listed([])
    assert get(api, "/api/v1/company/101/service_categories").json()["data"][0]["staff"] == [1001, 1002]


def test_services_are_listed_with_their_team_lengths_and_resources(api, database_url):
    run_sql(database_url, "UPDATE service_staff SET length = 4500 WHERE service_id = 1023")
    r = get(api, "/api/v1/company/101/services/")
    padel = {**PADEL, "staff": [{"id": 1003, "seance_length": 4500}]}
    assert (r.status_code, r.json()) == (200, listed([YOGA, PILATES, padel, PERSONAL]))


@pytest.mark.parametrize("query, expected", [
    ("staff_id=1003", [PADEL, PERSONAL]),
    ("category_id=1011", [PERSONAL]),
    ("staff_id=1001&category_id=1010", [YOGA, PILATES]),
    ("staff_id=2001", []),
    ("category_id=0", []),
    ("staff_id=&category_id=", [YOGA, PILATES, PADEL, PERSONAL]),
])
def test_services_are_filtered_by_team_member_and_category(api, query, expected):
    r = get(api, f"/api/v1/company/101/services?{query}")
    assert (r.status_code, r.json()) == (200, listed(expected))


def test_a_filter_that_is_not_an_id_is_400(api):
    r = get(api, "/api/v1/company/101/services?staff_id=x&category_id=-1")
    errors = {"staff_id": [NOT_INT], "category_id": [NOT_INT]}
    assert (r.status_code, r.json()) == (400, error(NOT_INT, errors))


def test_a_service_is_answered_alone_and_a_deleted_one_is_404(api, database_url):
    assert get(api, "/api/v1/company/101/services/1021").json() == one(YOGA)
    run_sql(database_url, "UPDATE services SET deleted = TRUE WHERE id = 1021")
    r = get(api, "/api/v1/company/101/services/1021")
    assert (r.status_code, r.json()) == (404, error("Not found"))
    assert [s["id"] for s in get(api, "/api/v1/company/101/services").json()["data"]] == [1022, 1023, 1024]


def test_service_categories_are_listed_and_answered_alone(api):
    r = get(api, "/api/v1/company/101/service_categories/")
    assert (r.status_code, r.json()) == (200, categories([GROUP_CLASSES, PERSONAL_CATEGORY]))
    r = get(api, "/api/v1/service_category/101/1011")
    assert (r.status_code, r.json()) == (200, one(PERSONAL_CATEGORY))


def test_resources_are_listed_with_their_instances(api):
    r = get(api, "/api/v1/resources/101/")
    assert (r.status_code, r.json()) == (200, listed(RESOURCES))


@pytest.mark.parametrize("path", [
    "/api/v1/company/101/staff/2001", "/api/v1/company/101/staff/999999",
    "/api/v1/company/101/services/2021", "/api/v1/company/101/services/999999",
    "/api/v1/service_category/101/2010", "/api/v1/service_category/101/999999",
    "/api/v1/company/101/staff/9223372036854775808", "/api/v1/company/999/staff", "/api/v1/resources/999",
])
def test_an_id_of_another_location_or_none_is_404(api, path):
    r = get(api, path)
    assert (r.status_code, r.json()) == (404, error("Not found"))


@pytest.mark.parametrize("path", [
    "/api/v1/company/101/staff", "/api/v1/company/101/services", "/api/v1/company/101/service_categories",
    "/api/v1/resources/101",
])
def test_reading_needs_both_tokens_and_read_access_is_enough(api, path):
    r = get(api, path, auth=None)
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))
    r = get(api, path, auth=AUTH.split(",")[0])
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))
    assert get(api, path, auth=READONLY_AUTH).status_code == 200
    r = api.request("POST", path, json={}, accept=None)
    assert r.status_code == 405


@pytest.mark.parametrize("older, current", [
    ("/api/v1/staff/101/", "/api/v1/company/101/staff"),
    ("/api/v1/staff/101/1002", "/api/v1/company/101/staff/1002"),
    ("/api/v1/services/101?staff_id=1003", "/api/v1/company/101/services?staff_id=1003"),
    ("/api/v1/services/101/1024", "/api/v1/company/101/services/1024"),
    ("/api/v1/service_categories/101", "/api/v1/company/101/service_categories"),
    ("/api/v1/service_categories/101/1010", "/api/v1/service_category/101/1010"),
    ("/api/v1/services/101/2021", "/api/v1/company/101/services/2021"),
    ("/api/v1/staff/101?x", "/api/v1/company/101/staff"),
])
def test_the_older_paths_existing_clients_call_answer_the_same(api, older, current):
    a, b = get(api, older), get(api, current)
    assert (a.status_code, a.json()) == (b.status_code, b.json())


def test_categories_are_filtered_by_team_member(api, database_url):
    run_sql(database_url, "UPDATE services SET category_id = 1011 WHERE id = 1023")
    r = get(api, "/api/v1/company/101/service_categories?staff_id=1003")
    assert (r.status_code, r.json()) == (200, categories([PERSONAL_CATEGORY]))
    r = get(api, "/api/v1/company/101/service_categories?staff_id=1001")
    assert r.json() == categories([{**GROUP_CLASSES, "staff": [1001, 1002]}, PERSONAL_CATEGORY])
    assert get(api, "/api/v1/company/101/service_categories?staff_id=2001").json() == categories([])
    r = get(api, "/api/v1/service_categories/101?staff_id=1.5")
    assert (r.status_code, r.json()) == (400, error(NOT_INT, {"staff_id": [NOT_INT]}))


def new_category(category_id: int, title: str, staff: list[int] | None = None) -> dict:
    return {"id": category_id, "salon_service_id": category_id, "title": title, "api_id": "", "weight": 0,
            "is_chain": False, "staff": staff or []}


def test_a_created_category_is_answered_201_and_listed(api):
    r = api.post("/api/v1/service_categories/101", accept=None,
                 json={"title": "Outdoor", "api_id": "ext-1", "weight": 5, "staff": [1001], "extra": 1})
    category_id = r.json()["data"]["id"]
    assert (r.status_code, r.json()) == (201, {"success": True, "data": new_category(category_id, "Outdoor"),
                                               "meta": []})
    assert get(api, f"/api/v1/service_category/101/{category_id}").json() == one(new_category(category_id, "Outdoor"))
    assert get(api, "/api/v1/company/101/service_categories").json()["meta"] == {"total_count": 3}


def test_a_renamed_category_keeps_its_services(api):
    r = api.put("/api/v1/service_category/101/1011", accept=None, json={"title": "One to one"})
    renamed = {**PERSONAL_CATEGORY, "title": "One to one"}
    assert (r.status_code, r.json()) == (200, one(renamed))
    assert get(api, "/api/v1/company/101/services/1024").json()["data"]["category_id"] == 1011


@pytest.mark.parametrize("body, errors", [
    ({}, {"title": ["This field is missing."]}),
    ({"title": "  "}, {"title": ["This value should not be blank."]}),
    ({"title": None}, {"title": ["This value should not be null."]}),
    ({"title": "x" * 256}, {"title": ["This value is too long. It should have 255 characters or less."]}),
])
def test_a_category_needs_a_title(api, database_url, body, errors):
    for method, path in (("POST", "/api/v1/service_categories/101"), ("PUT", "/api/v1/service_category/101/1010")):
        r = api.request(method, path, json=body, accept=None)
        assert (r.status_code, r.json()) == (422, error(next(iter(errors.values()))[0], errors))
    assert run_sql(database_url, "SELECT title FROM service_categories WHERE id = 1010") == [{"title": "Group classes"}]
    assert run_sql(database_url, "SELECT COUNT(*) AS n FROM service_categories")[0]["n"] == 4


def test_writing_categories_needs_write_access_and_a_category_of_the_location(api):
    for method, path in (("POST", "/api/v1/service_categories/101"), ("PUT", "/api/v1/service_category/101/1010")):
        r = api.request(method, path, json={"title": "T"}, accept=None, auth=READONLY_AUTH)
        assert (r.status_code, r.json()) == (403, error("Access denied."))
    for category_id in (2010, 999999):
        r = api.put(f"/api/v1/service_category/101/{category_id}", json={"title": "T"}, accept=None)
        assert (r.status_code, r.json()) == (404, error("Not found"))
    assert get(api, "/api/v1/service_category/102/2010").json()["data"]["title"] == "Group classes"
