"""Booking an event appointment: POST .../activities/{event_id}/records (behaviour 5.1, 5.2)."""

from __future__ import annotations

import json

import pytest

from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error

LOC = PRAGUE["id"]
ANNA = {"id": 1061, "name": "Anna", "surname": "Novak", "phone": "+420601000001", "email": "anna@example.com",
        "gender": 2}
JOHN = {"name": "John", "phone": "+13155550175", "email": "john@example.com", "surname": "Smith", "gender": 1}
MISSING = "This field is missing."


def records(event_id: int, location_id: int = LOC) -> str:
    return f"/api/v2/locations/{location_id}/events/{event_id}/appointments"


def seed_records(event_id: int, location_id: int = LOC) -> str:
    return f"/api/v2/companies/{location_id}/activities/{event_id}/records"


def book(api, event_id: int, client: dict | None = None, seats: int = 1, **extra):
    body = {"client": dict(client or JOHN), "clients_count": seats, **extra}
    return api.post(records(event_id), json=body)


def no_seats(left: int) -> dict:
    message = f"Not enough free seats in the event: {left} left"
    return error(message, {"clients_count": [message]})


def field_error(field: str, message: str) -> dict:
    return error(message, {field: [message]})


@pytest.fixture
def event(database_url) -> int:
    return f.make_event(database_url, capacity=3)


# --- the happy path, both spellings -------------------------------------------------------

def test_a_new_client_is_booked_and_created(api, database_url, event):
    r = book(api, event, seats=2)
    assert r.status_code == 201
    body = r.json()
    client_id = body["data"]["attributes"]["client_id"]
    assert body == {"data": f.record_resource(body["data"]["id"], event_id=event, client_id=client_id,
                                              clients_count=2), "meta": []}
    assert f.clients_with_phone(database_url, LOC, JOHN["phone"]) == [client_id]
    assert f.event_seats(database_url, event) == 2


def test_the_seed_spelling_books_too(api, database_url, event):
    r = api.post(seed_records(event), json={"client": JOHN, "clients_count": 1})
    assert r.status_code == 201
    assert r.json()["data"]["attributes"]["activity_id"] == event
    assert f.event_seats(database_url, event) == 1


def test_record_dates_are_the_event_start_and_the_booking_time_in_local_wall_clock(api, database_url):
    # 2027-01-11 12:00 UTC; booked at 2027-01-10 12:00 UTC (the test clock).
    event = f.make_event(database_url, capacity=3, start=f.NOW_TS + f.DAY)
    attributes = book(api, event).json()["data"]["attributes"]
    assert (attributes["date"], attributes["created_datetime"], attributes["timestamp"]) == (
        "2027-01-11 13:00:00", "2027-01-10 13:00:00", f.NOW_TS + f.DAY)


def test_record_dates_follow_the_location_zone_across_daylight_saving(api, database_url):
    ny = NEW_YORK
    # New York moves its clocks on 2027-03-14; an event that evening keeps its wall clock.
    event = f.make_event(database_url, location_id=ny["id"], staff_id=ny["staff_ids"][0],
                         service_id=ny["group_service_ids"][0], start="2027-03-14 18:30:00", length=4800)
    r = api.post(records(event, ny["id"]), json={"client": JOHN, "clients_count": 1})
    assert r.status_code == 201
    attributes = r.json()["data"]["attributes"]
    assert (attributes["date"], attributes["timestamp"], attributes["created_datetime"], attributes["company_id"],
            attributes["staff_id"], attributes["length"], attributes["duration"]) == (
        "2027-03-14 18:30:00", 1805063400, "2027-01-10 07:00:00", ny["id"], ny["staff_ids"][0], 4800, 4800)


def test_a_booking_into_an_event_that_has_started_but_not_ended_is_accepted(api, database_url):
    event = f.make_event(database_url, start=f.NOW_TS - 1800, length=3600)
    assert book(api, event).status_code == 201


# --- who the appointment is for -----------------------------------------------------------

