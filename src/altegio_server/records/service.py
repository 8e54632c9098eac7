"""Event appointments (behaviour 5): book, change or move, cancel, list.

Every command is one transaction: a request that fails leaves seat counts, clients and
appointments exactly as they were. Python checks come first so that refusals carry good
messages; the guarded statements and unique indexes of the repository are what make the
rules hold under concurrent requests, on every database and across server processes.

The common booking, a client by phone and no labels, skips the checks: it tries the writes
at once (one statement on PostgreSQL), and only if the database refuses them does the
checked booking run, to say why. Every booking takes its locks in the repository's order:
the event, then the client, then the appointment.
"""

from __future__ import annotations

from typing import Any, Callable

from altegio_server.clients.service import client_for_booking, comer_for_booking
from altegio_server.commands import KEEP
from altegio_server.db import Connection, IntegrityError
from altegio_server.deps import Deps
from altegio_server.errors import AlreadyBooked, Busy, NoSeats, NotFound, Refused, ValidationFailed
from altegio_server.locations import repository as locations
from altegio_server.records import repository as repo
from altegio_server.records import rules
from altegio_server.records.models import Booking, RecordChanges, RecordQuery
from altegio_server.tags import repository as tags
from altegio_server.tags.rules import COMMON, RECORD
from altegio_server.webhooks import outbox

Row = dict[str, Any]

# A cancellation that keeps finding its appointment moved gives up after this many tries.
_CANCEL_ATTEMPTS = 5


def _fail(field: str, message: str) -> ValidationFailed:
    return ValidationFailed(message, {field: [message]})


async def _check_labels(conn: Connection, location_id: int, tag_ids: tuple[int, ...], field: str) -> None:
    """Labels must be live appointment (2) or common (0) tags of the location."""
    usable = await tags.usable(conn, location_id, tag_ids, (COMMON, RECORD))
    errors = {f"{field}.{i}": [rules.BAD_LABEL] for i, t in enumerate(tag_ids) if t not in usable}
    if errors:
        raise ValidationFailed(errors=errors)


async def _check_sellers(conn: Connection, location_id: int, goods: tuple[Row, ...]) -> None:
    """Goods are sold by live team members of the location (behaviour 10.4)."""
    known = await repo.team_members(conn, location_id, sorted({g["staff_id"] for g in goods}))
    errors = {f"attendance_good_items.{i}.staff_id": [rules.SELLER_UNKNOWN]
              for i, g in enumerate(goods) if g["staff_id"] not in known}
    if errors:
        raise ValidationFailed(errors=errors)


def _no_seats(field: str, message: str) -> NoSeats:
    return NoSeats(message, {field: [message]})


def _already_booked(field: str = "client") -> AlreadyBooked:
    return AlreadyBooked(rules.ALREADY_BOOKED, {field: [rules.ALREADY_BOOKED]})


async def _refuse_seats(conn: Connection, event_id: int, field: str,
                        describe: Callable[[int], str] = rules.no_seats) -> NoSeats:
    """The error for a reservation the database refused: the event is gone (404), or full."""
    event = await repo.get_event(conn, event_id)
    if event is None or event["deleted"]:
        raise NotFound()
    return _no_seats(field, describe(rules.free_seats(event)))


async def create_record(deps: Deps, location_id: int, event_id: int, booking: Booking, booking_user_id: int) -> Row:
    """Book seats in an event for a client or a walk-in visitor."""
    now = deps.clock.timestamp()
    if booking.by_phone_alone:
        try:
            record = await _book_by_phone(deps, location_id, event_id, booking, booking_user_id, now)
        except IntegrityError:
            record = None  # a second booking, or a phone clash: the full path says which
        if record is not None:
            return record
    return await _book(deps, location_id, event_id, booking, booking_user_id, now)


async def book_online(deps: Deps, location_id: int, event_id: int, booking: Booking) -> Row:
    """Book seats for a client by phone from a business's website or widget (behaviour 18):
    `create_record` with no user behind it, whose refusals speak of the online body's fields,
    a full event as the vendor's numbered refusal."""
    try:
        return await create_record(deps, location_id, event_id, booking, rules.ONLINE_BOOKING_USER)
    except NoSeats as exc:
        raise Refused(rules.SEATS_TAKEN_CODE, exc.message) from None
    except AlreadyBooked:
        raise _already_booked("phone") from None


async def _book_by_phone(deps: Deps, location_id: int, event_id: int, booking: Booking, booking_user_id: int,
                         now: int) -> Row | None:
    """The booking in as few statements as the database allows, with no checks before them:
    None if the event refused the seats, and nothing is written."""
    async with repo.book_by_phone_transaction(deps.db) as conn:
        if conn.chained_writes:  # the one statement announces the client and the appointment itself
            return await repo.book_by_phone(conn, location_id, event_id, booking, booking_user_id, now)
        assert booking.client is not None
        client_status = await outbox.client_status_before(conn, location_id, booking.client)
        record = await repo.book_by_phone(conn, location_id, event_id, booking, booking_user_id, now)
        if record is not None:
            await outbox.client_changed(conn, location_id, record["client_id"], client_status)
            await outbox.record_changed(conn, location_id, record["id"], "create")
        return record


