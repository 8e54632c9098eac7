"""SQL for group events, their resource instances and labels, and the busy checks.

Never do arithmetic on a parameter inside SQL: PostgreSQL would type `$2 - 86400` as a
32-bit integer. Bounds are computed in Python and passed whole.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

from altegio_server.db import Connection
from altegio_server.events.models import EventQuery
from altegio_server.events.rules import like_pattern

Row = dict[str, Any]

# The order of `service.Event`'s fields, which end with the location's time zone.
EVENT_COLUMNS = (
    "e.id, e.location_id, e.staff_id, e.service_id, e.start_ts, e.length, e.technical_break, e.capacity, "
    "e.clients_count, e.color, e.font_color, e.instructions, e.stream_link, e.comment, e.notified, e.forced, "
    "e.deleted, e.created_at, e.updated_at, s.title AS service_title"
)

# The hot path: one query answers GET of one event.
GET_ONE = (
    f"SELECT {EVENT_COLUMNS}, l.timezone FROM events e "
    "JOIN services s ON s.id = e.service_id JOIN locations l ON l.id = e.location_id "
    "WHERE e.id = $1 AND e.location_id = $2"
)


class Args:
    """Collects parameters and hands out their `$n` markers."""

    def __init__(self, *initial: Any) -> None:
        self.values: list[Any] = list(initial)

    def add(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"

    def many(self, values: Iterable[Any]) -> str:
        return ", ".join(self.add(v) for v in values)


def _for_update(conn: Connection, lock: bool) -> str:
    return conn.for_update if lock else ""


async def get(conn: Connection, location_id: int, event_id: int) -> Sequence[Any] | None:
    """An event of the location (deleted ones too): the values of `EVENT_COLUMNS`, then its
    location's time zone."""
    rows = await conn.fetch_values(GET_ONE, event_id, location_id)
    return rows[0] if rows else None


async def staff(conn: Connection, location_id: int, staff_id: int, lock: bool = False) -> Row | None:
    """A live team member of the location, held until commit (PostgreSQL): for update if asked,
    else shared, so that it cannot be deleted meanwhile (behaviour 15.9)."""
    return await conn.fetchrow(
        "SELECT id, name FROM staff WHERE id = $1 AND location_id = $2 AND deleted = FALSE"
        + (conn.for_update if lock else conn.for_share),
        staff_id, location_id,
    )


async def service(conn: Connection, location_id: int, service_id: int) -> Row | None:
    """A live service of the location, held shared until commit so that it cannot be deleted meanwhile."""
    return await conn.fetchrow(
        "SELECT id, title, is_group, duration FROM services WHERE id = $1 AND location_id = $2 AND deleted = FALSE"
        + conn.for_share,
        service_id, location_id,
    )


async def resource_instances(conn: Connection, location_id: int, ids: list[int], lock: bool = False) -> dict[int, Row]:
    """The location's resource instances among `ids`, locked in ascending id order if asked."""
    if not ids:
        return {}
    args = Args(location_id)
    rows = await conn.fetch(
        f"SELECT id, title, resource_id FROM resource_instances WHERE location_id = $1 "
        f"AND id IN ({args.many(ids)}) ORDER BY id" + _for_update(conn, lock),
        *args.values,
    )
    return {r["id"]: r for r in rows}


STAFF_BUSY = (
    "SELECT id FROM events WHERE staff_id = $1 AND deleted = FALSE AND start_ts < $2 AND start_ts > $3 "
    "AND end_ts > $4 AND id <> $5 LIMIT 1"
)


async def staff_busy(conn: Connection, staff_id: int, start: int, end: int, earliest: int, exclude_id: int) -> bool:
    """Does a live event of the team member other than `exclude_id` overlap [start, end)?

    `earliest` bounds the index scan: an event starting before it ends before `start`.
    """
    found = await conn.fetchval(STAFF_BUSY, staff_id, end, earliest, start, exclude_id)
    return found is not None


async def busy_instances(conn: Connection, ids: list[int], start: int, end: int, earliest: int,
                         exclude_id: int) -> set[int]:
    """Which resource instances among `ids` a live event other than `exclude_id` holds in [start, end)."""
    if not ids:
        return set()
    args = Args(end, earliest, start, exclude_id)
    rows = await conn.fetch(
        "SELECT DISTINCT eri.resource_instance_id AS id FROM event_resource_instances eri "
        "JOIN events e ON e.id = eri.event_id "
        f"WHERE eri.resource_instance_id IN ({args.many(ids)}) AND e.deleted = FALSE "
        "AND e.start_ts < $1 AND e.start_ts > $2 AND e.end_ts > $3 AND e.id <> $4",
        *args.values,
    )
    return {r["id"] for r in rows}


