"""What the group-event commands take and give: an event as stored, what surrounds it, a
whole event as a client describes it, and a search."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

# The open end of a period: far beyond any start a request can give (year 2999).
FOREVER = 2**62


class Event(NamedTuple):
    """An event as stored, with its service's title and its location's time zone.

    A tuple in the order of the repository's event columns (`repo.EVENT_COLUMNS`) followed by
    the time zone, so a fetched row becomes an event without being copied into a dict first.
    `notified`, `forced` and `deleted` may be 0/1 (SQLite) as well as booleans: present them
    with `bool()`. Being a tuple of plain values, an event is hashable: equal events present
    equally, which is what lets the presenters keep encoded events.
    """

    id: int
    location_id: int
    staff_id: int
    service_id: int
    start_ts: int
    length: int  # seconds, technical break included
    technical_break: int
    capacity: int
    clients_count: int
    color: str
    font_color: str
    instructions: str
    stream_link: str
    comment: str | None
    notified: bool
    forced: bool
    deleted: bool
    created_at: int
    updated_at: int
    service_title: str
    timezone: str

    @property
    def end_ts(self) -> int:
        return self.start_ts + self.length

    @property
    def services_duration(self) -> int:
        return self.length - self.technical_break

    @property
    def free_seats(self) -> int:
        return self.capacity - self.clients_count


@dataclass(frozen=True)
class Related:
    """What surrounds a set of events: staff and services by id (services with their category
    title, staff with their position title), resource instances and labels by event id."""

    staff: dict[int, dict[str, Any]]
    services: dict[int, dict[str, Any]]
    resource_instances: dict[int, list[dict[str, Any]]]
    labels: dict[int, list[dict[str, Any]]]


@dataclass(frozen=True)
class EventInput:
    """A whole event as a client describes it; what is left out is empty."""

    staff_id: int
    service_id: int
    date: str  # local wall-clock time, `YYYY-MM-DD HH:MM:SS` or `YYYY-MM-DD HH:MM`
    length: int | None  # seconds; includes the break when one is given; None: the service's duration
    capacity: int
    resource_instance_ids: list[int] = field(default_factory=list)
    label_ids: list[int] = field(default_factory=list)
    technical_break: int | None = None  # None: the location's default break is added to `length`
    comment: str | None = None
    color: str = ""
    instructions: str = ""
    stream_link: str = ""
    force: bool = False


@dataclass(frozen=True)
class Period:
    """A search period as a request names it: local wall-clock texts of the location, both ends included."""

    start_from: str
    start_to: str
    fields: tuple[str, str] = ("from", "to")  # the request's names of the two bounds, for field errors
    not_in_past: bool = False  # refuse a period starting before the location's "now"


@dataclass(frozen=True)
class EventQuery:
    """Which live events of a location a search selects, and which page of them: those
    starting in [start_from, start_to] (Unix seconds), then every condition given."""

    start_from: int = 0
    start_to: int = FOREVER
    staff_ids: tuple[int, ...] = ()
    service_ids: tuple[int, ...] = ()
    resource_ids: tuple[int, ...] = ()
    resource_instance_ids: tuple[int, ...] = ()
    min_free_seats: int = 0
    search: str = ""  # found anywhere in the service title, comment or instructions, in any case
    limit: int = 100
    offset: int = 0


@dataclass(frozen=True)
class EventPage:
    events: list[Event]
    total: int
    related: Related | None = None
