"""v1 appointments: GET /api/v1/record/{location_id}/{record_id} and GET /api/v1/records/{location_id}
(behaviour 16.1, 16.2)."""

from __future__ import annotations

from typing import Any

import pytest

from altegio_server.timezones import local_text
from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error

LOC = PRAGUE["id"]
STAFF = PRAGUE["staff_ids"][0]
SERVICE = PRAGUE["group_service_ids"][0]
JOHN = {"name": "John", "phone": "+1 315 555-0175", "email": "john@example.com", "surname": "Smith", "gender": 1}


def one(record_id: int, location_id: int = LOC) -> str:
    return f"/api/v1/record/{location_id}/{record_id}"


def listing(location_id: int = LOC) -> str:
    return f"/api/v1/records/{location_id}"


def book(api, event_id: int, client: dict[str, Any] | None = None, seats: int = 1, **extra: Any) -> int:
    body = {"client": dict(client or JOHN), "clients_count": seats, **extra}
    r = api.post(f"/api/v2/locations/{LOC}/events/{event_id}/appointments", json=body)
    assert r.status_code == 201, r.text
    return int(r.json()["data"]["id"])


def expected(url: str, record_id: int, *, event_id: int, client_id: int | None, start: int = f.NOW_TS + f.DAY,
             clients_count: int = 1, client: dict[str, Any] | None = None, deleted: bool = False,
             changed: int = f.NOW_TS, **overrides: Any) -> dict[str, Any]:
    """The v1 record object, every field spelled out; team member and service read from the seed."""
    staff = f.fetch(url, "SELECT s.name, s.specialization, s.avatar, s.avatar_big, s.rating, s.position_id, "
                         "p.title FROM staff s LEFT JOIN positions p ON p.id = s.position_id WHERE s.id = $1",
                    STAFF)[0]
    service = f.fetch(url, "SELECT title, price_min FROM services WHERE id = $1", SERVICE)[0]
    price = service["price_min"]
    c = client or JOHN
    client_object = None if client_id is None else {
        "id": client_id, "name": c["name"], "surname": c["surname"], "patronymic": "",
        "display_name": f"{c['name']} {c['surname']}", "comment": "", "phone": c["phone"].replace(" ", "")
        .replace("-", ""), "card": "", "email": c["email"], "success_visits_count": 0, "fail_visits_count": 0,
        "discount": 0, "sex_id": c["gender"], "birth_date": "", "custom_fields": []}
    body = {
        "id": record_id, "company_id": LOC, "staff_id": STAFF,
        "services": [{"id": SERVICE, "title": service["title"], "cost": price * clients_count,
                      "cost_per_unit": price, "manual_cost": price * clients_count, "discount": 0,
                      "first_cost": price * clients_count, "amount": clients_count}],
        "goods_transactions": [],
        "staff": {"id": STAFF, "api_id": "", "name": staff["name"], "specialization": staff["specialization"],
                  "position": {} if staff["position_id"] is None else {"id": staff["position_id"],
                                                                       "title": staff["title"]},
                  "avatar": staff["avatar"], "avatar_big": staff["avatar_big"], "rating": staff["rating"],
                  "votes_count": 0},
        "client": client_object, "clients_count": clients_count,
        # Prague is UTC+1 in January.
        "date": local_text(start, PRAGUE["timezone"]),
        "datetime": local_text(start, PRAGUE["timezone"]).replace(" ", "T") + "+01:00",
        "create_date": local_text(f.NOW_TS, PRAGUE["timezone"]).replace(" ", "T") + "+0100",
        "last_change_date": local_text(changed, PRAGUE["timezone"]).replace(" ", "T") + "+0100",
        "comment": "", "online": False, "visit_attendance": 0, "attendance": 0, "confirmed": 1,
        "seance_length": 3600, "length": 3600, "sms_before": 0, "sms_now": 0, "sms_now_text": "", "email_now": 0,
        "notified": 0, "master_request": 0, "api_id": "", "from_url": "", "review_requested": 0,
        "visit_id": record_id, "created_user_id": 1, "deleted": deleted, "paid_full": 0, "prepaid": False,
        "prepaid_confirmed": False, "is_sale_bill_printed": False, "custom_color": "", "custom_font_color": "",
        "record_labels": [], "activity_id": event_id, "custom_fields": [], "documents": [],
        "sms_remain_hours": 0, "email_remain_hours": 0, "bookform_id": 0, "record_from": "", "is_mobile": 0,
    }
    body.update(overrides)
    return body


