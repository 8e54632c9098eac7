"""The demo studio's schedule (behaviour 12.1): a weekly timetable of classes laid out from a
week before seed time to four weeks after it, in each location's own time zone, with its
regular clients booked in: some classes full, some nearly full, some with a few seats taken.

Everything goes through the same rules as the API: events are created by the events service
(busy team members and rooms refused) and seats are booked by the appointments service
(guarded seat counts, one appointment per client), inside the demo's one transaction.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from altegio_server.clients.models import ClientDetails
from altegio_server.db import Connection
from altegio_server.events.models import EventInput
from altegio_server.events.service import create_event_in
from altegio_server.records.models import Booking
from altegio_server.records.service import create_record_in

DAYS_BEHIND = 7
WEEKS_AHEAD = 4
DAY = 86400
# The demo business "opened" two weeks before it was seeded: its locations, clients and
# timetable date from then, so that appointments of past classes were booked after them.
OPENED_BEFORE = 14 * DAY


class Slot(NamedTuple):
    """A weekly class: weekday (0 Monday), local start, and offsets from the location's base id."""

    weekday: int
    start: str
    service: int
    staff: int
    instance: int


# Offsets: services 21 yoga, 22 Pilates, 23 padel; staff 1 and 2 teach yoga and Pilates, 3 padel;
# instances 41 Room A, 42 Room B, 43 Court 1. No team member or room is in two classes at once,
# the location's 20-minute technical break included.
WEEK = (
    Slot(0, "07:30", 21, 1, 41), Slot(0, "18:00", 22, 2, 42),
    Slot(1, "12:15", 21, 2, 41), Slot(1, "17:30", 23, 3, 43),
    Slot(2, "07:30", 21, 1, 41), Slot(2, "18:00", 22, 1, 42),
    Slot(3, "17:30", 23, 3, 43), Slot(3, "19:00", 22, 2, 41),
    Slot(4, "07:30", 21, 1, 41),
    Slot(5, "09:00", 21, 2, 41), Slot(5, "10:00", 23, 3, 43), Slot(5, "10:30", 22, 1, 42),
    Slot(6, "10:00", 21, 1, 41),
)
OUTDOOR_TAG = 54  # the padel clinic is labelled with the location's "Outdoor" event tag

# How full the classes are, in turn: past classes were busy; the next two weeks fill up;
# later ones have only a few early bookings.
FILL_PAST = ("full", "nearly", "full", "half")
FILL_SOON = ("full", "nearly", "half", "few", "none", "nearly")
FILL_LATER = ("few", "none", "none", "half")
SOON = 14 * DAY
SEATS = (1, 1, 2, 1, 3)  # seats per appointment, in turn: some clients bring friends

# The regular clients of each location, besides the fixture's first client.
CLIENTS = {
    101: [("Petr", "Horak"), ("Klara", "Vesela"), ("Martin", "Cerny"), ("Lucie", "Prochazkova"),
          ("Jakub", "Kucera"), ("Tereza", "Markova"), ("Ondrej", "Pokorny")],
    102: [("Emily", "Johnson"), ("Michael", "Brown"), ("Sophia", "Davis"), ("Daniel", "Wilson"),
          ("Olivia", "Martinez"), ("David", "Anderson"), ("Ava", "Thomas")],
}


def clients(location_id: int, base: int) -> list[dict[str, Any]]:
    """The location's regular clients as fixture entries, ids from `base + 62`."""
    prefix = "+4206010000" if location_id == 101 else "+121255501"
    return [{"id": base + 62 + i, "name": name, "surname": surname, "phone": f"{prefix}{i + 2:02d}",
             "email": f"{name.lower()}.{surname.lower()}@example.com", "gender": 0}
            for i, (name, surname) in enumerate(CLIENTS[location_id])]


def days(today: date) -> list[date]:
    """The local dates the schedule covers: a week back, today and four weeks on."""
    return [today + timedelta(days=d) for d in range(-DAYS_BEHIND, 7 * WEEKS_AHEAD)]


def target_seats(kind: str, capacity: int) -> int:
    return {"full": capacity, "nearly": capacity - 1, "half": capacity // 2,
            "few": min(2, capacity), "none": 0}[kind]


def appointments(seats: int, regulars: list[dict[str, Any]], first: int) -> list[tuple[dict[str, Any], int]]:
    """Who books `seats` seats: distinct clients in turn from `first`, each with 1 to 3 seats."""
    booked: list[tuple[dict[str, Any], int]] = []
    left = seats
    for i in range(len(regulars)):
        if left <= 0:
            break
        n = min(SEATS[i % len(SEATS)], left)
        booked.append((regulars[(first + i) % len(regulars)], n))
        left -= n
    if left > 0:
        raise ValueError(f"{len(regulars)} clients cannot take {seats} seats")
    return booked


def _fill(start: int, now: int, ordinal: int) -> str:
    if start < now:
        return FILL_PAST[ordinal % len(FILL_PAST)]
    if start < now + SOON:
        return FILL_SOON[ordinal % len(FILL_SOON)]
    return FILL_LATER[ordinal % len(FILL_LATER)]


async def write(conn: Connection, location: dict[str, Any], base: int, booking_user_id: int, now: int) -> None:
    """The location's classes and their appointments, as of `now` (Unix seconds)."""
    zone = ZoneInfo(location["timezone"])
    opened = now - OPENED_BEFORE
    services = {s["id"]: s for s in location["services"]}
    regulars = [{k: c[k] for k in ("name", "surname", "phone", "email")} for c in location["clients"]]
    today = datetime.fromtimestamp(now, zone).date()
    ordinal = 0
    for day in days(today):
        for slot in (s for s in WEEK if s.weekday == day.weekday()):
            service = services[base + slot.service]
            event = await create_event_in(conn, location["id"], EventInput(
                staff_id=base + slot.staff, service_id=service["id"], date=f"{day.isoformat()} {slot.start}",
                length=None, capacity=service["capacity"], resource_instance_ids=[base + slot.instance],
                label_ids=[base + OUTDOOR_TAG] if slot.service == 23 else []), opened)
            seats = target_seats(_fill(event.start_ts, now, ordinal), event.capacity)
            for i, (client, n) in enumerate(appointments(seats, regulars, ordinal)):
                # Booked one to five days ahead, or before seed time, never before the business opened.
                booked_at = max(opened, min(now, event.start_ts) - DAY * (1 + (ordinal + i) % 5))
                await create_record_in(conn, location["id"], event.id, Booking(n, ClientDetails(**client)),
                                       booking_user_id, booked_at)
            ordinal += 1