def test_a_known_phone_books_that_client_and_updates_the_stored_fields(api, database_url, event):
    given = dict(ANNA, id=None, name="Anička", surname="Nováková", email="anna@new.example", gender=0,
                 patronymic="J.", birthday="1990-05-01", custom_field_values=[{"code": "level", "value": "pro"}],
                 agreements=[{"is_newsletter_allowed": True, "is_personal_data_processing_allowed": True}])
    r = book(api, event, given)
    assert r.status_code == 201
    assert r.json()["data"]["attributes"]["client_id"] == 1061
    assert f.client_row(database_url, 1061) == {
        "id": 1061, "location_id": LOC, "name": "Anička", "surname": "Nováková", "patronymic": "J.",
        "phone": "+420601000001", "email": "anna@new.example", "gender": 0, "birthday": "1990-05-01",
        "custom_fields": json.dumps([{"code": "level", "value": "pro"}]),
        "agreements": json.dumps([{"is_newsletter_allowed": True, "is_personal_data_processing_allowed": True}]),
    }


def test_spaces_dashes_and_brackets_in_a_phone_do_not_make_a_new_client(api, database_url, event):
    r = book(api, event, dict(ANNA, id=None, phone="+420 (601) 000-001"))
    assert r.json()["data"]["attributes"]["client_id"] == 1061
    assert f.clients_with_phone(database_url, LOC, "+420601000001") == [1061]


def test_a_phone_known_at_another_location_makes_a_new_client_here(api, database_url, event):
    ny = NEW_YORK
    here = book(api, event, JOHN).json()["data"]["attributes"]["client_id"]
    ny_event = f.make_event(database_url, location_id=ny["id"], staff_id=ny["staff_ids"][0],
                            service_id=ny["group_service_ids"][0])
    r = api.post(records(ny_event, ny["id"]), json={"client": JOHN, "clients_count": 1})
    there = r.json()["data"]["attributes"]["client_id"]
    assert there != here
    assert f.clients_with_phone(database_url, ny["id"], JOHN["phone"]) == [there]


def test_client_id_books_that_client_and_may_change_its_phone(api, database_url, event):
    r = book(api, event, dict(ANNA, phone="+420 777 000 111", name="Anna Marie"))
    assert r.status_code == 201
    assert r.json()["data"]["attributes"]["client_id"] == 1061
    row = f.client_row(database_url, 1061)
    assert (row["phone"], row["name"], row["birthday"]) == ("+420777000111", "Anna Marie", None)


def test_the_deprecated_client_id_names_the_client(api, event):
    r = api.post(records(event), json={"client_id": 1061, "client": dict(ANNA, id=None), "clients_count": 1})
    assert r.status_code == 201
    assert r.json()["data"]["attributes"]["client_id"] == 1061


def test_a_client_id_of_zero_means_a_client_found_by_phone(api, event):
    r = api.post(records(event), json={"client_id": 0, "client": dict(ANNA, id=0), "clients_count": 1})
    assert r.json()["data"]["attributes"]["client_id"] == 1061


@pytest.mark.parametrize("client_id", [999999, 2061])  # unknown, and New York's client
def test_a_client_id_unknown_at_the_location_is_404(api, database_url, event, client_id):
    r = book(api, event, dict(ANNA, id=client_id))
    assert (r.status_code, r.json()) == (404, error("Not found"))
    assert f.event_seats(database_url, event) == 0


def test_client_id_and_client_id_in_the_object_must_agree(api, event):
    r = api.post(records(event), json={"client_id": 5, "client": ANNA, "clients_count": 1})
    message = "client_id and client.id name different clients"
    assert (r.status_code, r.json()) == (422, field_error("client_id", message))


def test_a_client_cannot_take_the_phone_of_another_client(api, database_url, event):
    other = book(api, event, JOHN).json()["data"]["attributes"]["client_id"]
    r = book(api, event, dict(ANNA, phone=JOHN["phone"]))
    message = "Another client of this location has this phone number"
    assert (r.status_code, r.json()) == (422, field_error("client.phone", message))
    assert f.client_row(database_url, 1061)["phone"] == ANNA["phone"]
    assert f.clients_with_phone(database_url, LOC, JOHN["phone"]) == [other]


def test_a_walk_in_visitor_is_booked_without_a_client(api, database_url, event):
    r = api.post(records(event), json={"comer": {"name": "Guest User"}, "clients_count": 2})
    assert r.status_code == 201
    body = r.json()
    comer_id = body["data"]["attributes"]["comer_id"]
    assert isinstance(comer_id, int)
    assert body == {"data": f.record_resource(body["data"]["id"], event_id=event, comer_id=comer_id,
                                              comer_name="Guest User", clients_count=2), "meta": []}
    assert f.event_seats(database_url, event) == 2


