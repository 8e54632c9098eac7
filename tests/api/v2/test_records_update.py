"""Changing and moving an appointment: PATCH, PUT and POST .../records/{record_id} (behaviour 5.3)."""

from __future__ import annotations

import json

import pytest

from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error

LOC = PRAGUE["id"]
JOHN = {"name": "John", "phone": "+13155550175", "email": "john@example.com", "surname": "Smith", "gender": 1}
ANNA = {"id": 1061, "name": "Anna", "surname": "Novak", "phone": "+420601000001", "email": "anna@example.com",
        "gender": 2}
MISSING = "This field is missing."
LATER = f.NOW_TS + 2 * f.DAY


def record_path(event_id: int, record_id: int | str, location_id: int = LOC) -> str:
    return f"/api/v2/companies/{location_id}/activities/{event_id}/records/{record_id}"


def current_path(event_id: int, record_id: int | str, location_id: int = LOC) -> str:
    return f"/api/v2/locations/{location_id}/events/{event_id}/appointments/{record_id}"


def field_error(field: str, message: str) -> dict:
    return error(message, {field: [message]})


def refused(message: str) -> dict:
    return field_error("reschedule_activity_id", message)


class Booked:
    """An appointment made through the API, and what the test needs to know about it."""

    def __init__(self, api, event_id: int, client: dict | None = None, seats: int = 1, comer: str | None = None):
        body = {"comer": {"name": comer}} if comer else {"client": client or JOHN}
        r = api.post(f"/api/v2/locations/{LOC}/events/{event_id}/appointments", json={**body, "clients_count": seats})
        assert r.status_code == 201, r.json()
        self.event_id = event_id
        self.id = int(r.json()["data"]["id"])
        self.attributes = r.json()["data"]["attributes"]


def expected(booked: Booked, **changes) -> dict:
    a = booked.attributes
    base = dict(event_id=booked.event_id, client_id=a["client_id"], comer_id=a["comer_id"],
                comer_name=a["client_fictive_name"] or "", clients_count=a["clients_count"], start=a["timestamp"])
    return {"success": True, "data": f.record_resource(booked.id, **{**base, **changes}), "meta": {}}


@pytest.fixture
def event(database_url) -> int:
    return f.make_event(database_url, capacity=4)


@pytest.fixture
def other(database_url) -> int:
    """A later event of the same location, with a different length and team member."""
    return f.make_event(database_url, capacity=3, start=LATER, length=4800, staff_id=PRAGUE["staff_ids"][1])


# --- one operation, three methods ---------------------------------------------------------

def test_patch_changes_comment_color_and_labels(api, database_url, event):
    booked = Booked(api, event)
    labels = [PRAGUE["tag_ids"]["record"][0], PRAGUE["tag_ids"]["common"][0]]
    r = api.patch(record_path(event, booked.id), json={
        "reschedule_activity_id": event, "comment": "Bring a mat", "color": "f44336", "label_ids": labels})
    assert (r.status_code, r.json()) == (200, expected(booked, comment="Bring a mat", color="f44336",
                                                      font_color="ffffff"))
    assert f.record_labels(database_url, booked.id) == sorted(labels)


@pytest.mark.parametrize("method", ["put", "post"])
def test_put_and_post_are_the_same_operation_without_reschedule_activity_id(api, event, method):
    booked = Booked(api, event)
    r = getattr(api, method)(current_path(event, booked.id), json={"comment": "Late", "color": "FFEB3B"})
    assert (r.status_code, r.json()) == (200, expected(booked, comment="Late", color="FFEB3B", font_color="000000"))


def test_an_empty_change_answers_the_record_as_it_is(api, event):
    booked = Booked(api, event)
    r = api.put(record_path(event, booked.id), json={})
    assert (r.status_code, r.json()) == (200, expected(booked))


def test_patch_requires_reschedule_activity_id(api, event):
    booked = Booked(api, event)
    r = api.patch(record_path(event, booked.id), json={"comment": "x"})
    assert (r.status_code, r.json()) == (422, field_error("reschedule_activity_id", MISSING))


