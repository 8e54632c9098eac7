"""SQL for event appointments, and the seat arithmetic on their events.

Seats are the database's job. Every change of an event's `clients_count` is one guarded
statement, so a check and its write can never be split by another request; the events
table's CHECK (0 <= clients_count <= capacity) stands behind it. Seats are taken by one
statement only, `_RESERVE`, whether alone or inside a booking's single statement.

Lock order, the same in every command, so that no two requests wait on each other in a
circle: events in ascending id order, then clients, then records.
"""

from __future__ import annotations

import json
from contextlib import AbstractAsyncContextManager
from functools import lru_cache
from typing import Any

from altegio_server.clients import repository as clients
from altegio_server.clock import wall_time
from altegio_server.db import Connection, Database
from altegio_server.records.models import Booking
from altegio_server.webhooks import outbox

Row = dict[str, Any]

_EVENT = "SELECT id, location_id, staff_id, start_ts, length, capacity, clients_count, deleted FROM events"
_RECORD = ("SELECT id, location_id, event_id, client_id, comer_id, clients_count, attendance, paid_full, deleted "
           "FROM records")
# What the record resource shows of an appointment's own row.
_SHOWN = ("id", "location_id", "event_id", "client_id", "comer_id", "booking_user_id", "clients_count", "attendance",
          "paid_full", "comment", "custom_color", "external_id", "deleted", "created_at")
_VIEW = f"""
SELECT {", ".join(f"r.{column}" for column in _SHOWN)},
       e.staff_id, e.start_ts, e.length, l.timezone, c.name AS comer_name
FROM records r
JOIN events e ON e.id = r.event_id
JOIN locations l ON l.id = r.location_id
LEFT JOIN comers c ON c.id = r.comer_id
"""
_INSERT = ("INSERT INTO records (location_id, event_id, client_id, comer_id, clients_count, booking_user_id, "
           "created_at, updated_at, comment, external_id)")
_INSERT_SHOWN = f"{_INSERT} VALUES ($1, $2, $3, NULL, $4, $5, $6, $6, $7, $8) RETURNING {', '.join(_SHOWN)}"

# The seat guard: seats in an event that is live at the location, ends after a moment
# (`rules.has_ended` in SQL, when that moment is now) and has them free; with what the record
# resource shows of the event. Arguments: location, event, seats, the moment. Written as
# `clients_count <= capacity - n` rather than `clients_count + n <= capacity`: the same test,
# but it cannot overflow the column's integer type.
_RESERVE = (
    "UPDATE events SET clients_count = clients_count + $3 "
    "WHERE id = $2 AND location_id = $1 AND deleted = FALSE AND start_ts + length > $4 "
    "AND clients_count <= capacity - $3 "
    "RETURNING staff_id, start_ts, length, (SELECT timezone FROM locations WHERE id = $1) AS timezone"
)
# A moment before every event's end: the guard then leaves time out.
_ANY_TIME = -(2**62)

# The unique index behind "one active appointment per client per event".
ONE_ACTIVE_PER_CLIENT = "records_one_active_per_client"


async def get_event(conn: Connection, event_id: int) -> Row | None:
    return await conn.fetchrow(f"{_EVENT} WHERE id = $1", event_id)


async def lock_events(conn: Connection, event_ids: list[int]) -> dict[int, Row]:
    """Read events and hold their rows until commit, taking the locks in ascending id order.

    Two requests moving appointments in opposite directions between the same two events
    then queue up instead of deadlocking. SQLite needs no row locks: its writers already
    run one at a time.
    """
    found = {}
    for event_id in sorted(set(event_ids)):
        row = await conn.fetchrow(f"{_EVENT} WHERE id = $1{conn.for_update}", event_id)
        if row is not None:
            found[event_id] = row
    return found


async def reserve_seats(conn: Connection, location_id: int, event_id: int, seats: int,
                        now: int | None = None) -> Row | None:
    """Take seats in a live event of the location if they are free and, given `now`, it has
    not ended; what the record resource shows of the event, or None if it refused."""
    return await conn.fetchrow(_RESERVE, location_id, event_id, seats, _ANY_TIME if now is None else now)


async def release_seats(conn: Connection, event_id: int, seats: int) -> None:
    await conn.execute("UPDATE events SET clients_count = clients_count - $2 WHERE id = $1", event_id, seats)


async def client_has_active(conn: Connection, event_id: int, client_id: int) -> bool:
    found = await conn.fetchval(
        "SELECT id FROM records WHERE event_id = $1 AND client_id = $2 AND deleted = FALSE", event_id, client_id
    )
    return found is not None


async def insert(conn: Connection, location_id: int, event_id: int, client_id: int | None, comer_id: int | None,
                 clients_count: int, booking_user_id: int, now: int, comment: str = "", external_id: str = "") -> int:
    return await conn.fetchval(
        f"{_INSERT} VALUES ($1, $2, $3, $4, $5, $6, $7, $7, $8, $9) RETURNING id",
        location_id, event_id, client_id, comer_id, clients_count, booking_user_id, now, comment, external_id,
    )