async def _book(deps: Deps, location_id: int, event_id: int, booking: Booking, booking_user_id: int, now: int) -> Row:
    """Any booking, checked step by step so that a refusal names its first reason."""
    async with deps.db.transaction(write=True) as conn:
        return await create_record_in(conn, location_id, event_id, booking, booking_user_id, now)


async def create_record_in(conn: Connection, location_id: int, event_id: int, booking: Booking,
                           booking_user_id: int, now: int) -> Row:
    """The checked booking inside a transaction the caller owns (the demo's schedule, behaviour 12.1)."""
    seats = booking.seats
    event = await repo.get_event(conn, event_id)
    if event is None or event["location_id"] != location_id or event["deleted"]:
        raise NotFound()
    if rules.has_ended(event, now):
        raise ValidationFailed(rules.EVENT_ENDED)
    await _check_labels(conn, location_id, booking.labels, "labels")
    if rules.free_seats(event) < seats:
        raise _no_seats("clients_count", rules.no_seats(rules.free_seats(event)))
    # Seats before the client: the lock order.
    if not await repo.reserve_seats(conn, location_id, event_id, seats):
        raise await _refuse_seats(conn, event_id, "clients_count")

    client_id = comer_id = None
    if booking.client is not None:
        client_status = await outbox.client_status_before(conn, location_id, booking.client)
        client_id = await client_for_booking(conn, location_id, booking.client, now)
        await outbox.client_changed(conn, location_id, client_id, client_status)
        if await repo.client_has_active(conn, event_id, client_id):
            raise _already_booked()
    else:
        comer_id = await comer_for_booking(conn, location_id, booking.comer_id, booking.comer_name)

    try:
        record_id = await repo.insert(conn, location_id, event_id, client_id, comer_id, seats,
                                      booking_user_id, now, booking.comment, booking.external_id)
    except IntegrityError as exc:
        if exc.constraint == repo.ONE_ACTIVE_PER_CLIENT:
            raise _already_booked() from None
        raise
    await repo.add_labels(conn, record_id, booking.labels)
    await outbox.record_changed(conn, location_id, record_id, "create")
    return await repo.view(conn, record_id)


async def update_record(deps: Deps, location_id: int, event_id: int, record_id: int, changes: RecordChanges) -> Row:
    """Change an appointment of the event in the path, and move it to another event if the
    changes name one; both events' seats change in this one transaction."""
    now = deps.clock.timestamp()
    target_id = None if changes.move_to == event_id else changes.move_to
    async with deps.db.transaction(write=True) as conn:
        # Holding the path event's lock first keeps the record's seats still while we decide.
        events = await repo.lock_events(conn, [event_id] if target_id is None else [event_id, target_id])
        current = events.get(event_id)
        record = await repo.get(conn, record_id)
        if (current is None or current["location_id"] != location_id or current["deleted"] or record is None
                or record["deleted"] or record["event_id"] != event_id or record["location_id"] != location_id):
            raise NotFound()
        if changes.attendance is not KEEP and rules.attendance_problem(changes.attendance):
            raise _fail("attendance", rules.BAD_ATTENDANCE)
        if changes.labels is not KEEP:
            await _check_labels(conn, location_id, changes.labels, "label_ids")
        if changes.good_items is not KEEP and changes.good_items:
            await _check_sellers(conn, location_id, changes.good_items)

        seats = record["clients_count"] if changes.seats is None else changes.seats
        values: Row = {}
        if target_id is not None:
            await _move(conn, record, current, events.get(target_id), seats, location_id, now)
            values.update(event_id=target_id, clients_count=seats)
        elif seats != record["clients_count"]:
            await _resize(conn, record, seats)
            values["clients_count"] = seats
        values.update(_plain_changes(changes))
        try:
            await repo.update(conn, record_id, values, now)
        except IntegrityError as exc:
            if exc.constraint == repo.ONE_ACTIVE_PER_CLIENT:
                raise _fail("reschedule_activity_id", rules.TARGET_BOOKED) from None
            raise
        if changes.labels is not KEEP:
            await repo.set_labels(conn, record_id, changes.labels)
        await outbox.record_changed(conn, location_id, record_id, "update")
        return await repo.view(conn, record_id)


def _plain_changes(changes: RecordChanges) -> Row:
    """Stored fields written as given (the request schema, or `rules.attendance_problem`, checked them), by column."""
    values = {"comment": changes.comment, "custom_color": changes.color, "service_item": changes.service_item,
              "good_items": changes.good_items, "attendance": changes.attendance}
    return {column: value for column, value in values.items() if value is not KEEP}


async def _resize(conn: Connection, record: Row, seats: int) -> None:
    """More seats must be free (one guarded statement); fewer seats free the rest."""
    grow = seats - record["clients_count"]
    if grow > 0:
        if not await repo.reserve_seats(conn, record["location_id"], record["event_id"], grow):
            raise await _refuse_seats(conn, record["event_id"], "clients_count")
    else:
        await repo.release_seats(conn, record["event_id"], -grow)