def test_a_known_walk_in_visitor_is_booked_by_id_and_renamed(api, event):
    first = api.post(records(event), json={"comer": {"name": "Guest"}, "clients_count": 1}).json()
    comer_id = first["data"]["attributes"]["comer_id"]
    r = api.post(records(event), json={"comer_id": comer_id, "comer": {"name": "Guest Star"}, "clients_count": 1})
    assert r.status_code == 201
    assert r.json() == {"data": f.record_resource(r.json()["data"]["id"], event_id=event, comer_id=comer_id,
                                                  comer_name="Guest Star"), "meta": []}


def test_an_unknown_walk_in_visitor_is_404(api, event):
    r = api.post(records(event), json={"comer_id": 424242, "clients_count": 1})
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_client_and_a_walk_in_visitor_together_are_refused(api, event):
    r = api.post(records(event), json={"client": JOHN, "comer": {"name": "Guest"}, "clients_count": 1})
    message = "An appointment is for either a client or a walk-in visitor, not both"
    assert (r.status_code, r.json()) == (422, field_error("comer", message))


# --- labels -------------------------------------------------------------------------------

def test_record_and_common_tags_label_the_appointment(api, database_url, event):
    common, record = PRAGUE["tag_ids"]["common"][0], PRAGUE["tag_ids"]["record"][0]
    r = book(api, event, labels=[record, common, record])
    assert r.status_code == 201
    assert f.record_labels(database_url, int(r.json()["data"]["id"])) == sorted([common, record])


def test_tags_that_cannot_label_an_appointment_are_refused_each_by_position(api, database_url, event):
    f.execute(database_url, "UPDATE tags SET deleted = TRUE WHERE id = $1", PRAGUE["tag_ids"]["common"][0])
    labels = [PRAGUE["tag_ids"]["record"][0], PRAGUE["tag_ids"]["client"][0], PRAGUE["tag_ids"]["activity"][0],
              NEW_YORK["tag_ids"]["record"][0], 999999, PRAGUE["tag_ids"]["common"][0]]
    r = book(api, event, labels=labels)
    message = "No appointment tag with this id at this location"
    assert (r.status_code, r.json()) == (422, error(message, {f"labels.{i}": [message] for i in range(1, 6)}))
    assert f.event_seats(database_url, event) == 0


# --- seats and the booking rules ----------------------------------------------------------

def test_the_last_free_seats_can_be_booked_and_no_more(api, database_url, event):
    assert book(api, event, JOHN, seats=2).status_code == 201
    r = book(api, event, ANNA, seats=2)
    assert (r.status_code, r.json()) == (422, no_seats(1))
    assert book(api, event, ANNA, seats=1).status_code == 201
    r = api.post(records(event), json={"comer": {"name": "Late"}, "clients_count": 1})
    assert (r.status_code, r.json()) == (422, no_seats(0))
    assert f.event_seats(database_url, event) == 3 == f.active_seats(database_url, event)


def test_a_client_books_an_event_only_once(api, database_url, event):
    assert book(api, event, ANNA).status_code == 201
    r = book(api, event, dict(ANNA, id=None, phone="+420 601 000 001"))
    message = "The client already has an appointment in this event"
    assert (r.status_code, r.json()) == (422, field_error("client", message))
    assert f.event_seats(database_url, event) == 1


def test_a_cancelled_appointment_frees_its_seats_and_the_client_may_book_again(api, database_url, event):
    first = book(api, event, ANNA, seats=3).json()["data"]["id"]
    assert api.delete(f"/api/v2/locations/{LOC}/appointments/{first}").status_code == 204
    r = book(api, event, ANNA, seats=3)
    assert r.status_code == 201
    assert r.json()["data"]["id"] != first
    assert f.event_seats(database_url, event) == 3 == f.active_seats(database_url, event)


def test_walk_in_visitors_may_hold_several_appointments_in_one_event(api, event):
    comer = api.post(records(event), json={"comer": {"name": "G"}, "clients_count": 1}).json()
    again = api.post(records(event), json={"comer_id": comer["data"]["attributes"]["comer_id"], "clients_count": 1})
    assert again.status_code == 201


def test_a_finished_event_takes_no_bookings(api, database_url):
    event = f.make_event(database_url, start=f.NOW_TS - 3600, length=3600)  # ended exactly now
    r = book(api, event)
    assert (r.status_code, r.json()) == (422, error("The event has already ended"))
    assert f.clients_with_phone(database_url, LOC, JOHN["phone"]) == []