def book_by_phone_transaction(db: Database) -> AbstractAsyncContextManager[Connection]:
    """What `book_by_phone` runs in: its one statement alone where writes chain (atomic by
    itself, and BEGIN and COMMIT are two round trips fewer), else a write transaction."""
    return db.transaction(write=not db.chained_writes)


async def book_by_phone(conn: Connection, location_id: int, event_id: int, booking: Booking,
                        booking_user_id: int, now: int) -> Row | None:
    """Reserve the booking's seats, upsert its client by phone and insert the appointment, in
    that order (the lock order); the row `view` gives, or None if the event refused the seats.

    One statement where writes chain (PostgreSQL); else three, in the transaction of
    `book_by_phone_transaction`. A second active booking of the client raises
    IntegrityError, and nothing is written.
    """
    client, seats = booking.client, booking.seats
    assert client is not None
    if conn.chained_writes:
        upsert, client_args = clients.upsert_by_phone_sql(location_id, client, now, first=8, gate="reserved")
        # The webhook outbox's rows are part of the statement too (behaviour 20.3): their time is the last argument.
        return await conn.fetchrow(_book_at_once_sql(upsert, 8 + len(client_args)), location_id, event_id, seats, now,
                                   booking_user_id, booking.comment, booking.external_id, *client_args, wall_time())
    event = await reserve_seats(conn, location_id, event_id, seats, now)
    if event is None:
        return None
    client_id = await clients.upsert_by_phone(conn, location_id, client, now)
    record = await conn.fetchrow(_INSERT_SHOWN, location_id, event_id, client_id, seats, booking_user_id, now,
                                 booking.comment, booking.external_id)
    return {**record, **event, "comer_name": None}  # type: ignore[dict-item]  # RETURNING gives the row


@lru_cache(maxsize=256)
def _book_at_once_sql(upsert: str, wall_time_arg: int) -> str:
    # Each step reads the one before, which fixes their order: without reserved seats no
    # client is written, without a client no appointment.
    shown = ", ".join(_SHOWN)
    hook = outbox.booking_statement_parts("$1", "client", "record", f"${wall_time_arg}")
    return (f"WITH reserved AS ({_RESERVE}), client AS ({upsert}), "
            f"record AS ({_INSERT} SELECT $1, $2, id, NULL, $3, $5, $4, $4, $6, $7 FROM client RETURNING {shown}), "
            f"{hook} "
            f"SELECT {shown}, staff_id, start_ts, length, timezone, NULL AS comer_name FROM record, reserved")


async def get(conn: Connection, record_id: int) -> Row | None:
    return await conn.fetchrow(f"{_RECORD} WHERE id = $1", record_id)


async def team_members(conn: Connection, location_id: int, staff_ids: list[int]) -> set[int]:
    """Which of the ids are live team members of the location."""
    if not staff_ids:
        return set()
    marks = ", ".join(f"${i + 2}" for i in range(len(staff_ids)))
    rows = await conn.fetch(
        f"SELECT id FROM staff WHERE location_id = $1 AND deleted = FALSE AND id IN ({marks})", location_id, *staff_ids)
    return {r["id"] for r in rows}


async def add_labels(conn: Connection, record_id: int, tag_ids: tuple[int, ...]) -> None:
    if tag_ids:
        await conn.executemany("INSERT INTO record_labels (record_id, tag_id) VALUES ($1, $2)",
                               [(record_id, t) for t in tag_ids])


async def set_labels(conn: Connection, record_id: int, tag_ids: tuple[int, ...]) -> None:
    """Make the appointment's labels exactly these."""
    await conn.execute("DELETE FROM record_labels WHERE record_id = $1", record_id)
    await add_labels(conn, record_id, tag_ids)


async def update(conn: Connection, record_id: int, values: Row, now: int) -> None:
    """Overwrite some of: event_id, clients_count, comment, custom_color, service_item, good_items, attendance."""
    values = dict(values)
    for key in ("service_item", "good_items"):
        if key in values and values[key] is not None:
            values[key] = json.dumps(values[key])
    sets = "".join(f"{column} = ${i + 2}, " for i, column in enumerate(values))
    await conn.execute(
        f"UPDATE records SET {sets}updated_at = ${len(values) + 2} WHERE id = $1", record_id, *values.values(), now
    )


async def cancel(conn: Connection, record_id: int, event_id: int, now: int) -> int | None:
    """Cancel the appointment if it is still active in this event; the seats it held, or None."""
    return await conn.fetchval(
        "UPDATE records SET deleted = TRUE, updated_at = $3 "
        "WHERE id = $1 AND event_id = $2 AND deleted = FALSE RETURNING clients_count",
        record_id, event_id, now,
    )


