"""The event page's pure rules (behaviour 21.4): forms read into commands, refusals placed
beside their fields, clients named, attendance checked."""

from __future__ import annotations

import pytest

from altegio_server.console import event as rules
from altegio_server.errors import NoSeats, ValidationFailed
from altegio_server.records.rules import BAD_ATTENDANCE, attendance_problem


def test_a_booking_form_becomes_a_booking_by_phone_alone() -> None:
    booking = rules.booking({"phone": " +420 601-000 001 ", "name": " Anna ", "seats": "2"})
    assert booking.seats == 2 and booking.by_phone_alone
    assert booking.client is not None and (booking.client.phone, booking.client.name) == ("+420601000001", "Anna")


def test_every_unreadable_booking_field_is_named() -> None:
    with pytest.raises(rules.FormInvalid) as caught:
        rules.booking({"phone": "", "name": "x" * 256, "seats": "1000001"})
    assert set(caught.value.errors) == {"phone", "name", "seats"}


def test_field_errors_go_beside_their_fields_and_the_rest_above_the_form() -> None:
    seats = rules.refusal("book", NoSeats("none", {"clients_count": ["none"]}), rules.BOOK_FIELDS, {})
    assert (seats.fields, seats.message) == ({"seats": "none"}, None)
    bare = rules.refusal("book", ValidationFailed("The event has already ended"), rules.BOOK_FIELDS, {})
    assert (bare.fields, bare.message) == ({}, "The event has already ended")
    labels = rules.refusal("book", ValidationFailed(errors={"labels.0": ["bad label"]}), rules.BOOK_FIELDS, {})
    assert (labels.fields, labels.message) == ({}, "bad label")
    rooms = rules.refusal("edit", ValidationFailed(errors={"resource_instance_ids.1": ["no room"]}),
                          rules.EDIT_FIELDS, {})
    assert rooms.fields == {"rooms": "no room"}


@pytest.mark.parametrize(("row", "name"), [
    ({"client_id": 1, "client_name": "Anna", "client_surname": "Novak", "client_phone": "+4201"}, "Anna Novak"),
    ({"client_id": 1, "client_name": "", "client_surname": "", "client_phone": "+4201"}, "+4201"),
    ({"client_id": None, "comer_id": 3, "comer_name": "Guest"}, "Guest"),
    ({"client_id": None, "comer_id": 3, "comer_name": None}, "Walk-in visitor"),
])
def test_an_appointment_names_its_client(row: dict[str, object], name: str) -> None:
    assert rules.who(row) == name


def test_the_edit_form_reads_rooms_force_and_a_lower_case_colour() -> None:
    edit = rules.event_edit({"date": "2027-01-11 09:00", "length": "45", "capacity": "8", "staff_id": "1001",
                             "service_id": "1021", "room-1041": "1", "room-x": "1", "color": "#ABCDEF",
                             "comment": "", "force": "1"})
    assert (edit.minutes, edit.room_ids, edit.color, edit.force) == (45, (1041,), "#abcdef", True)


def test_a_length_that_with_the_break_passes_a_day_is_refused() -> None:
    edit = rules.event_edit({"date": "2027-01-11 09:00", "length": "1440", "capacity": "8", "staff_id": "1",
                             "service_id": "2"})
    assert rules.edit_errors(edit, {1}, {2}, set(), 1200) == {
        "length": ["With its 20-minute technical break the event may last at most 1420 minutes."]}
    assert rules.edit_errors(edit, {1}, {2}, set(), 0) == {}


@pytest.mark.parametrize(("value", "problem"), [(-1, None), (0, None), (1, None), (2, None), (3, BAD_ATTENDANCE),
                                                (-2, BAD_ATTENDANCE)])
def test_attendance_is_one_of_the_vendors_values(value: int, problem: str | None) -> None:
    assert attendance_problem(value) == problem