@pytest.mark.parametrize("which", ["deleted", "unknown", "other location"])
def test_an_event_that_is_not_bookable_here_is_404(api, database_url, which):
    ny = NEW_YORK
    event = {
        "deleted": lambda: f.make_event(database_url, deleted=True),
        "unknown": lambda: 987654,
        "other location": lambda: f.make_event(database_url, location_id=ny["id"], staff_id=ny["staff_ids"][0],
                                               service_id=ny["group_service_ids"][0]),
    }[which]()
    r = book(api, event)
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_an_event_id_beyond_64_bits_is_404(api):
    r = book(api, 2**64)
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_refused_booking_leaves_clients_and_seats_as_they_were(api, database_url, event):
    before = f.client_row(database_url, 1061)
    r = book(api, event, dict(ANNA, name="Changed", phone="+420 111 222 333"), seats=4)
    assert (r.status_code, r.json()) == (422, no_seats(3))
    r = book(api, event, dict(JOHN, phone="+44 20 7946 0000"), labels=[999999])
    assert r.status_code == 422
    assert f.client_row(database_url, 1061) == before
    assert f.clients_with_phone(database_url, LOC, "+442079460000") == []
    assert f.event_seats(database_url, event) == 0


def test_a_booking_answers_with_the_appointment_as_the_list_shows_it(api, event):
    answers = [book(api, event, JOHN, seats=2).json()["data"], book(api, event, ANNA).json()["data"]]
    assert answers == api.get(f"/api/v2/locations/{LOC}/appointments").json()["data"]


@pytest.mark.parametrize("which, status", [("full", 422), ("ended", 422), ("deleted", 404), ("unknown", 404),
                                           ("other location", 404)])
def test_a_booking_the_event_refuses_creates_and_changes_no_client(api, database_url, which, status):
    ny = NEW_YORK
    event = {
        "full": lambda: f.make_event(database_url, capacity=3, clients_count=3),
        "ended": lambda: f.make_event(database_url, start=f.NOW_TS - 3600, length=3600),
        "deleted": lambda: f.make_event(database_url, deleted=True),
        "unknown": lambda: 987654,
        "other location": lambda: f.make_event(database_url, location_id=ny["id"], staff_id=ny["staff_ids"][0],
                                               service_id=ny["group_service_ids"][0]),
    }[which]()
    anna, clients = f.client_row(database_url, 1061), f.count_rows(database_url, "clients")
    assert book(api, event, dict(ANNA, id=None, name="Changed")).status_code == status
    assert book(api, event, JOHN).status_code == status
    assert f.client_row(database_url, 1061) == anna
    assert f.count_rows(database_url, "clients") == clients
    assert f.count_rows(database_url, "records") == 0


def test_a_second_booking_by_the_same_phone_is_refused_and_changes_nothing(api, database_url, event):
    first = book(api, event, JOHN)
    client_id = first.json()["data"]["attributes"]["client_id"]
    before = f.client_row(database_url, client_id)
    r = book(api, event, dict(JOHN, name="Johnny", phone="+1 315 555 0175"))
    assert (r.status_code, r.json()) == (422, field_error("client", "The client already has an appointment in "
                                                                    "this event"))
    assert f.client_row(database_url, client_id) == before
    assert f.event_seats(database_url, event) == 1 == f.count_rows(database_url, "records")


# --- bad input ----------------------------------------------------------------------------

def test_a_missing_client_and_seat_count_are_named(api, event):
    r = api.post(records(event), json={})
    assert (r.status_code, r.json()) == (422, error(MISSING, {"clients_count": [MISSING], "client": [MISSING]}))


def test_every_required_client_field_is_named_with_a_dotted_key(api, event):
    r = api.post(records(event), json={"client": {}, "clients_count": 1})
    fields = ("name", "phone", "email", "surname", "gender")
    assert (r.status_code, r.json()) == (422, error(MISSING, {f"client.{k}": [MISSING] for k in fields}))