async def _move(conn: Connection, record: Row, current: Row, target: Row | None, seats: int,
                location_id: int, now: int) -> None:
    """Move the appointment's seats from its event to `target` (both already locked)."""
    refusal = rules.reschedule_refusal(record, current, target, location_id, seats, now)
    if refusal:
        raise _fail("reschedule_activity_id", refusal)
    assert target is not None
    if record["client_id"] is not None and await repo.client_has_active(conn, target["id"], record["client_id"]):
        raise _fail("reschedule_activity_id", rules.TARGET_BOOKED)
    # Seat counts change in ascending event id order, the order the locks were taken in.
    for event_id in sorted((current["id"], target["id"])):
        if event_id == current["id"]:
            await repo.release_seats(conn, event_id, record["clients_count"])
        elif not await repo.reserve_seats(conn, location_id, event_id, seats):
            raise await _refuse_seats(conn, event_id, "reschedule_activity_id", rules.no_seats_in_target)


async def cancel_record(deps: Deps, location_id: int, record_id: int, event_id: int | None = None) -> None:
    """Cancel an active appointment, freeing its seats; 404 if there is none (any more), or,
    with `event_id`, if it is not (any more) an appointment of that event."""
    now = deps.clock.timestamp()
    for _ in range(_CANCEL_ATTEMPTS):
        async with deps.db.transaction(write=True) as conn:
            record = await repo.get(conn, record_id)
            if (record is None or record["location_id"] != location_id or record["deleted"]
                    or event_id not in (None, record["event_id"])):
                raise NotFound()
            # Lock the event before touching the record (the common lock order). If the
            # appointment moved to another event meanwhile, start over with that one.
            event = (await repo.lock_events(conn, [record["event_id"]]))[record["event_id"]]
            seats = await repo.cancel(conn, record_id, record["event_id"], now)
            if seats is not None:
                if not event["deleted"]:  # a deleted event has given back all its seats already
                    await repo.release_seats(conn, record["event_id"], seats)
                await outbox.record_changed(conn, location_id, record_id, "delete")
                return
            still = await repo.get(conn, record_id)
            if still is None or still["deleted"]:
                raise NotFound()
    raise Busy(rules.CHANGED_CONCURRENTLY)


async def list_records(deps: Deps, location_id: int, event_ids: list[int], limit: int,
                       offset: int) -> tuple[list[Row], int]:
    """Active appointments of the location (of the given events, if any), oldest first."""
    async with deps.db.transaction() as conn:
        return await repo.list_active(conn, location_id, event_ids, limit, offset)


async def list_event_records(deps: Deps, location_id: int, event_id: int, limit: int,
                             offset: int) -> tuple[list[Row], int]:
    """Active appointments of one live event of the location, oldest first; 404 for any other
    event, as booking into it is."""
    async with deps.db.transaction() as conn:
        event = await repo.get_event(conn, event_id)
        if event is None or event["location_id"] != location_id or event["deleted"]:
            raise NotFound()
        return await repo.list_active(conn, location_id, [event_id], limit, offset)


async def get_record(deps: Deps, location_id: int, record_id: int) -> Row:
    """One active appointment of the location, as the record resource shows it; 404 otherwise."""
    async with deps.db.transaction() as conn:
        record = await repo.get(conn, record_id)
        if record is None or record["location_id"] != location_id or record["deleted"]:
            raise NotFound()
        return await repo.view(conn, record_id)


async def get_record_details(deps: Deps, location_id: int, record_id: int) -> Row:
    """One appointment of the location, a cancelled one too, with what the v1 object shows
    of its event, client and labels (`labels`); 404 if the location has no such appointment."""
    async with deps.db.transaction() as conn:
        record = await repo.details(conn, location_id, record_id)
        if record is None:
            raise NotFound()
        labels = await repo.labels_of(conn, [record_id])
    return {**record, "labels": labels.get(record_id, [])}


async def search_record_details(deps: Deps, location_id: int, query: RecordQuery) -> tuple[list[Row], int]:
    """A page of the location's active appointments matching the query, by start then id,
    as `get_record_details` gives them; with the number of all matches. 404 for no location."""
    async with deps.db.transaction() as conn:
        location = await locations.get(conn, location_id)
        if location is None:
            raise NotFound()
        tz = location["timezone"]
        bounds = {"start_from": rules.day_start(query.start_from, tz), "start_to": rules.day_end(query.start_to, tz),
                  "created_from": rules.day_start(query.created_from, tz),
                  "created_to": rules.day_end(query.created_to, tz),
                  "changed_from": rules.instant(query.changed_after, tz),
                  "changed_to": rules.instant(query.changed_before, tz),
                  "staff_id": query.staff_id, "client_id": query.client_id,
                  "booking_user_id": query.created_user_id}
        rows, total = await repo.search_details(conn, location_id, bounds, query.limit, query.offset)
        labels = await repo.labels_of(conn, [r["id"] for r in rows])
    return [{**r, "labels": labels.get(r["id"], [])} for r in rows], total
