"""Event appointment rules (behaviour 5): pure functions and the messages they give."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from altegio_server.timezones import parse_local, zone

WAITING = 0
ATTENDANCE_SLUGS = {-1: "absent", 0: "waiting", 1: "attended", 2: "confirmed"}
UNPAID, PAID, OVERPAID = 0, 1, 2

# Create
EVENT_ENDED = "The event has already ended"
ALREADY_BOOKED = "The client already has an appointment in this event"
CLIENT_OR_COMER = "An appointment is for either a client or a walk-in visitor, not both"
CLIENT_ID_MISMATCH = "client_id and client.id name different clients"
BAD_LABEL = "No appointment tag with this id at this location"
SELLER_UNKNOWN = "No team member with this id at this location"
BAD_ATTENDANCE = "The attendance must be -1 (did not come), 0 (waiting), 1 (came) or 2 (confirmed)"

# Reschedule (all on `reschedule_activity_id`)
NOT_WAITING = "Only a waiting appointment can be moved to another event"
PAID_ALREADY = "A paid appointment cannot be moved to another event"
CURRENT_ENDED = "The appointment's event has already ended"
TARGET_UNKNOWN = "No event with this id at this location"
TARGET_STARTED = "The event to move to has already started"
TARGET_BOOKED = "The client already has an appointment in the event to move to"

# Online booking (behaviour 18)
ONLINE_BOOKING_USER = 0  # no user of the business books online: `booking_user_id` 0
SEATS_TAKEN_CODE = 433  # the vendor's number for "the chosen time is already taken"

CHANGED_CONCURRENTLY = "The appointment is being changed by another request; try again"


def no_seats(free: int) -> str:
    return f"Not enough free seats in the event: {max(free, 0)} left"


def no_seats_in_target(free: int) -> str:
    return f"Not enough free seats in the event to move to: {max(free, 0)} left"


def free_seats(event: dict[str, Any]) -> int:
    return event["capacity"] - event["clients_count"]


def attendance_problem(attendance: int) -> str | None:
    return None if attendance in ATTENDANCE_SLUGS else BAD_ATTENDANCE


def has_ended(event: dict[str, Any], now: int) -> bool:
    """An event has ended once its whole length, technical break included, has passed."""
    return now >= event["start_ts"] + event["length"]


def has_started(event: dict[str, Any], now: int) -> bool:
    return now >= event["start_ts"]


def reschedule_refusal(record: dict[str, Any], current: dict[str, Any], target: dict[str, Any] | None,
                       location_id: int, seats: int, now: int) -> str | None:
    """Why the appointment cannot move to `target` with `seats` seats, or None if it can.

    The client's other appointments are checked separately (that needs the database).
    """
    if record["attendance"] != WAITING:
        return NOT_WAITING
    if record["paid_full"] != UNPAID:
        return PAID_ALREADY
    if has_ended(current, now):
        return CURRENT_ENDED
    if target is None or target["location_id"] != location_id or target["deleted"]:
        return TARGET_UNKNOWN
    if has_started(target, now):
        return TARGET_STARTED
    if free_seats(target) < seats:
        return no_seats_in_target(free_seats(target))
    return None


# List bounds (behaviour 16.2): None stays None, meaning no bound.

def day_start(day: str | None, tz: str) -> int | None:
    """The first second of a local date `YYYY-MM-DD` in the zone."""
    return None if day is None else parse_local(f"{day} 00:00:00", tz)


def day_end(day: str | None, tz: str) -> int | None:
    """The last second of a local date `YYYY-MM-DD` in the zone."""
    return None if day is None else parse_local(f"{day} 23:59:59", tz)


def instant(text: str | None, tz: str) -> int | None:
    """Unix seconds of an ISO 8601 date-time; one without an offset is local time of the zone."""
    if text is None:
        return None
    given = datetime.fromisoformat(text)
    return int((given if given.tzinfo else given.replace(tzinfo=zone(tz))).timestamp())
