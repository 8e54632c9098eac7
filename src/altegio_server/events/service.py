"""Group events (behaviour 4): create, replace, read, search, delete.

One domain for both wire formats: the functions take neutral inputs (`EventInput`,
`EventQuery`, `Period`, see models.py) and return neutral records (`Event`, `Related`) that
each API version presents in its own way. Every write is one transaction; any error rolls
all of it back.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from altegio_server.colors import font_color_for
from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.errors import Busy, FieldErrors, InvalidRequest, NotFound, ValidationFailed
from altegio_server.events import repository as repo
from altegio_server.events import rules
from altegio_server.events.models import Event, EventInput, EventPage, EventQuery, Period, Related
from altegio_server.locations import repository as locations
from altegio_server.tags import repository as tags
from altegio_server.tags.rules import ACTIVITY, COMMON
from altegio_server.webhooks import outbox


async def get_event(deps: Deps, location_id: int, event_id: int) -> Event:
    """An event of the location, deleted ones included (they read `deleted`)."""
    async with deps.db.transaction() as conn:
        event = await load_event(conn, location_id, event_id)
    if event is None:
        raise NotFound()
    return event


async def get_event_details(deps: Deps, location_id: int, event_id: int) -> tuple[Event, Related]:
    """An event together with its staff, service (and category), resource instances and labels."""
    async with deps.db.transaction() as conn:
        event = await load_event(conn, location_id, event_id)
        if event is None:
            raise NotFound()
        return event, await related_of(conn, [event])


async def search_events(deps: Deps, location_id: int, period: Period, query: EventQuery,
                        with_related: bool = False) -> EventPage:
    """One page of the location's live events in the period matching the query, by start then id."""
    async with deps.db.transaction() as conn:
        tz, query = await in_period(conn, deps, location_id, period, query)
        rows, total = await repo.search(conn, location_id, query)
        events = [Event._make((*r, tz)) for r in rows]
        related = await related_of(conn, events) if with_related else None
    return EventPage(events, total, related)


async def in_period(conn: Connection, deps: Deps, location_id: int, period: Period,
                    query: EventQuery) -> tuple[str, EventQuery]:
    """The location's time zone and the query bounded by the period; 404 for no location,
    400 for a period that cannot be read or runs backwards."""
    tz = (await location_or_404(conn, location_id))["timezone"]
    start_from, start_to = rules.parse_start(period.start_from, tz), rules.parse_start(period.start_to, tz)
    now = deps.clock.timestamp() if period.not_in_past else None
    errors = rules.period_errors(start_from, start_to, now, period.fields)
    if errors:
        raise InvalidRequest(errors=errors)
    assert start_from is not None and start_to is not None
    return tz, replace(query, start_from=start_from, start_to=start_to)


async def create_event(deps: Deps, location_id: int, data: EventInput) -> Event:
    """Create a group event, refusing busy staff or resource instances unless forced."""
    async with deps.db.transaction(write=True) as conn:
        return await create_event_in(conn, location_id, data, deps.clock.timestamp())


async def create_event_details(deps: Deps, location_id: int, data: EventInput) -> tuple[Event, Related]:
    """Create a group event (as `create_event`); the event with its related objects."""
    async with deps.db.transaction(write=True) as conn:
        event = await create_event_in(conn, location_id, data, deps.clock.timestamp())
        return event, await related_of(conn, [event])


async def update_event(deps: Deps, location_id: int, event_id: int, data: EventInput) -> Event:
    """Replace a live event as a whole; the capacity may not drop below the seats booked."""
    async with deps.db.transaction(write=True) as conn:
        return await _update(conn, location_id, event_id, data, deps.clock.timestamp())


async def update_event_details(deps: Deps, location_id: int, event_id: int,
                               data: EventInput) -> tuple[Event, Related]:
    """Replace a live event (as `update_event`); the event with its related objects."""
    async with deps.db.transaction(write=True) as conn:
        event = await _update(conn, location_id, event_id, data, deps.clock.timestamp())
        return event, await related_of(conn, [event])


async def create_event_in(conn: Connection, location_id: int, data: EventInput, now: int) -> Event:
    """`create_event` inside a transaction the caller owns (the demo's schedule, behaviour 12.1)."""
    values, instance_ids, label_ids = await _checked(conn, location_id, data, exclude_id=0)
    event_id = await repo.insert(conn, location_id, values, now)
    await repo.link(conn, event_id, instance_ids, label_ids)
    await outbox.activity_changed(conn, location_id, event_id, "create")  # each copy of a series too
    return await load_event(conn, location_id, event_id)  # type: ignore[return-value]


