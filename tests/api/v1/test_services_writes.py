"""v1 writes of services (behaviour 15.7, 15.9), through HTTP, whole bodies compared, on both
databases."""

from __future__ import annotations

from typing import Any

import pytest

from tests import factories as f
from tests.api.v1.test_team import PADEL, PILATES, YOGA, get, listed, one
from tests.conftest import error
from tests.event_factories import create_event, run_sql

NO_STAFF = "No team member with this id at this location."
PRICES = "The maximum price should not be less than the minimum price."
SERVICE_IN_USE = "The service has upcoming events and cannot be deleted"


def send(api, method: str, path: str, body: Any = None):
    return api.request(method, path, json=body, accept=None)


def services_table(database_url: str) -> list[dict[str, Any]]:
    return run_sql(database_url, "SELECT * FROM services ORDER BY id") + \
        run_sql(database_url, "SELECT * FROM service_staff ORDER BY service_id, staff_id")


def made(service_id: int, title: str, **fields: Any) -> dict[str, Any]:
    """A service made through the API: the defaults of a new one, with `fields` changed."""
    return {"id": service_id, "salon_service_id": service_id, "title": title, "category_id": 0, "price_min": 0,
            "price_max": 0, "discount": 0, "comment": "", "weight": 0, "active": 1, "api_id": "",
            "prepaid": "forbidden", "is_multi": False, "capacity": 1, "duration": 3600, "image_url": "",
            "staff": [], "resources": [], **fields}


def test_a_created_service_is_answered_201_whole_and_can_host_an_event(api):
    body = {"title": "Barre", "category_id": 1010, "price_min": 12.5, "price_max": 20, "duration": 2700,
            "comment": "Bring socks", "is_multi": True, "capacity": 6, "prepaid": "optional",
            "staff": [{"id": 1001, "seance_length": 1800}, {"id": 1002}],
            "booking_title": "Barre class", "api_id": "ext-7", "discount": 10, "weight": 3, "active": 0,
            "technical_break_duration": 600}
    r = send(api, "POST", "/api/v1/services/101", body)
    service_id = r.json()["data"]["id"]
    barre = made(service_id, "Barre", category_id=1010, price_min=12.5, price_max=20, duration=2700,
                 comment="Bring socks", is_multi=True, capacity=6, prepaid="optional",
                 staff=[{"id": 1001, "seance_length": 1800}, {"id": 1002, "seance_length": 2700}])
    assert (r.status_code, r.json()) == (201, {"success": True, "data": barre, "meta": []})
    assert get(api, f"/api/v1/company/101/services/{service_id}").json() == one(barre)
    assert get(api, "/api/v1/company/101/services?category_id=1010").json() == listed([YOGA, PILATES, PADEL, barre])
    event = create_event(api, service_id=service_id, staff_id=1001)
    assert event["attributes"]["service_id"] == service_id


def test_a_service_with_only_a_title_takes_the_defaults(api):
    r = send(api, "POST", "/api/v1/services/101", {"title": "Open gym", "category_id": 0, "staff": []})
    assert (r.status_code, r.json()["data"]) == (201, made(r.json()["data"]["id"], "Open gym"))


@pytest.mark.parametrize("category_id", [2010, 999999])
def test_a_category_of_another_location_is_404_and_nothing_is_made_or_changed(api, database_url, category_id):
    before = services_table(database_url)
    body = {"title": "Taken", "category_id": category_id, "staff": [{"id": 2001}]}
    for method, path in (("POST", "/api/v1/services/101"), ("PUT", "/api/v1/services/101/1021")):
        r = send(api, method, path, body)
        assert (r.status_code, r.json()) == (404, error("Not found"))
    assert services_table(database_url) == before


def test_team_members_of_another_location_are_422_on_each_and_nothing_is_made_or_changed(api, database_url):
    before = services_table(database_url)
    body = {"title": "Taken", "staff": [{"id": 1001}, {"id": 2001}, {"id": 999999}]}
    r = send(api, "POST", "/api/v1/services/101", body)
    errors = {"staff.1.id": [NO_STAFF], "staff.2.id": [NO_STAFF]}
    assert (r.status_code, r.json()) == (422, error(NO_STAFF, errors))
    r = send(api, "PUT", "/api/v1/services/101/1021", {"staff": [{"id": 2001}]})
    assert (r.status_code, r.json()) == (422, error(NO_STAFF, {"staff.0.id": [NO_STAFF]}))
    assert services_table(database_url) == before


def test_a_deleted_team_member_cannot_join_a_service(api, database_url):
    run_sql(database_url, "UPDATE staff SET deleted = TRUE WHERE id = 1003")
    r = send(api, "POST", "/api/v1/services/101", {"title": "T", "staff": [{"id": 1003}]})
    assert (r.status_code, r.json()) == (422, error(NO_STAFF, {"staff.0.id": [NO_STAFF]}))