def test_a_color_may_carry_a_hash_and_an_empty_one_clears_it(api, event):
    booked = Booked(api, event)
    r = api.put(record_path(event, booked.id), json={"color": "#2196f3"})
    assert r.json() == expected(booked, color="2196f3", font_color="ffffff")
    r = api.put(record_path(event, booked.id), json={"color": "", "comment": None})
    assert r.json() == expected(booked)


def test_label_ids_replace_the_set_and_an_empty_list_clears_it(api, database_url, event):
    booked = Booked(api, event)
    record_tag, common_tag = PRAGUE["tag_ids"]["record"][0], PRAGUE["tag_ids"]["common"][0]
    api.put(record_path(event, booked.id), json={"label_ids": [record_tag]})
    api.put(record_path(event, booked.id), json={"label_ids": [common_tag]})
    assert f.record_labels(database_url, booked.id) == [common_tag]
    api.put(record_path(event, booked.id), json={"comment": "labels stay"})
    assert f.record_labels(database_url, booked.id) == [common_tag]
    api.put(record_path(event, booked.id), json={"label_ids": []})
    assert f.record_labels(database_url, booked.id) == []


def test_labels_that_are_not_appointment_tags_here_are_refused(api, database_url, event):
    booked = Booked(api, event)
    labels = [PRAGUE["tag_ids"]["record"][0], PRAGUE["tag_ids"]["activity"][0], NEW_YORK["tag_ids"]["common"][0]]
    r = api.put(record_path(event, booked.id), json={"label_ids": labels, "comment": "not saved"})
    message = "No appointment tag with this id at this location"
    assert (r.status_code, r.json()) == (422, error(message, {"label_ids.1": [message], "label_ids.2": [message]}))
    assert f.fetch(database_url, "SELECT comment FROM records WHERE id = $1", booked.id) == [{"comment": ""}]


def test_the_service_item_and_goods_are_stored(api, database_url, event):
    booked = Booked(api, event)
    item = {"cost_per_unit": 100, "discount_percent": 10, "manual_cost": 90}
    good = {"good_id": 7, "unit_id": 1, "storage_id": 2, "staff_id": PRAGUE["staff_ids"][0],
            "operation_unit_type": "sale", "quantity": 2, "cost_per_unit": 5.5, "manual_cost": 11,
            "discount_percent": 0, "id": 0, "number": 0, "planned_activation_date": "2019-08-24T14:15:22Z",
            "marks": ["m1"]}
    r = api.put(record_path(event, booked.id), json={"attendance_service_item": item,
                                                     "attendance_good_items": [good]})
    assert (r.status_code, r.json()) == (200, expected(booked))
    stored = f.fetch(database_url, "SELECT service_item, good_items FROM records WHERE id = $1", booked.id)[0]
    assert (json.loads(stored["service_item"]), json.loads(stored["good_items"])) == (item, [good])
    api.put(record_path(event, booked.id), json={"attendance_service_item": None, "attendance_good_items": None})
    stored = f.fetch(database_url, "SELECT service_item, good_items FROM records WHERE id = $1", booked.id)[0]
    assert (stored["service_item"], json.loads(stored["good_items"])) == (None, [])


def test_goods_sold_by_a_team_member_of_another_location_are_refused(api, database_url, event):
    booked = Booked(api, event)
    good = {"good_id": 7, "unit_id": 1, "storage_id": 2, "staff_id": PRAGUE["staff_ids"][0],
            "operation_unit_type": "sale", "quantity": 1, "cost_per_unit": 5, "manual_cost": 5, "discount_percent": 0}
    before = f.fetch(database_url, "SELECT * FROM records WHERE id = $1", booked.id)
    for staff_id in (NEW_YORK["staff_ids"][0], 999999):
        r = api.put(record_path(event, booked.id),
                    json={"comment": "not saved", "attendance_good_items": [good, dict(good, staff_id=staff_id)]})
        message = "No team member with this id at this location"
        assert (r.status_code, r.json()) == (422, field_error("attendance_good_items.1.staff_id", message))
    assert f.fetch(database_url, "SELECT * FROM records WHERE id = $1", booked.id) == before