async def _update(conn: Connection, location_id: int, event_id: int, data: EventInput, now: int) -> Event:
    current = await load_event(conn, location_id, event_id)
    if current is None or current.deleted:
        raise NotFound()
    values, instance_ids, label_ids = await _checked(conn, location_id, data, exclude_id=event_id)
    if not await repo.replace(conn, event_id, values, now):
        # The guard refused: seats were booked beyond the new capacity (or the event just went).
        latest = await load_event(conn, location_id, event_id)
        if latest is None or latest.deleted:
            raise NotFound()
        message = rules.capacity_below_booked(latest.clients_count)
        raise ValidationFailed(message, {"capacity": [message]})
    await repo.link(conn, event_id, instance_ids, label_ids)
    await outbox.activity_changed(conn, location_id, event_id, "update")
    return await load_event(conn, location_id, event_id)  # type: ignore[return-value]


async def load_event(conn: Connection, location_id: int, event_id: int) -> Event | None:
    """An event of the location (deleted ones too), inside a transaction the caller owns."""
    row = await repo.get(conn, location_id, event_id)
    return None if row is None else Event._make(row)


async def delete_event(deps: Deps, location_id: int, event_id: int) -> None:
    """Soft-delete a live event and cancel its active appointments, all at once."""
    now = deps.clock.timestamp()
    async with deps.db.transaction(write=True) as conn:
        if not await repo.soft_delete(conn, location_id, event_id, now):
            raise NotFound()
        await outbox.event_appointments_cancelled(conn, location_id, event_id)
        await outbox.activity_changed(conn, location_id, event_id, "delete")
        await repo.cancel_appointments(conn, event_id, now)


async def location_or_404(conn: Connection, location_id: int) -> dict[str, Any]:
    """The location's row; 404 if there is none."""
    location = await locations.get(conn, location_id)
    if location is None:
        raise NotFound()
    return location


async def _checked(conn: Connection, location_id: int, data: EventInput,
                   exclude_id: int) -> tuple[dict[str, Any], list[int], list[int]]:
    """Every rule of 4.4 in order (404, 400, 422, 409); the row to write and the links."""
    location = await location_or_404(conn, location_id)
    lock = not data.force  # the busy check below must not race with another writer (PostgreSQL)
    staff = await repo.staff(conn, location_id, data.staff_id, lock)
    service = await repo.service(conn, location_id, data.service_id)
    if staff is None or service is None:
        raise NotFound()
    if not service["is_group"]:
        raise InvalidRequest(rules.NOT_GROUP)

    errors: FieldErrors = {}
    start = rules.parse_start(data.date, location["timezone"])
    if start is None:
        errors["date"] = [rules.DATE_INVALID]
    requested = data.length if data.length is not None else service["duration"]
    length, technical_break, duration_errors = rules.durations(requested, data.technical_break,
                                                               location["default_break"])
    errors.update(duration_errors)
    errors.update(rules.capacity_errors(data.capacity))
    errors.update(rules.color_errors(data.color))
    instance_ids = list(dict.fromkeys(data.resource_instance_ids))
    instances = await repo.resource_instances(conn, location_id, instance_ids, lock)
    for i, rid in enumerate(data.resource_instance_ids):
        if rid not in instances:
            errors[f"resource_instance_ids.{i}"] = [rules.RESOURCE_UNKNOWN]
    label_ids = list(dict.fromkeys(data.label_ids))
    usable = await tags.usable(conn, location_id, label_ids, (ACTIVITY, COMMON))
    for i, tid in enumerate(data.label_ids):
        if tid not in usable:
            errors[f"label_ids.{i}"] = [rules.LABEL_UNUSABLE]
    if errors:
        raise ValidationFailed(errors=errors)

    assert start is not None
    end = start + length
    if not data.force:
        earliest = start - rules.MAX_LENGTH
        staff_busy = await repo.staff_busy(conn, data.staff_id, start, end, earliest, exclude_id)
        busy = await repo.busy_instances(conn, instance_ids, start, end, earliest, exclude_id)
        if staff_busy or busy:
            titles = [instances[i]["title"] for i in instance_ids if i in busy]
            raise Busy(rules.busy_message(staff["name"] if staff_busy else None, titles))

    values = {
        "staff_id": data.staff_id, "service_id": data.service_id, "start_ts": start, "end_ts": end,
        "length": length, "technical_break": technical_break, "capacity": data.capacity,
        "color": data.color, "font_color": font_color_for(data.color), "instructions": data.instructions,
        "stream_link": data.stream_link, "comment": data.comment, "forced": data.force,
    }
    return values, instance_ids, label_ids


async def related_of(conn: Connection, events: list[Event]) -> Related:
    """The staff, services, resource instances and labels of the events, in a few batched reads."""
    if not events:
        return Related({}, {}, {}, {})
    event_ids = [e.id for e in events]
    return Related(
        staff=await repo.staff_by_ids(conn, sorted({e.staff_id for e in events})),
        services=await repo.services_by_ids(conn, sorted({e.service_id for e in events})),
        resource_instances=await repo.instances_of(conn, event_ids),
        labels=await repo.labels_of(conn, event_ids),
    )