@pytest.mark.parametrize("body, errors", [
    ({}, {"title": ["This field is missing."]}),
    ({"title": " "}, {"title": ["This value should not be blank."]}),
    ({"title": "T", "price_min": 30, "price_max": 20}, {"price_max": [PRICES]}),
    ({"title": "T", "price_min": -1}, {"price_min": ["This value should be between 0 and 1e+12."]}),
    ({"title": "T", "duration": 60}, {"duration": ["This value should be between 300 and 86100."]}),
    ({"title": "T", "capacity": 0}, {"capacity": ["This value should be between 1 and 100000."]}),
    ({"title": "T", "prepaid": "always"}, {"prepaid": ["The value you selected is not a valid choice."]}),
    ({"title": "T", "is_multi": 1}, {"is_multi": ["This value should be of type bool."]}),
    ({"title": "T", "staff": "1001"}, {"staff": ["This value should be of type array."]}),
    ({"title": "T", "staff": [{"seance_length": 900}]}, {"staff.0.id": ["This field is missing."]}),
    ({"title": "T", "staff": [{"id": 1001, "seance_length": 100}]},
     {"staff.0.seance_length": ["This value should be between 300 and 86100."]}),
    ({"title": "T", "category_id": "1010"}, {"category_id": ["This value should be of type integer."]}),
])
def test_a_bad_service_body_is_422_and_nothing_is_made(api, database_url, body, errors):
    before = services_table(database_url)
    r = send(api, "POST", "/api/v1/services/101", body)
    assert (r.status_code, r.json()) == (422, error(next(iter(errors.values()))[0], errors))
    assert services_table(database_url) == before


def test_a_service_is_changed_field_by_field_and_its_team_replaced_when_sent(api):
    r = send(api, "PUT", "/api/v1/services/101/1021", {"title": "Sunrise yoga", "price_max": 25, "api_id": "x"})
    sunrise = {**YOGA, "title": "Sunrise yoga", "price_max": 25}
    assert (r.status_code, r.json()) == (200, one(sunrise))
    r = send(api, "PUT", "/api/v1/services/101/1021", {"staff": [{"id": 1003, "seance_length": 4500}],
                                                       "category_id": None, "duration": 4500})
    sunrise = {**sunrise, "staff": [{"id": 1003, "seance_length": 4500}], "category_id": 0, "duration": 4500}
    assert (r.status_code, r.json()) == (200, one(sunrise))
    assert get(api, "/api/v1/company/101/services/1021").json() == one(sunrise)


def test_a_change_that_leaves_the_prices_out_of_order_is_422(api, database_url):
    before = services_table(database_url)
    r = send(api, "PUT", "/api/v1/services/101/1021", {"price_min": 30})  # its maximum is 20
    assert (r.status_code, r.json()) == (422, error(PRICES, {"price_max": [PRICES]}))
    assert services_table(database_url) == before


def test_a_deleted_service_is_gone_and_cannot_be_changed(api):
    r = send(api, "DELETE", "/api/v1/services/101/1024")
    assert (r.status_code, r.content) == (204, b"")
    assert get(api, "/api/v1/company/101/services").json() == listed([YOGA, PILATES, PADEL])
    for method, body in (("GET", None), ("PUT", {"title": "Back"}), ("DELETE", None)):
        r = send(api, method, "/api/v1/services/101/1024", body)
        assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_service_with_an_event_to_come_is_kept_until_it_has_ended(api, database_url):
    f.make_event(database_url, service_id=1021)  # tomorrow
    r = send(api, "DELETE", "/api/v1/services/101/1021")
    assert (r.status_code, r.json()) == (422, error(SERVICE_IN_USE))
    assert get(api, "/api/v1/company/101/services/1021").json() == one(YOGA)
    run_sql(database_url, "UPDATE events SET start_ts = start_ts - 3 * 86400, end_ts = end_ts - 3 * 86400")
    assert send(api, "DELETE", "/api/v1/services/101/1021").status_code == 204


@pytest.mark.parametrize("start, kept", [(f.NOW_TS - 1800, True), (f.NOW_TS - 3600, False)])
def test_an_event_running_now_keeps_its_service_and_one_ended_now_does_not(api, database_url, start, kept):
    f.make_event(database_url, service_id=1022, start=start, length=3600)
    r = send(api, "DELETE", "/api/v1/services/101/1022")
    assert (r.status_code, r.json() if r.content else None) == ((422, error(SERVICE_IN_USE)) if kept else (204, None))
