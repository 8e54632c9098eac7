"""What the appointment commands take: a booking, and the changes of one appointment."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from altegio_server.clients.models import ClientDetails
from altegio_server.commands import KEEP, Kept


@dataclass(frozen=True, slots=True)
class Booking:
    """Seats in an event for a client, or else for a walk-in visitor."""

    seats: int
    client: ClientDetails | None = None
    comer_id: int | None = None  # an existing walk-in visitor; None: a new one
    comer_name: str | None = None  # the new visitor's name, or comer_id's new one; None: not given
    labels: tuple[int, ...] = ()  # appointment or common tags of the location
    comment: str = ""
    external_id: str = ""  # the booking's id in the system that sent it

    @property
    def by_phone_alone(self) -> bool:
        """The common booking: a client named by phone only, no labels."""
        return self.client is not None and self.client.id is None and not self.labels


@dataclass(frozen=True, slots=True)
class RecordChanges:
    """Changes of one appointment; a field left KEEP stays as stored."""

    move_to: int | None = None  # an event to move to; None or the appointment's own: stay
    seats: int | None = None  # None: as many as booked
    comment: str | Kept = KEEP
    color: str | Kept = KEEP  # hex without '#'; "" for none
    service_item: dict[str, Any] | None | Kept = KEEP
    good_items: tuple[dict[str, Any], ...] | Kept = KEEP
    labels: tuple[int, ...] | Kept = KEEP
    attendance: int | Kept = KEEP  # rules.ATTENDANCE_SLUGS; the console marks it (behaviour 21.4)


@dataclass(frozen=True, slots=True)
class RecordQuery:
    """Which appointments of a location a v1 list selects, and which page of them.

    Dates are local dates of the location (`YYYY-MM-DD`), both ends included; None: no bound.
    """

    limit: int
    offset: int
    start_from: str | None = None  # of the event's start
    start_to: str | None = None
    created_from: str | None = None  # of the booking
    created_to: str | None = None
    changed_after: str | None = None  # ISO 8601 date-times; without an offset, local time
    changed_before: str | None = None
    staff_id: int | None = None
    client_id: int | None = None
    created_user_id: int | None = None