def ok(data: Any, meta: Any = None) -> dict[str, Any]:
    return {"success": True, "data": data, "meta": [] if meta is None else meta}


@pytest.fixture
def event(database_url) -> int:
    return f.make_event(database_url, capacity=5)


def client_id_of(url: str, phone: str) -> int:
    return f.clients_with_phone(url, LOC, phone)[0]


# --- one appointment ----------------------------------------------------------------------

def test_an_appointment_is_read_whole_in_the_v1_shape(api, database_url, event):
    record_id = book(api, event, seats=2)
    r = api.get(one(record_id), accept=None)
    assert r.status_code == 200
    client_id = client_id_of(database_url, "+13155550175")
    assert r.json() == ok(expected(database_url, record_id, event_id=event, client_id=client_id, clients_count=2))


def test_the_appointment_shows_its_labels_colour_comment_and_priced_service_item(api, database_url, event):
    tag = PRAGUE["tag_ids"]["record"][0]
    record_id = book(api, event, labels=[tag])
    changes = {"comment": "window seat", "color": "f44336",
               "attendance_service_item": {"cost_per_unit": 20, "discount_percent": 10, "manual_cost": 18}}
    assert api.put(f"/api/v2/locations/{LOC}/events/{event}/appointments/{record_id}", json=changes).status_code \
        == 200
    tag_row = f.fetch(database_url, "SELECT title, color, icon FROM tags WHERE id = $1", tag)[0]
    body = api.get(one(record_id)).json()
    base = expected(database_url, record_id, event_id=event, client_id=client_id_of(database_url, "+13155550175"))
    want = {
        **base, "comment": "window seat", "custom_color": "f44336", "custom_font_color": "#ffffff",
        "services": [{**base["services"][0], "cost": 18, "cost_per_unit": 20, "manual_cost": 18, "discount": 10,
                      "first_cost": 20}],
        "record_labels": [{"id": tag, "title": tag_row["title"], "color": tag_row["color"], "icon": tag_row["icon"],
                           "font_color": body["data"]["record_labels"][0]["font_color"]}],
    }
    assert body == ok(want)
    assert body["data"]["record_labels"][0]["font_color"] in ("#000000", "#ffffff")


def test_a_walk_in_visitors_appointment_has_no_client(api, database_url, event):
    r = api.post(f"/api/v2/locations/{LOC}/events/{event}/appointments",
                 json={"comer": {"name": "Guest"}, "clients_count": 1})
    record_id = int(r.json()["data"]["id"])
    assert api.get(one(record_id)).json() == ok(expected(database_url, record_id, event_id=event, client_id=None))


def test_a_cancelled_appointment_is_still_read_with_deleted_true(api, database_url, clock, event):
    record_id = book(api, event)
    clock.advance(60)
    assert api.delete(f"/api/v2/locations/{LOC}/appointments/{record_id}").status_code == 204
    r = api.get(one(record_id))
    assert (r.status_code, r.json()) == (200, ok(expected(
        database_url, record_id, event_id=event, client_id=client_id_of(database_url, "+13155550175"),
        deleted=True, changed=f.NOW_TS + 60)))


def test_a_read_only_user_may_read_an_appointment(api, event):
    record_id = book(api, event)
    assert api.get(one(record_id), auth=READONLY_AUTH).status_code == 200


@pytest.mark.parametrize("record_id", [987654, 2**63, 2**64])
def test_an_unknown_appointment_is_404(api, record_id):
    r = api.get(one(record_id))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_an_appointment_is_not_read_through_another_location(api, event):
    record_id = book(api, event)
    r = api.get(one(record_id, NEW_YORK["id"]))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_reading_without_tokens_is_401(api, event):
    r = api.get(one(book(api, event)), auth=None)
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))


# --- the list -----------------------------------------------------------------------------

@pytest.fixture
def three(api, database_url) -> list[tuple[int, int]]:
    """(event, record) for three events a day apart, booked in reverse order of their starts."""
    events = [f.make_event(database_url, start=f.NOW_TS + n * f.DAY) for n in (3, 2, 1)]
    phones = ["+420601000101", "+420601000102", "+420601000103"]
    return [(e, book(api, e, client={**JOHN, "phone": p})) for e, p in zip(events, phones)]