def test_the_service_item_needs_all_three_amounts(api, event):
    booked = Booked(api, event)
    r = api.put(record_path(event, booked.id), json={"attendance_service_item": {"cost_per_unit": 100}})
    assert (r.status_code, r.json()) == (422, error(MISSING, {
        "attendance_service_item.discount_percent": [MISSING], "attendance_service_item.manual_cost": [MISSING]}))


@pytest.mark.parametrize("change, field, message", [
    ({"operation_unit_type": "gift"}, "operation_unit_type", "The value you selected is not a valid choice."),
    ({"quantity": -1}, "quantity", "This value should be between 0 and 1e+15."),
    ({"discount_percent": 150}, "discount_percent", "This value should be between 0 and 100."),
    ({"cost_per_unit": "5"}, "cost_per_unit", "This value should be of type numeric."),
    ({"planned_activation_date": "soon"}, "planned_activation_date",
     "This value is not a valid datetime. Expected YYYY-MM-DD HH:MM:SS."),
    ({"good_id": None}, "good_id", "This value should not be null."),
    ({"colour": "red"}, "colour", "This field was not expected."),
])
def test_bad_goods_are_refused_with_the_item_and_field_named(api, event, change, field, message):
    booked = Booked(api, event)
    good = {"good_id": 7, "unit_id": 1, "storage_id": 2, "staff_id": 1, "operation_unit_type": "consumable",
            "quantity": 1, "cost_per_unit": 5, "manual_cost": 5, "discount_percent": 0}
    r = api.put(record_path(event, booked.id), json={"attendance_good_items": [good, dict(good, **change)]})
    assert (r.status_code, r.json()) == (422, field_error(f"attendance_good_items.1.{field}", message))


@pytest.mark.parametrize("body, field, message", [
    ({"color": "red"}, "color", "This value is not valid."),
    ({"color": "#f4433"}, "color", "This value is not valid."),
    ({"clients_count": 0}, "clients_count", "This value should be between 1 and 1000000."),
    ({"reschedule_activity_id": "2"}, "reschedule_activity_id", "This value should be of type integer."),
    ({"reschedule_activity_id": 0}, "reschedule_activity_id", "This value should be greater than or equal to 1."),
    ({"comment": 5}, "comment", "This value should be of type string."),
    ({"label_ids": [1, "x"]}, "label_ids.1", "This value should be of type integer."),
    ({"attendance": 1}, "attendance", "This field was not expected."),
])
def test_bad_fields_are_refused_with_the_field_named(api, event, body, field, message):
    booked = Booked(api, event)
    r = api.post(record_path(event, booked.id), json=body)
    assert (r.status_code, r.json()) == (422, field_error(field, message))


def test_a_body_that_is_not_json_is_400(api, event):
    booked = Booked(api, event)
    r = api.patch(record_path(event, booked.id), content=b"nope", headers={"Content-Type": "application/json"})
    assert (r.status_code, r.json()) == (400, error("Invalid JSON"))


def test_a_read_only_user_cannot_change_an_appointment(api, event):
    booked = Booked(api, event)
    r = api.put(record_path(event, booked.id), json={"comment": "x"}, auth=READONLY_AUTH)
    assert (r.status_code, r.json()) == (403, error("Access denied."))


# --- which record ---------------------------------------------------------------------------

def test_the_record_must_belong_to_the_event_in_the_path(api, database_url, event, other):
    booked = Booked(api, event)
    for path in (record_path(other, booked.id), record_path(event, 999999), record_path(event, 2**64),
                 record_path(987654, booked.id)):
        r = api.put(path, json={"comment": "x"})
        assert (r.status_code, r.json()) == (404, error("Not found"))