_WRITABLE = ("staff_id", "service_id", "start_ts", "end_ts", "length", "technical_break", "capacity", "color",
             "font_color", "instructions", "stream_link", "comment", "forced")


async def insert(conn: Connection, location_id: int, values: Row, now: int) -> int:
    cols = ("location_id", *_WRITABLE, "created_at", "updated_at")
    row = (location_id, *(values[c] for c in _WRITABLE), now, now)
    marks = ", ".join(f"${i + 1}" for i in range(len(cols)))
    return await conn.fetchval(f"INSERT INTO events ({', '.join(cols)}) VALUES ({marks}) RETURNING id", *row)


async def replace(conn: Connection, event_id: int, values: Row, now: int) -> bool:
    """Overwrite a live event, unless its booked seats exceed the new capacity (one guarded
    statement, so a booking racing with it cannot slip in between a check and the write)."""
    sets = ", ".join(f"{c} = ${i + 2}" for i, c in enumerate(_WRITABLE))
    capacity = f"${_WRITABLE.index('capacity') + 2}"
    now_mark = f"${len(_WRITABLE) + 2}"
    touched = await conn.execute(
        f"UPDATE events SET {sets}, updated_at = {now_mark} "
        f"WHERE id = $1 AND deleted = FALSE AND clients_count <= {capacity}",
        event_id, *(values[c] for c in _WRITABLE), now,
    )
    return touched == 1


async def link(conn: Connection, event_id: int, instance_ids: list[int], label_ids: list[int]) -> None:
    """Set the event's resource instances and labels to exactly these."""
    await conn.execute("DELETE FROM event_resource_instances WHERE event_id = $1", event_id)
    await conn.execute("DELETE FROM event_labels WHERE event_id = $1", event_id)
    if instance_ids:
        await conn.executemany(
            "INSERT INTO event_resource_instances (event_id, resource_instance_id) VALUES ($1, $2)",
            [(event_id, i) for i in instance_ids],
        )
    if label_ids:
        await conn.executemany("INSERT INTO event_labels (event_id, tag_id) VALUES ($1, $2)",
                               [(event_id, t) for t in label_ids])


async def soft_delete(conn: Connection, location_id: int, event_id: int, now: int) -> bool:
    """Mark a live event deleted and free its seats; False if there was none.

    This locks the event row first, before any appointment row, so that a booking racing
    with the delete either finishes before it (and is cancelled below) or finds the event gone.
    """
    touched = await conn.execute(
        "UPDATE events SET deleted = TRUE, clients_count = 0, updated_at = $3 "
        "WHERE id = $1 AND location_id = $2 AND deleted = FALSE",
        event_id, location_id, now,
    )
    return touched == 1


async def cancel_appointments(conn: Connection, event_id: int, now: int) -> int:
    """Cancel every active appointment of the event; how many there were."""
    return await conn.execute(
        "UPDATE records SET deleted = TRUE, updated_at = $2 WHERE event_id = $1 AND deleted = FALSE",
        event_id, now,
    )


# What a query's conditions (see `where_clause`) are written against.
FILTERED = "events e JOIN services s ON s.id = e.service_id"


def filtered(f: EventQuery) -> str:
    """What a query reads from: `FILTERED`, or only the events when the query does not search
    in the service's title. Every event has its service (NOT NULL, foreign key), so leaving the
    join out changes no count, and lets a count be answered from the index alone."""
    return FILTERED if f.search else "events e"


def where_clause(location_id: int, f: EventQuery) -> tuple[str, Args]:
    """The conditions of a query on `filtered(f)`, and their parameters (`$1` is the location)."""
    # The first four conditions are what the index events_by_location_start serves.
    args = Args(location_id, f.start_from, f.start_to)
    clauses = ["e.location_id = $1", "e.deleted = FALSE", "e.start_ts >= $2", "e.start_ts <= $3"]
    if f.staff_ids:
        clauses.append(f"e.staff_id IN ({args.many(f.staff_ids)})")
    if f.service_ids:
        clauses.append(f"e.service_id IN ({args.many(f.service_ids)})")
    if f.resource_instance_ids:
        clauses.append("EXISTS (SELECT 1 FROM event_resource_instances eri WHERE eri.event_id = e.id "
                       f"AND eri.resource_instance_id IN ({args.many(f.resource_instance_ids)}))")
    if f.resource_ids:
        clauses.append("EXISTS (SELECT 1 FROM event_resource_instances eri WHERE eri.event_id = e.id "
                       "AND eri.resource_instance_id IN (SELECT ri.id FROM resource_instances ri "
                       f"WHERE ri.resource_id IN ({args.many(f.resource_ids)})))")
    if f.min_free_seats > 0:
        clauses.append(f"e.capacity - e.clients_count >= {args.add(f.min_free_seats)}")
    if f.search:
        mark = args.add(like_pattern(f.search))
        clauses.append(f"(lower(s.title) LIKE lower({mark}) ESCAPE '\\' OR lower(e.comment) LIKE lower({mark}) "
                       f"ESCAPE '\\' OR lower(e.instructions) LIKE lower({mark}) ESCAPE '\\')")
    return " AND ".join(clauses), args