@pytest.mark.parametrize("client, field, message", [
    ({"name": " "}, "client.name", "This value should not be blank."),
    ({"phone": "call me"}, "client.phone", "This value is not a valid phone number."),
    ({"phone": ""}, "client.phone", "This value is not a valid phone number."),
    ({"phone": 420601000001}, "client.phone", "This value should be of type string."),
    ({"email": "not-an-email"}, "client.email", "This value is not a valid email address."),
    ({"gender": 3}, "client.gender", "This value should be between 0 and 2."),
    ({"gender": "male"}, "client.gender", "This value should be of type integer."),
    ({"birthday": "1990-02-30"}, "client.birthday", "This value is not a valid date. Expected YYYY-MM-DD."),
    ({"birthday": "01.02.1990"}, "client.birthday", "This value is not a valid date. Expected YYYY-MM-DD."),
    ({"id": -1}, "client.id", "This value should be greater than or equal to 0."),
    ({"custom_field_values": "value"}, "client.custom_field_values", "This value should be of type array."),
    ({"custom_field_values": [{"value": "x"}]}, "client.custom_field_values.0.code", MISSING),
    ({"agreements": [{"is_newsletter_allowed": "yes"}]}, "client.agreements.0.is_newsletter_allowed",
     "This value should be of type bool."),
    ({"name": "a\x00b"}, "client.name", "This value contains invalid characters."),
    ({"nickname": "Jo"}, "client.nickname", "This field was not expected."),
])
def test_bad_client_fields_are_refused_with_the_field_named(api, database_url, event, client, field, message):
    r = book(api, event, dict(JOHN, **client))
    assert (r.status_code, r.json()) == (422, field_error(field, message))
    assert f.count_rows(database_url, "records") == 0


def test_a_gender_may_be_sent_as_a_numeric_string(api, database_url, event):
    r = book(api, event, dict(JOHN, gender="2"))
    assert f.client_row(database_url, r.json()["data"]["attributes"]["client_id"])["gender"] == 2


@pytest.mark.parametrize("body, field, message", [
    ({"clients_count": 0}, "clients_count", "This value should be between 1 and 1000000."),
    ({"clients_count": 2**40}, "clients_count", "This value should be between 1 and 1000000."),
    ({"clients_count": "2"}, "clients_count", "This value should be of type integer."),
    ({"clients_count": 1.5}, "clients_count", "This value should be of type integer."),
    ({"labels": [0]}, "labels.0", "This value should be greater than or equal to 1."),
    ({"labels": "1051"}, "labels", "This value should be of type array."),
    ({"comer_id": "x", "client": None}, "comer_id", "This value should be of type integer."),
    ({"extra": 1}, "extra", "This field was not expected."),
])
def test_bad_booking_fields_are_refused_with_the_field_named(api, event, body, field, message):
    r = api.post(records(event), json={"client": JOHN, "clients_count": 1, **body})
    assert (r.status_code, r.json()) == (422, field_error(field, message))


def test_a_body_that_is_not_an_object_is_422(api, event):
    r = api.post(records(event), json=[1, 2])
    message = "This value should be of type object."
    assert (r.status_code, r.json()) == (422, field_error("body", message))


def test_a_body_that_is_not_json_is_400(api, event):
    r = api.post(records(event), content=b"{client", headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (400, error("Invalid JSON"))


def test_a_read_only_user_cannot_book(api, database_url, event):
    r = api.post(records(event), json={"client": JOHN, "clients_count": 1}, auth=READONLY_AUTH)
    assert (r.status_code, r.json()) == (403, error("Access denied."))
    assert f.event_seats(database_url, event) == 0


def test_booking_needs_tokens_and_the_v2_media_type(api, event):
    assert api.post(records(event), json={"client": JOHN, "clients_count": 1}, auth=None).status_code == 401
    r = api.post(records(event), json={"client": JOHN, "clients_count": 1}, accept="application/json")
    assert r.status_code == 400


ODD_VALUES = [None, True, -1, 0, 2**70, 1.5, 1e300, "", "x" * 70000, "1", [], {}, [None], [{"a": 1}], {"a": 1}]


def test_no_value_of_any_type_in_any_field_makes_a_server_error(api, event):
    fields = ["client_id", "client", "comer_id", "comer", "labels", "clients_count", "surprise"]
    client_fields = ["id", "name", "phone", "email", "surname", "patronymic", "gender", "birthday",
                     "custom_field_values", "agreements"]
    bodies = [{"client": JOHN, "clients_count": 1, name: v} for name in fields for v in ODD_VALUES]
    bodies += [{"client": dict(JOHN, **{name: v}), "clients_count": 1} for name in client_fields for v in ODD_VALUES]
    bodies += [{"comer": {"name": v}, "clients_count": 1} for v in ODD_VALUES]
    for body in bodies:
        r = api.post(records(event), json=body)
        assert r.status_code in (201, 400, 404, 422), (body, r.status_code, r.text)
        if r.status_code == 201:
            assert api.delete(f"/api/v2/locations/{LOC}/appointments/{r.json()['data']['id']}").status_code == 204
