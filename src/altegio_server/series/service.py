"""Duplication strategies and series of group events (behaviour 17).

A series is made of copies of one event, each created by the events service's own command
(`create_event_in`), so every rule of behaviour 4.4 holds for every copy. The whole series is
one transaction: a copy that breaks a rule (a busy team member or room on one date) rolls
back every copy before it, and the answer names that date.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.errors import Busy, NotFound, ValidationFailed, field_error
from altegio_server.events import service as events
from altegio_server.events.models import Event, EventInput, Related
from altegio_server.events.rules import parse_start
from altegio_server.records import repository as records
from altegio_server.series import repository as repo
from altegio_server.series import rules
from altegio_server.series.models import RepeatRule, SeriesRequest, StrategyInput
from altegio_server.timezones import local
from altegio_server.webhooks import outbox


def strategy_rule(row: dict[str, Any]) -> RepeatRule:
    """The repeat rule a stored strategy holds."""
    days = tuple(int(d) for d in row["days"].split(",")) if row["days"] else ()
    return RepeatRule(row["repeat_mode_id"], days, row["repeat_interval"])


async def list_strategies(deps: Deps, location_id: int) -> list[dict[str, Any]]:
    """The location's duplication strategies, by id; 404 for no location."""
    async with deps.db.transaction() as conn:
        await events.location_or_404(conn, location_id)
        return await repo.strategies(conn, location_id)


async def create_strategy(deps: Deps, location_id: int, data: StrategyInput) -> dict[str, Any]:
    async with deps.db.transaction(write=True) as conn:
        await events.location_or_404(conn, location_id)
        strategy_id = await repo.insert(conn, location_id, data, deps.clock.timestamp())
        return await _strategy_or_404(conn, location_id, strategy_id)


async def update_strategy(deps: Deps, location_id: int, strategy_id: int, data: StrategyInput) -> dict[str, Any]:
    """Replace a strategy of the location as a whole; another location's is not found."""
    async with deps.db.transaction(write=True) as conn:
        if not await repo.replace(conn, location_id, strategy_id, data, deps.clock.timestamp()):
            raise NotFound()
        return await _strategy_or_404(conn, location_id, strategy_id)


async def delete_strategy(deps: Deps, location_id: int, strategy_id: int) -> None:
    """Delete a strategy for good; the series made with it stay as they are."""
    async with deps.db.transaction(write=True) as conn:
        if not await repo.delete(conn, location_id, strategy_id):
            raise NotFound()


async def _strategy_or_404(conn: Connection, location_id: int, strategy_id: int) -> dict[str, Any]:
    row = await repo.strategy(conn, location_id, strategy_id)
    if row is None:
        raise NotFound()
    return row


async def duplicate_event(deps: Deps, location_id: int, event_id: int,
                          request: SeriesRequest) -> tuple[list[Event], Related]:
    """Copy a live event to every start the request gives, all or nothing; the copies by start."""
    now = deps.clock.timestamp()
    async with deps.db.transaction(write=True) as conn:
        source = await events.load_event(conn, location_id, event_id)
        if source is None or source.deleted:
            raise NotFound()
        content_type, starts = await _starts(conn, location_id, source, request)
        template = await _template(conn, source, request.force)
        copies = []
        for start in starts:
            if parse_start(start, source.timezone) == source.start_ts:
                continue  # the event itself is already there (behaviour 17.3)
            try:
                copy = await events.create_event_in(conn, location_id, replace(template, date=start), now)
            except Busy as busy:
                raise Busy(f"{busy.message}: {start[:16]}") from None
            if content_type == rules.WITH_APPOINTMENTS:
                copy = await _copy_appointments(conn, source, copy, start, now)
            copies.append(copy)
        copies.sort(key=lambda e: (e.start_ts, e.id))
        return copies, await events.related_of(conn, copies)


async def _starts(conn: Connection, location_id: int, source: Event,
                  request: SeriesRequest) -> tuple[int, list[str]]:
    """Whether appointments are copied, and the local start times of the copies."""
    if request.starts:
        return request.content_type or rules.WITHOUT_APPOINTMENTS, list(request.starts)
    rule, content_type = request.rule, request.content_type
    if request.strategy_id is not None:
        row = await repo.strategy(conn, location_id, request.strategy_id)
        if row is None:
            raise NotFound()
        rule, content_type = strategy_rule(row), content_type or row["content_type"]
    assert rule is not None
    first, last = rules.read_day(request.first), rules.read_day(request.last) if request.last else None
    assert first is not None
    days = rules.series_dates(rule, first, last, request.count)
    if days is None:
        raise field_error("till" if request.count is None else "count", rules.TOO_MANY)
    if not days:
        raise field_error("from", rules.NO_DATES)
    at = local(source.start_ts, source.timezone)
    hour = at.hour if request.hours is None else request.hours
    minute = at.minute if request.minutes is None else request.minutes
    return content_type or rules.WITHOUT_APPOINTMENTS, [rules.local_start(d, hour, minute, at.second) for d in days]


async def _template(conn: Connection, source: Event, force: bool) -> EventInput:
    """The source event as a whole-event input, to be given each copy's start."""
    related = await events.related_of(conn, [source])
    return EventInput(
        staff_id=source.staff_id, service_id=source.service_id, date="", length=source.length,
        capacity=source.capacity, technical_break=source.technical_break,
        resource_instance_ids=[i["id"] for i in related.resource_instances[source.id]],
        label_ids=[t["id"] for t in related.labels[source.id]], comment=source.comment, color=source.color,
        instructions=source.instructions, stream_link=source.stream_link, force=force,
    )


async def _copy_appointments(conn: Connection, source: Event, copy: Event, start: str, now: int) -> Event:
    """Book each active appointment of the source into the copy through the one seat guard."""
    booked = await repo.active_appointments(conn, source.id)
    labels = await records.labels_of(conn, [b["id"] for b in booked])
    for b in booked:
        if await records.reserve_seats(conn, copy.location_id, copy.id, b["clients_count"]) is None:
            message = f"Not enough free seats to copy the appointments: {start[:16]}"
            raise ValidationFailed(message, {"content_type": [message]})
        record_id = await records.insert(conn, copy.location_id, copy.id, b["client_id"], b["comer_id"],
                                         b["clients_count"], b["booking_user_id"], now)
        await records.add_labels(conn, record_id, tuple(t["id"] for t in labels.get(b["id"], [])))
        await outbox.record_changed(conn, copy.location_id, record_id, "create")  # behaviour 20.2
    return await events.load_event(conn, copy.location_id, copy.id) or copy
