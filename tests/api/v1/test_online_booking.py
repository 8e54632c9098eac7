"""Online booking of a group event: POST /api/v1/activity/{location_id}/{event_id}/book (behaviour 18)."""

from __future__ import annotations

import re

import pytest

from tests import factories as f
from tests.conftest import AUTH, DEMO, NEW_YORK, PRAGUE, error

LOC = PRAGUE["id"]
PARTNER = f"Bearer {DEMO['partner_token']}"
ANNA_ID, ANNA_PHONE = 1061, "+420601000001"
JAMES = {"fullname": "James Smith", "phone": "+13155550175", "email": "j.smith@example.com"}
HASH = re.compile(r"[0-9a-f]{32}")
MISSING = "This field is missing."


def book_path(event_id: int | str, location_id: int | str = LOC) -> str:
    return f"/api/v1/activity/{location_id}/{event_id}/book"


def book(api, event_id: int | str, body: object = None, location_id: int | str = LOC, auth: str | None = PARTNER,
         **kw):
    return api.post(book_path(event_id, location_id), json=JAMES if body is None else body, auth=auth,
                    accept="application/json", **kw)


def booked(r) -> int:
    """The appointment id of a successful booking, after checking the whole answer."""
    assert r.status_code == 200, r.text
    body = r.json()
    assert HASH.fullmatch(body["data"]["hash"]), body
    assert body == {"success": True, "data": {"id": body["data"]["id"], "hash": body["data"]["hash"]}, "meta": []}
    return body["data"]["id"]


def field_error(field: str, message: str) -> dict:
    return error(message, {field: [message]})


def seats_taken(left: int) -> dict:
    message = f"Not enough free seats in the event: {left} left"
    numbered = {"code": 433, "message": message}
    return {"success": False, "data": None, "meta": {"message": message, "errors": [numbered]}, "errors": numbered}


def nothing_written(url: str, event_id: int, seats: int = 0) -> None:
    assert f.count_rows(url, "records") == 0
    assert f.count_rows(url, "clients") == len(DEMO["locations"])  # the demo's one client per location
    assert f.event_seats(url, event_id) == seats


def stored(url: str, record_id: int) -> dict:
    return f.fetch(url, "SELECT client_id, clients_count, comment, external_id, booking_user_id FROM records "
                        "WHERE id = $1", record_id)[0]


@pytest.fixture
def event(database_url) -> int:
    return f.make_event(database_url, capacity=3)


# --- success ------------------------------------------------------------------------------

def test_a_new_client_is_booked_by_phone_with_the_partner_token_alone(api, database_url, event):
    record_id = booked(book(api, event))
    client_id = f.clients_with_phone(database_url, LOC, JAMES["phone"])[0]
    r = api.get(f"/api/v2/companies/{LOC}/records/{record_id}")
    assert r.json() == {"data": f.record_resource(record_id, event_id=event, client_id=client_id, booking_user_id=0),
                        "meta": []}
    client = f.client_row(database_url, client_id)
    assert (client["name"], client["surname"], client["email"]) == ("James Smith", "", "j.smith@example.com")
    assert f.event_seats(database_url, event) == 1


def test_every_field_the_vendor_documents_is_taken(api, database_url, event):
    body = {**JAMES, "phone": "+1 (315) 555-0175", "code": 1234, "comment": "First visit", "notify_by_sms": 24,
            "notify_by_email": 2, "type": "mobile", "api_id": 987654, "clients_count": 2}
    record_id = booked(book(api, event, body))
    row = stored(database_url, record_id)
    assert (row["clients_count"], row["comment"], row["external_id"], row["booking_user_id"]) == \
           (2, "First visit", "987654", 0)
    assert f.clients_with_phone(database_url, LOC, "+13155550175") == [row["client_id"]]
    assert f.event_seats(database_url, event) == 2


def test_an_api_id_sent_as_text_is_kept_as_sent(api, database_url, event):
    record_id = booked(book(api, event, {**JAMES, "api_id": "site-42"}))
    assert stored(database_url, record_id)["external_id"] == "site-42"