def _page_sql(location_id: int, f: EventQuery) -> tuple[str, str, list[Any], list[Any]]:
    where, args = where_clause(location_id, f)
    page = Args(*args.values)
    window = f"LIMIT {page.add(f.limit)} OFFSET {page.add(f.offset)}"
    sql = f"SELECT {EVENT_COLUMNS} FROM {FILTERED} WHERE {where} ORDER BY e.start_ts, e.id {window}"
    return f"SELECT COUNT(*) FROM {filtered(f)} WHERE {where}", sql, args.values, page.values


async def search(conn: Connection, location_id: int, f: EventQuery) -> tuple[list[Sequence[Any]], int]:
    """The query's page of matching events (values in the order of `EVENT_COLUMNS`), sorted by
    start then id, and the number of all matches."""
    count_sql, page_sql, count_args, page_args = _page_sql(location_id, f)
    total = await conn.fetchval(count_sql, *count_args)
    if not total or f.offset >= total or f.limit == 0:
        return [], total
    return await conn.fetch_values(page_sql, *page_args), total


def search_statements(location_id: int, f: EventQuery) -> list[tuple[str, list[Any]]]:
    """The count and page queries of `search` with their parameters, for EXPLAIN in the query-plan checks."""
    count_sql, page_sql, count_args, page_args = _page_sql(location_id, f)
    return [(count_sql, count_args), (page_sql, page_args)]


# Related objects, loaded in batches for one event or a whole page.

async def staff_by_ids(conn: Connection, ids: list[int]) -> dict[int, Row]:
    if not ids:
        return {}
    args = Args()
    rows = await conn.fetch(
        "SELECT st.id, st.location_id, st.name, st.specialization, st.avatar, st.avatar_big, st.rating, "
        "st.position_id, p.title AS position_title FROM staff st LEFT JOIN positions p ON p.id = st.position_id "
        f"WHERE st.id IN ({args.many(ids)})",
        *args.values,
    )
    return {r["id"]: r for r in rows}


async def services_by_ids(conn: Connection, ids: list[int]) -> dict[int, Row]:
    if not ids:
        return {}
    args = Args()
    rows = await conn.fetch(
        "SELECT sv.id, sv.location_id, sv.category_id, sv.title, sv.comment, sv.image_url, sv.price_min, "
        "sv.price_max, sv.is_group, sv.capacity, sv.duration, sv.prepaid, c.title AS category_title "
        "FROM services sv LEFT JOIN service_categories c ON c.id = sv.category_id "
        f"WHERE sv.id IN ({args.many(ids)})",
        *args.values,
    )
    return {r["id"]: r for r in rows}


def grouped(rows: list[Row], key: str, keys: list[int]) -> dict[int, list[Row]]:
    """Rows by their `key` column (taken out of each row); every one of `keys` present."""
    out: dict[int, list[Row]] = {k: [] for k in keys}
    for r in rows:
        out[r.pop(key)].append(r)
    return out


async def instances_of(conn: Connection, event_ids: list[int]) -> dict[int, list[Row]]:
    """Resource instances of each event, by event id, in id order."""
    args = Args()
    rows = await conn.fetch(
        "SELECT eri.event_id, ri.id, ri.title, ri.resource_id FROM event_resource_instances eri "
        "JOIN resource_instances ri ON ri.id = eri.resource_instance_id "
        f"WHERE eri.event_id IN ({args.many(event_ids)}) ORDER BY eri.event_id, ri.id",
        *args.values,
    )
    return grouped(rows, "event_id", event_ids)


async def labels_of(conn: Connection, event_ids: list[int]) -> dict[int, list[Row]]:
    """Tags of each event, by event id, in id order."""
    args = Args()
    rows = await conn.fetch(
        "SELECT el.event_id, t.id, t.location_id, t.title, t.color, t.icon, t.entity, t.editable, t.deleted "
        "FROM event_labels el JOIN tags t ON t.id = el.tag_id "
        f"WHERE el.event_id IN ({args.many(event_ids)}) ORDER BY el.event_id, t.id",
        *args.values,
    )
    return grouped(rows, "event_id", event_ids)
