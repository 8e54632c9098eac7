"""An event's page (behaviour 21.4): what it shows, read in one transaction, and its edit and
delete, which go through the events' own service (the same rules, webhooks and seat
guarantee as the API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from altegio_server.console import event as rules
from altegio_server.console import repository as repo
from altegio_server.console.sessions import Grant
from altegio_server.colors import safe_color
from altegio_server.deps import Deps
from altegio_server.errors import NotFound, ValidationFailed
from altegio_server.events import repository as events_repo
from altegio_server.events import service as events
from altegio_server.events.models import Event, EventInput
from altegio_server.records import repository as records_repo
from altegio_server.timezones import local


@dataclass(frozen=True)
class EventPage:
    event: Event
    staff_name: str
    rooms: list[str]
    labels: list[str]
    appointments: list[dict[str, Any]]  # active ones, oldest first
    truncated: bool  # more appointments than the page lists
    now: int

    @property
    def full(self) -> bool:
        return self.event.clients_count >= self.event.capacity

    @property
    def past(self) -> bool:
        return self.event.end_ts <= self.now

    @property
    def deleted(self) -> bool:
        return bool(self.event.deleted)

    @property
    def color(self) -> str | None:
        return safe_color(self.event.color)

    @property
    def day(self) -> str:
        """The local date it starts on, `YYYY-MM-DD`: its week's link."""
        return local(self.event.start_ts, self.event.timezone).date().isoformat()

    def local(self, ts: int, shape: str = "%a %d %b %Y %H:%M") -> str:
        """A moment in the location's zone."""
        return local(ts, self.event.timezone).strftime(shape)

    @property
    def title(self) -> str:
        return f"{self.event.service_title}, {self.local(self.event.start_ts, '%d %b %H:%M')}"


@dataclass(frozen=True)
class EventForm:
    """The edit form's event and its choices: the location's team, group services and rooms."""

    event: Event
    room_ids: list[int]
    label_ids: list[int]  # its labels still live: what a save keeps
    team: list[dict[str, Any]]
    services: list[dict[str, Any]]
    rooms: list[dict[str, Any]]

    def values(self) -> dict[str, str]:
        """The form's fields as the event fills them."""
        e = self.event
        fields = {"date": local(e.start_ts, e.timezone).strftime("%Y-%m-%d %H:%M"),
                  "length": str(e.services_duration // 60), "capacity": str(e.capacity), "staff_id": str(e.staff_id),
                  "service_id": str(e.service_id), "color": safe_color(e.color) or "", "comment": e.comment or ""}
        return fields | {f"room-{i}": "1" for i in self.room_ids}


async def event_page(deps: Deps, grant: Grant, event_id: int) -> EventPage:
    """An event of the location, deleted or not, with its active appointments."""
    async with deps.db.transaction() as conn:
        event = await events.load_event(conn, grant.location_id, event_id)
        if event is None:
            raise NotFound()
        staff = await events_repo.staff_by_ids(conn, [event.staff_id])
        rooms = (await events_repo.instances_of(conn, [event_id]))[event_id]
        labels = (await events_repo.labels_of(conn, [event_id]))[event_id]
        found = await repo.appointments(conn, grant.location_id, event_id)
        shown = found[:repo.MAX_EVENT_RECORDS]
        record_labels = await records_repo.labels_of(conn, [r["id"] for r in shown])
    appointments = [{"id": r["id"], "who": rules.who(r), "phone": r["client_phone"] or "", "seats": r["clients_count"],
                     "attendance": r["attendance"], "attendance_words": rules.ATTENDANCE_WORDS.get(r["attendance"], ""),
                     "labels": [t["title"] for t in record_labels.get(r["id"], [])]} for r in shown]
    return EventPage(event, staff[event.staff_id]["name"], [r["title"] for r in rooms], [t["title"] for t in labels],
                     appointments, len(found) > len(shown), deps.clock.timestamp())


async def event_form(deps: Deps, grant: Grant, event_id: int) -> EventForm:
    """A live event of the location with what its edit form offers."""
    async with deps.db.transaction() as conn:
        event = await events.load_event(conn, grant.location_id, event_id)
        if event is None or event.deleted:
            raise NotFound()
        rooms = (await events_repo.instances_of(conn, [event_id]))[event_id]
        labels = (await events_repo.labels_of(conn, [event_id]))[event_id]
        return EventForm(event, [r["id"] for r in rooms], [t["id"] for t in labels if not t["deleted"]],
                         await repo.team(conn, grant.location_id),
                         await repo.services(conn, grant.location_id), await repo.rooms(conn, grant.location_id))


async def save_event(deps: Deps, grant: Grant, event_id: int, edit: rules.EventEdit) -> None:
    """Replace the event with the form's values, keeping what the form does not show (labels
    still live, instructions, stream link, technical break) as they are."""
    form = await event_form(deps, grant, event_id)
    errors = rules.edit_errors(edit, {m["id"] for m in form.team}, {s["id"] for s in form.services},
                               {r["id"] for r in form.rooms}, form.event.technical_break)
    if errors:
        raise ValidationFailed(errors=errors)
    current = form.event
    await events.update_event(deps, grant.location_id, event_id, EventInput(
        staff_id=edit.staff_id, service_id=edit.service_id, date=edit.date,
        length=edit.minutes * 60 + current.technical_break, technical_break=current.technical_break,
        capacity=edit.capacity, resource_instance_ids=list(edit.room_ids),
        label_ids=form.label_ids,
        comment=edit.comment or None, color=edit.color, instructions=current.instructions,
        stream_link=current.stream_link, force=edit.force))


async def delete_event(deps: Deps, grant: Grant, event_id: int) -> date:
    """Delete a live event (its appointments cancelled with it); the local date it was on."""
    event = await events.get_event(deps, grant.location_id, event_id)
    await events.delete_event(deps, grant.location_id, event_id)
    return local(event.start_ts, event.timezone).date()