def test_an_appointment_is_not_reachable_through_another_location(api, database_url, event):
    booked = Booked(api, event)
    r = api.put(record_path(event, booked.id, NEW_YORK["id"]), json={"comment": "x"})
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_cancelled_appointment_cannot_be_changed(api, event):
    booked = Booked(api, event)
    api.delete(f"/api/v2/locations/{LOC}/appointments/{booked.id}")
    r = api.put(record_path(event, booked.id), json={"comment": "x"})
    assert (r.status_code, r.json()) == (404, error("Not found"))


# --- seats ----------------------------------------------------------------------------------

def test_more_seats_must_be_free_and_fewer_seats_free_the_rest(api, database_url, event):
    booked = Booked(api, event, seats=1)
    Booked(api, event, ANNA, seats=1)
    r = api.put(record_path(event, booked.id), json={"clients_count": 3})
    assert (r.status_code, r.json()) == (200, expected(booked, clients_count=3))
    assert f.event_seats(database_url, event) == 4
    r = api.put(record_path(event, booked.id), json={"clients_count": 4, "comment": "not saved"})
    message = "Not enough free seats in the event: 0 left"
    assert (r.status_code, r.json()) == (422, field_error("clients_count", message))
    r = api.put(record_path(event, booked.id), json={"clients_count": 1})
    assert r.json() == expected(booked, clients_count=1)
    assert f.event_seats(database_url, event) == 2 == f.active_seats(database_url, event)


# --- moving to another event ----------------------------------------------------------------

def test_an_appointment_moves_to_another_event_with_its_seats(api, database_url, event, other):
    booked = Booked(api, event, seats=2)
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": other})
    assert (r.status_code, r.json()) == (200, expected(booked, event_id=other, start=LATER, length=4800,
                                                      staff_id=PRAGUE["staff_ids"][1]))
    assert (f.event_seats(database_url, event), f.event_seats(database_url, other)) == (0, 2)
    # From now on it is reached through its new event only.
    assert api.put(record_path(event, booked.id), json={}).status_code == 404
    assert api.put(record_path(other, booked.id), json={}).status_code == 200


def test_a_move_may_change_the_seat_count_too(api, database_url, event, other):
    booked = Booked(api, event, seats=2)
    r = api.post(current_path(event, booked.id), json={"reschedule_activity_id": other, "clients_count": 3})
    assert r.json()["data"]["attributes"]["clients_count"] == 3
    assert (f.event_seats(database_url, event), f.event_seats(database_url, other)) == (0, 3)


def test_a_walk_in_visitor_moves_too(api, database_url, event, other):
    booked = Booked(api, event, comer="Guest")
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": other})
    assert r.status_code == 200
    assert r.json()["data"]["attributes"]["client_fictive_name"] == "Guest"


@pytest.mark.parametrize("column, value, message", [
    ("attendance", 1, "Only a waiting appointment can be moved to another event"),
    ("attendance", -1, "Only a waiting appointment can be moved to another event"),
    ("attendance", 2, "Only a waiting appointment can be moved to another event"),
    ("paid_full", 1, "A paid appointment cannot be moved to another event"),
    ("paid_full", 2, "A paid appointment cannot be moved to another event"),
])
def test_only_a_waiting_unpaid_appointment_moves(api, database_url, event, other, column, value, message):
    booked = Booked(api, event)
    f.execute(database_url, f"UPDATE records SET {column} = $2 WHERE id = $1", booked.id, value)
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": other})
    assert (r.status_code, r.json()) == (422, refused(message))
    # The same appointment still takes every other change, and shows its state.
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": event, "comment": "ok"})
    assert r.json() == expected(booked, comment="ok", **{column: value})


def test_an_appointment_of_an_ended_event_stays_where_it_is(api, database_url, clock, other):
    event = f.make_event(database_url, start=f.NOW_TS + 600, length=3600)
    booked = Booked(api, event)
    clock.advance(600 + 3600)
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": other})
    assert (r.status_code, r.json()) == (422, refused("The appointment's event has already ended"))


