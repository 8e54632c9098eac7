"""An event's page (behaviour 21.4): its forms read into the domain's commands, the words it
shows, and where each refusal is shown. Pure functions."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from altegio_server.clients.models import ClientDetails
from altegio_server.colors import HEX_COLOR
from altegio_server.clients.rules import normalize_phone, phone_problem
from altegio_server.errors import FieldErrors, ValidationFailed
from altegio_server.events.rules import MAX_CAPACITY, MAX_LENGTH, STEP
from altegio_server.records.models import Booking

MAX_SEATS = 1_000_000  # as the API's booking body
MAX_NAME, MAX_PHONE, MAX_COMMENT = 255, 64, 65535
MINUTES_STEP = STEP // 60
# The vendor's attendance values (behaviour 5.2), in words, in the order a class runs.
ATTENDANCE_WORDS = {0: "Waiting", 2: "Confirmed", 1: "Came", -1: "Did not come"}
# What a redirect after a change says; the query names one of these, never the text itself.
NOTICES = {"booked": "The client is booked.", "seats": "The seats are changed.",
           "attendance": "The attendance is saved.", "cancelled": "The appointment is cancelled.",
           "saved": "The event is saved."}
# Where a refusal's field errors are shown: the domain's field names to the form's.
BOOK_FIELDS = {"clients_count": "seats", "seats": "seats", "client": "phone", "phone": "phone", "name": "name"}
RECORD_FIELDS = {"clients_count": "seats", "seats": "seats", "attendance": "attendance"}
EDIT_FIELDS = {"date": "date", "length": "length", "technical_break_duration": "length", "capacity": "capacity",
               "color": "color", "comment": "comment", "staff_id": "staff_id", "service_id": "service_id",
               "resource_instance_ids": "rooms", "rooms": "rooms"}
_WHEN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}")
_NUMBER = re.compile(r"[0-9]{1,18}")
MAX_ID = 2**63 - 1
_COLOR = re.compile(HEX_COLOR)  # as an event's colour is stored
MAX_MINUTES = MAX_LENGTH // 60
LENGTH_WORDS = f"Enter the length in minutes, a multiple of {MINUTES_STEP} up to {MAX_MINUTES}."
WHEN_FORMAT = "Enter the date and time as YYYY-MM-DD HH:MM, local time of the location."


class FormInvalid(ValidationFailed):
    """A form whose fields cannot be read as the command they stand for (400)."""


@dataclass(frozen=True)
class Refusal:
    """Why a form of the page was refused, shown beside that form: by field, or as a whole."""

    form: str  # "book", "seats", "attendance", "cancel" or "edit"
    fields: dict[str, str]
    message: str | None  # what no field of the form stands for
    typed: dict[str, str]  # what the user sent, shown again
    record_id: int | None = None


@dataclass(frozen=True)
class EventEdit:
    """The edit form, read: what it shows of an event (behaviour 21.4)."""

    date: str  # local `YYYY-MM-DD HH:MM`
    minutes: int  # without the technical break
    capacity: int
    staff_id: int
    service_id: int
    room_ids: tuple[int, ...]
    color: str  # `#rrggbb` or ""
    comment: str
    force: bool = False


def refusal(form: str, error: ValidationFailed, names: dict[str, str], typed: dict[str, str],
            record_id: int | None = None) -> Refusal:
    """Each field error beside the field it names; the rest (or a bare message) above the form."""
    fields: dict[str, str] = {}
    rest: list[str] = []
    for key, messages in error.errors.items():
        name = names.get(key.split(".")[0])
        if name is not None and name not in fields:
            fields[name] = messages[0]
        else:
            rest.extend(messages)
    message = " ".join(rest) if rest else (None if fields else error.message)
    return Refusal(form, fields, message, typed, record_id)


def _number(text: str | None, low: int, high: int, field: str, message: str, errors: FieldErrors) -> int:
    value = (text or "").strip()
    if not _NUMBER.fullmatch(value) or not low <= int(value) <= high:
        errors[field] = [message]
        return 0
    return int(value)


def _done(errors: FieldErrors) -> None:
    if errors:
        raise FormInvalid(errors=errors)


def seats(form: dict[str, str]) -> int:
    errors: FieldErrors = {}
    value = _number(form.get("seats"), 1, MAX_SEATS, "seats", f"Enter a number of seats from 1 to {MAX_SEATS}.",
                    errors)
    _done(errors)
    return value


def booking(form: dict[str, str]) -> Booking:
    """The booking form: a client by phone, with their name, and seats."""
    errors: FieldErrors = {}
    phone, name = form.get("phone", "").strip(), form.get("name", "").strip()
    if not phone:
        errors["phone"] = ["Enter the client's phone."]
    elif len(phone) > MAX_PHONE or phone_problem(phone):
        errors["phone"] = ["Enter a phone of 5 to 20 digits, with + and spaces if you like."]
    if not name:
        errors["name"] = ["Enter the client's name."]
    elif len(name) > MAX_NAME:
        errors["name"] = [f"Enter at most {MAX_NAME} characters."]
    try:
        count = seats(form)
    except FormInvalid as exc:
        errors.update(exc.errors)
        count = 0
    _done(errors)
    return Booking(count, client=ClientDetails(normalize_phone(phone), name=name))


def attendance(form: dict[str, str]) -> int:
    text = form.get("attendance", "")
    if text not in {str(value) for value in ATTENDANCE_WORDS}:
        raise FormInvalid(errors={"attendance": ["Choose an attendance."]})
    return int(text)


def event_edit(form: dict[str, str]) -> EventEdit:
    """The edit form."""
    errors: FieldErrors = {}
    when = form.get("date", "").strip()
    try:
        if not _WHEN.fullmatch(when):
            raise ValueError
        datetime.strptime(when, "%Y-%m-%d %H:%M")
    except ValueError:
        errors["date"] = [WHEN_FORMAT]
    minutes = _number(form.get("length"), MINUTES_STEP, MAX_MINUTES, "length", LENGTH_WORDS, errors)
    if minutes % MINUTES_STEP:
        errors["length"] = [LENGTH_WORDS]
    capacity = _number(form.get("capacity"), 1, MAX_CAPACITY, "capacity",
                       f"Enter a capacity from 1 to {MAX_CAPACITY}.", errors)
    staff_id = _number(form.get("staff_id"), 1, MAX_ID, "staff_id", "Choose a team member.", errors)
    service_id = _number(form.get("service_id"), 1, MAX_ID, "service_id", "Choose a group service.", errors)
    rooms = tuple(int(key[5:]) for key, value in form.items()
                  if key.startswith("room-") and _NUMBER.fullmatch(key[5:]) and value)
    color = form.get("color", "").strip()
    if color and not _COLOR.fullmatch(color):
        errors["color"] = ["Enter a colour as #rrggbb, or leave it empty."]
    comment = form.get("comment", "")
    if len(comment) > MAX_COMMENT:
        errors["comment"] = [f"Enter at most {MAX_COMMENT} characters."]
    _done(errors)
    return EventEdit(when, minutes, capacity, staff_id, service_id, rooms, color.lower(), comment,
                     form.get("force") == "1")


def who(row: dict[str, Any]) -> str:
    """An appointment's client as the page names them: their name, else their phone; a walk-in
    visitor's name, else "Walk-in visitor"."""
    if row["client_id"] is not None:
        name = " ".join(part for part in (row["client_name"], row["client_surname"]) if part)
        return name or row["client_phone"] or f"Client {row['client_id']}"
    return row["comer_name"] or "Walk-in visitor"



def edit_errors(edit: EventEdit, team: set[int], services: set[int], rooms: set[int],
                break_seconds: int) -> FieldErrors:
    """What the edit form chose that the location does not offer, and a length that, with the
    event's technical break, passes the domain's limit."""
    errors: FieldErrors = {}
    if edit.staff_id not in team:
        errors["staff_id"] = ["Choose a team member of this location."]
    if edit.service_id not in services:
        errors["service_id"] = ["Choose a group service of this location."]
    if not set(edit.room_ids) <= rooms:
        errors["rooms"] = ["Choose rooms of this location."]
    if edit.minutes * 60 + break_seconds > MAX_LENGTH:
        errors["length"] = [f"With its {break_seconds // 60}-minute technical break the event may last at most "
                            f"{(MAX_LENGTH - break_seconds) // 60} minutes."]
    return errors