def test_the_list_is_by_event_start_whole_with_the_count_of_all_matches(api, database_url, three):
    r = api.get(listing())
    assert r.status_code == 200
    in_start_order = list(reversed(three))
    bodies = [expected(database_url, rec, event_id=e, start=f.NOW_TS + (i + 1) * f.DAY,
                       client_id=client_id_of(database_url, f"+42060100010{3 - i}"),
                       client={**JOHN, "phone": f"+42060100010{3 - i}"})
              for i, (e, rec) in enumerate(in_start_order)]
    assert r.json() == ok(bodies, {"count": 3})


def test_pages_are_counted_from_one(api, three):
    r = api.get(listing(), params={"page": 2, "count": 2})
    assert [d["id"] for d in r.json()["data"]] == [three[0][1]]
    assert r.json()["meta"] == {"count": 3}


@pytest.mark.parametrize("params, ranks", [
    ({"start_date": "2027-01-12"}, [1, 0]),
    ({"end_date": "2027-01-12"}, [2, 1]),
    ({"start_date": "2027-01-12", "end_date": "2027-01-12"}, [1]),
    ({"c_start_date": "2027-01-10", "c_end_date": "2027-01-10"}, [2, 1, 0]),
    ({"c_start_date": "2027-01-11"}, []),
    ({"changed_after": "2027-01-10T13:00:00"}, [2, 1, 0]),
    ({"changed_after": "2027-01-10T12:00:01+00:00"}, []),
    ({"changed_before": "2027-01-10 12:59:59"}, []),
])
def test_date_filters_are_local_dates_and_times_of_the_location(api, three, params, ranks):
    r = api.get(listing(), params=params)
    assert [d["id"] for d in r.json()["data"]] == [three[i][1] for i in ranks]
    assert r.json()["meta"] == {"count": len(ranks)}


def test_the_client_staff_and_booking_user_filters(api, database_url, three):
    client_id = client_id_of(database_url, "+420601000102")
    assert [d["id"] for d in api.get(listing(), params={"client_id": client_id}).json()["data"]] == [three[1][1]]
    everyone = [three[2][1], three[1][1], three[0][1]]
    for params in ({"staff_id": STAFF}, {"team_member_id": STAFF}, {"created_user_id": 1}):
        assert [d["id"] for d in api.get(listing(), params=params).json()["data"]] == everyone
    for params in ({"staff_id": PRAGUE["staff_ids"][1]}, {"created_user_id": 2}):
        assert api.get(listing(), params=params).json() == ok([], {"count": 0})


def test_cancelled_appointments_and_other_locations_are_not_listed(api, database_url, three):
    assert api.delete(f"/api/v2/locations/{LOC}/appointments/{three[0][1]}").status_code == 204
    assert [d["id"] for d in api.get(listing()).json()["data"]] == [three[2][1], three[1][1]]
    assert api.get(listing(NEW_YORK["id"])).json() == ok([], {"count": 0})


DATE = "This value is not a valid date. Expected YYYY-MM-DD, a local date of the location."
DATE_TIME = ("This value is not a valid datetime. Expected ISO 8601, e.g. 2027-01-15T09:00:00 "
             "(local time of the location) or 2027-01-15T09:00:00+01:00.")


@pytest.mark.parametrize("query, field, message", [
    ("page=0", "page", "This value should be greater than or equal to 1."),
    ("count=301", "count", "This value should be between 1 and 300."),
    ("count=x", "count", "This value should be a non-negative integer."),
    ("start_date=2027-02-30", "start_date", DATE),
    ("c_end_date=15.01.2027", "c_end_date", DATE),
    ("end_date=", "end_date", DATE),
    ("changed_before=", "changed_before", DATE_TIME),
    ("changed_after=yesterday", "changed_after", DATE_TIME),
    ("client_id=-1", "client_id", "This value should be a non-negative integer."),
])
def test_bad_list_parameters_are_400_with_the_parameter_named(api, query, field, message):
    r = api.get(f"{listing()}?{query}")
    assert (r.status_code, r.json()) == (400, error(message, {field: [message]}))


def test_an_unknown_location_is_404(api):
    r = api.get(listing(987654))
    assert (r.status_code, r.json()) == (404, error("Not found"))