@pytest.mark.parametrize("which", ["unknown", "deleted", "other location"])
def test_the_target_must_be_a_live_event_of_this_location(api, database_url, event, which):
    ny = NEW_YORK
    target = {
        "unknown": lambda: 987654,
        "deleted": lambda: f.make_event(database_url, start=LATER, deleted=True),
        "other location": lambda: f.make_event(database_url, location_id=ny["id"], staff_id=ny["staff_ids"][0],
                                               service_id=ny["group_service_ids"][0], start=LATER),
    }[which]()
    booked = Booked(api, event)
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": target})
    assert (r.status_code, r.json()) == (422, refused("No event with this id at this location"))


def test_the_target_must_not_have_started(api, database_url, event):
    started = f.make_event(database_url, start=f.NOW_TS, length=3600)
    booked = Booked(api, event)
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": started})
    assert (r.status_code, r.json()) == (422, refused("The event to move to has already started"))


def test_the_target_must_have_the_seats(api, database_url, event, other):
    Booked(api, other, ANNA, seats=2)
    booked = Booked(api, event, seats=2)
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": other})
    assert (r.status_code, r.json()) == (422, refused("Not enough free seats in the event to move to: 1 left"))
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": other, "clients_count": 1})
    assert r.status_code == 200
    assert (f.event_seats(database_url, event), f.event_seats(database_url, other)) == (0, 3)


def test_the_client_must_not_already_be_in_the_target(api, database_url, event, other):
    Booked(api, other, JOHN)
    booked = Booked(api, event, JOHN)
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": other})
    assert (r.status_code, r.json()) == (
        422, refused("The client already has an appointment in the event to move to"))


def test_a_refused_move_leaves_everything_as_it_was(api, database_url, event, other):
    Booked(api, other, ANNA, seats=3)
    booked = Booked(api, event, seats=2)
    r = api.patch(record_path(event, booked.id), json={"reschedule_activity_id": other, "comment": "moved",
                                                       "label_ids": [PRAGUE["tag_ids"]["record"][0]]})
    assert r.status_code == 422
    assert (f.event_seats(database_url, event), f.event_seats(database_url, other)) == (2, 3)
    assert f.record_labels(database_url, booked.id) == []
    assert f.fetch(database_url, "SELECT event_id, comment FROM records WHERE id = $1", booked.id) == [
        {"event_id": event, "comment": ""}]


def test_moving_back_and_forth_keeps_every_count_true(api, database_url, event, other):
    booked = Booked(api, event, seats=2)
    for source, target in [(event, other), (other, event), (event, other)]:
        assert api.patch(record_path(source, booked.id), json={"reschedule_activity_id": target}).status_code == 200
    for e in (event, other):
        assert f.event_seats(database_url, e) == f.active_seats(database_url, e)
    assert f.event_seats(database_url, other) == 2


ODD_VALUES = [None, True, -1, 0, 2**70, 1.5, 1e300, "", "x" * 70000, "1", [], {}, [None], [{"a": 1}], {"a": 1}]


def test_no_value_of_any_type_in_any_field_makes_a_server_error(api, event, other):
    booked = Booked(api, event)
    fields = ["reschedule_activity_id", "attendance_service_item", "attendance_good_items", "comment", "label_ids",
              "color", "clients_count", "surprise"]
    good = {"good_id": 7, "unit_id": 1, "storage_id": 2, "staff_id": 1, "operation_unit_type": "sale",
            "quantity": 1, "cost_per_unit": 5, "manual_cost": 5, "discount_percent": 0}
    bodies = [{name: v} for name in fields for v in ODD_VALUES]
    bodies += [{"attendance_good_items": [dict(good, **{name: v})]} for name in [*good, "marks", "number"]
               for v in ODD_VALUES]
    bodies += [{"attendance_service_item": {"cost_per_unit": v, "discount_percent": v, "manual_cost": v}}
               for v in ODD_VALUES]
    for body in bodies:
        r = api.put(record_path(event, booked.id), json=body)
        assert r.status_code in (200, 400, 404, 422), (body, r.status_code, r.text)