def test_a_known_phone_books_the_known_client_renamed_and_keeps_their_email(api, database_url, event):
    record_id = booked(book(api, event, {"fullname": "Anna Novakova", "phone": "+420 601 000 001", "email": ""}))
    assert stored(database_url, record_id)["client_id"] == ANNA_ID
    client = f.client_row(database_url, ANNA_ID)
    assert (client["name"], client["surname"], client["email"]) == ("Anna Novakova", "Novak", "anna@example.com")
    assert f.clients_with_phone(database_url, LOC, ANNA_PHONE) == [ANNA_ID]


def test_nulls_and_unknown_fields_are_ignored(api, database_url, event):
    body = {**JAMES, "email": None, "code": None, "comment": None, "notify_by_sms": None, "type": None,
            "api_id": None, "clients_count": None, "bookform_id": 7, "appointments": []}
    record_id = booked(book(api, event, body))
    row = stored(database_url, record_id)
    assert (row["clients_count"], row["comment"], row["external_id"]) == (1, "", "")


def test_each_booking_gets_its_own_hash(api, event):
    first = book(api, event, JAMES).json()["data"]
    second = book(api, event, {**JAMES, "phone": "+13155550176"}).json()["data"]
    assert first["id"] != second["id"] and first["hash"] != second["hash"]


def test_an_event_that_has_started_but_not_ended_can_be_booked(api, database_url):
    started = f.make_event(database_url, start=f.NOW_TS - 600, length=3600)
    booked(book(api, started))


@pytest.mark.parametrize("auth", [AUTH, f"bearer {DEMO['partner_token']}"])
def test_a_user_token_beside_the_partner_token_changes_nothing(api, database_url, event, auth):
    record_id = booked(book(api, event, auth=auth))
    assert stored(database_url, record_id)["booking_user_id"] == 0


def test_the_last_seats_can_be_taken_and_then_the_event_is_full(api, database_url):
    event = f.make_event(database_url, capacity=3, clients_count=1)
    booked(book(api, event, {**JAMES, "clients_count": 2}))
    r = book(api, event, {**JAMES, "phone": "+13155550176"})
    assert (r.status_code, r.json()) == (422, seats_taken(0))
    assert f.event_seats(database_url, event) == 3


# --- refusals -----------------------------------------------------------------------------

@pytest.mark.parametrize("auth", [None, "Bearer not-a-partner-token", "Bearer",
                                  "User demo-user-token-1b7e4a92c6f8d035"])
def test_missing_or_unknown_partner_token_is_401_and_books_nothing(api, database_url, event, auth):
    r = book(api, event, auth=auth)
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))
    nothing_written(database_url, event)


def test_more_seats_than_are_free_is_the_vendors_refusal_433(api, database_url):
    event = f.make_event(database_url, capacity=3, clients_count=2)
    r = book(api, event, {**JAMES, "clients_count": 2})
    assert (r.status_code, r.json()) == (422, seats_taken(1))
    nothing_written(database_url, event, seats=2)


def test_an_ended_event_is_422_and_books_nothing(api, database_url):
    ended = f.make_event(database_url, start=f.NOW_TS - 3600, length=3600)
    r = book(api, ended)
    assert (r.status_code, r.json()) == (422, error("The event has already ended"))
    nothing_written(database_url, ended)


@pytest.mark.parametrize("where", ["deleted", "other location", "unknown", "unknown location", "huge id"])
def test_an_event_that_is_not_live_at_this_location_is_404_and_books_nothing(api, database_url, event, where):
    location, target = LOC, event
    if where == "deleted":
        target = f.make_event(database_url, deleted=True)
    elif where == "other location":
        target = f.make_event(database_url, location_id=NEW_YORK["id"], staff_id=NEW_YORK["staff_ids"][0],
                              service_id=NEW_YORK["group_service_ids"][0])
    elif where == "unknown":
        target = 999999
    elif where == "unknown location":
        location = 999
    else:
        target = 2**70
    r = book(api, target, location_id=location)
    assert (r.status_code, r.json()) == (404, error("Not found"))
    assert f.count_rows(database_url, "records") == 0
    assert f.event_seats(database_url, event) == 0