async def view(conn: Connection, record_id: int) -> Row:
    """Everything the record resource shows."""
    return await conn.fetchrow(f"{_VIEW} WHERE r.id = $1", record_id)  # type: ignore[return-value]


async def list_active(conn: Connection, location_id: int, event_ids: list[int], limit: int,
                      offset: int) -> tuple[list[Row], int]:
    """A page of the location's active appointments, optionally of some events only, by id."""
    where, args = "r.location_id = $1 AND r.deleted = FALSE", [location_id]
    if event_ids:
        marks = ", ".join(f"${i + 2}" for i in range(len(event_ids)))
        where += f" AND r.event_id IN ({marks})"
        args += event_ids
    total = await conn.fetchval(f"SELECT COUNT(*) FROM records r WHERE {where}", *args)
    n = len(args)
    rows = await conn.fetch(f"{_VIEW} WHERE {where} ORDER BY r.id LIMIT ${n + 1} OFFSET ${n + 2}",
                            *args, limit, offset)
    return rows, total


# What the v1 record object shows: the appointment with its event, service, team member,
# client (or walk-in visitor) and location zone, in one row. The event must be of the
# appointment's own location: nothing of another location's shows, whatever the rows say.
_DETAILS = f"""
SELECT {", ".join(f"r.{column}" for column in _SHOWN)}, r.service_item, r.updated_at,
       e.staff_id, e.service_id, e.start_ts, e.length, l.timezone, c.name AS comer_name,
       sv.title AS service_title, sv.price_min,
       st.name AS staff_name, st.specialization AS staff_specialization, st.avatar AS staff_avatar,
       st.avatar_big AS staff_avatar_big, st.rating AS staff_rating, st.position_id, p.title AS position_title,
       cl.name AS client_name, cl.surname AS client_surname, cl.patronymic AS client_patronymic,
       cl.phone AS client_phone, cl.email AS client_email, cl.gender AS client_gender,
       cl.birthday AS client_birthday
FROM records r
JOIN events e ON e.id = r.event_id AND e.location_id = r.location_id
JOIN locations l ON l.id = r.location_id
JOIN services sv ON sv.id = e.service_id
JOIN staff st ON st.id = e.staff_id
LEFT JOIN positions p ON p.id = st.position_id
LEFT JOIN clients cl ON cl.id = r.client_id
LEFT JOIN comers c ON c.id = r.comer_id
"""


async def details(conn: Connection, location_id: int, record_id: int) -> Row | None:
    """The v1 view of one appointment of the location, cancelled ones too; None if there is none."""
    return await conn.fetchrow(f"{_DETAILS} WHERE r.id = $1 AND r.location_id = $2", record_id, location_id)


async def search_details(conn: Connection, location_id: int, bounds: Row, limit: int,
                         offset: int) -> tuple[list[Row], int]:
    """A page of the location's active appointments within `bounds`, by event start then id.

    `bounds` maps start_from, start_to, created_from, created_to, changed_from, changed_to (Unix
    seconds, both included),
    staff_id, client_id and booking_user_id to a value, or to None for no condition.
    """
    clauses, args = ["r.location_id = $1", "r.deleted = FALSE"], [location_id]
    conditions = {"start_from": "e.start_ts >= {}", "start_to": "e.start_ts <= {}",
                  "created_from": "r.created_at >= {}", "created_to": "r.created_at <= {}",
                  "changed_from": "r.updated_at >= {}", "changed_to": "r.updated_at <= {}",
                  "staff_id": "e.staff_id = {}", "client_id": "r.client_id = {}",
                  "booking_user_id": "r.booking_user_id = {}"}
    for name, condition in conditions.items():
        if bounds.get(name) is not None:
            args.append(bounds[name])
            clauses.append(condition.format(f"${len(args)}"))
    where = " AND ".join(clauses)
    total = await conn.fetchval(
        f"SELECT COUNT(*) FROM records r JOIN events e ON e.id = r.event_id AND e.location_id = r.location_id "
        f"WHERE {where}", *args)
    n = len(args)
    rows = await conn.fetch(f"{_DETAILS} WHERE {where} ORDER BY e.start_ts, r.id LIMIT ${n + 1} OFFSET ${n + 2}",
                            *args, limit, offset)
    return rows, total


async def labels_of(conn: Connection, record_ids: list[int]) -> dict[int, list[Row]]:
    """Each appointment's labels (live or not: they were given), by tag id."""
    if not record_ids:
        return {}
    marks = ", ".join(f"${i + 1}" for i in range(len(record_ids)))
    rows = await conn.fetch(
        "SELECT rl.record_id, t.id, t.title, t.color, t.icon FROM record_labels rl "
        f"JOIN tags t ON t.id = rl.tag_id WHERE rl.record_id IN ({marks}) ORDER BY rl.record_id, t.id", *record_ids)
    out: dict[int, list[Row]] = {}
    for row in rows:
        out.setdefault(row["record_id"], []).append(row)
    return out