def test_another_locations_event_is_404_even_when_booked_through_its_own_id(api, database_url):
    ny_event = f.make_event(database_url, location_id=NEW_YORK["id"], staff_id=NEW_YORK["staff_ids"][0],
                            service_id=NEW_YORK["group_service_ids"][0])
    r = book(api, ny_event, location_id=LOC)
    assert (r.status_code, r.json()) == (404, error("Not found"))
    booked(book(api, ny_event, location_id=NEW_YORK["id"]))
    assert f.event_seats(database_url, ny_event) == 1


def test_a_second_booking_of_one_phone_in_one_event_is_422_on_phone(api, database_url, event):
    booked(book(api, event))
    r = book(api, event, {**JAMES, "phone": "+1-315-555-0175"})
    message = "The client already has an appointment in this event"
    assert (r.status_code, r.json()) == (422, field_error("phone", message))
    assert f.event_seats(database_url, event) == 1
    assert f.count_rows(database_url, "records") == 1


def test_an_empty_body_names_both_required_fields(api, database_url, event):
    r = book(api, event, {})
    assert (r.status_code, r.json()) == (422, error(MISSING, {"fullname": [MISSING], "phone": [MISSING]}))
    nothing_written(database_url, event)


LONG = "x" * 256
BAD_FIELDS = [
    ({"fullname": "  "}, "fullname", "This value should not be blank."),
    ({"fullname": LONG}, "fullname", "This value is too long. It should have 255 characters or less."),
    ({"fullname": 7}, "fullname", "This value should be of type string."),
    ({"phone": "call me"}, "phone", "This value is not a valid phone number."),
    ({"phone": "+1" + "2" * 64}, "phone", "This value is too long. It should have 64 characters or less."),
    ({"phone": None}, "phone", "This value should not be null."),
    ({"email": "not-an-email"}, "email", "This value is not a valid email address."),
    ({"email": LONG + "@example.com"}, "email", "This value is too long. It should have 255 characters or less."),
    ({"comment": "x" * 1001}, "comment", "This value is too long. It should have 1000 characters or less."),
    ({"type": "x" * 65}, "type", "This value is too long. It should have 64 characters or less."),
    ({"api_id": LONG}, "api_id", "This value is too long. It should have 255 characters or less."),
    ({"api_id": -1}, "api_id", "This value should be a non-negative integer or a string."),
    ({"code": [1]}, "code", "This value should be a non-negative integer or a string."),
    ({"code": "1" * 33}, "code", "This value is too long. It should have 32 characters or less."),
    ({"notify_by_sms": 8761}, "notify_by_sms", "This value should be between 0 and 8760."),
    ({"notify_by_email": "soon"}, "notify_by_email", "This value should be of type integer."),
    ({"clients_count": 0}, "clients_count", "This value should be between 1 and 1000000."),
    ({"clients_count": True}, "clients_count", "This value should be of type integer."),
]


@pytest.mark.parametrize("change, field, message", BAD_FIELDS, ids=[f"{c[1]}-{i}" for i, c in enumerate(BAD_FIELDS)])
def test_a_bad_field_is_422_on_that_field_and_books_nothing(api, database_url, event, change, field, message):
    r = book(api, event, {**JAMES, **change})
    assert (r.status_code, r.json()) == (422, field_error(field, message))
    nothing_written(database_url, event)


def test_a_body_that_is_not_an_object_is_422(api, database_url, event):
    r = book(api, event, ["James Smith", "+13155550175"])
    assert (r.status_code, r.json()) == (422, field_error("body", "This value should be of type object."))
    nothing_written(database_url, event)


def test_a_body_that_is_not_json_is_400(api, database_url, event):
    r = api.post(book_path(event), content=b"fullname=James", auth=PARTNER, accept=None)
    assert (r.status_code, r.json()) == (400, error("Invalid JSON"))
    nothing_written(database_url, event)


def test_get_is_405(api, event):
    r = api.get(book_path(event), auth=PARTNER, accept=None)
    assert (r.status_code, r.json()) == (405, error("Method not allowed"))
