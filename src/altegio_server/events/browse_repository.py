"""SQL for browsing group events: when there are any, which filters still find some, and the
group services on offer. Filters are the search's own (`models.EventQuery`)."""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection
from altegio_server.events.models import EventQuery
from altegio_server.events.repository import FILTERED, Args, filtered, grouped, where_clause

Row = dict[str, Any]


# The earliest (or latest) start as an ordered walk of a start index that stops at the first
# match: MIN() and MAX() over the join would read every event of the period instead.
def _start_sql(f: EventQuery, where: str, order: str) -> str:
    return f"SELECT e.start_ts FROM {filtered(f)} WHERE {where} ORDER BY e.start_ts {order} LIMIT 1"


def _first_start_sql(location_id: int, f: EventQuery) -> tuple[str, list[Any]]:
    where, args = where_clause(location_id, f)
    return _start_sql(f, where, "ASC"), args.values


def _bounds_sql(location_id: int, f: EventQuery) -> tuple[str, list[Any]]:
    where, args = where_clause(location_id, f)  # both halves use the same parameters
    return (f"SELECT ({_start_sql(f, where, 'ASC')}) AS lo, ({_start_sql(f, where, 'DESC')}) AS hi",
            args.values)


def _spans_sql(location_id: int, f: EventQuery, spans: list[tuple[int, int]]) -> tuple[str, list[Any]]:
    where, args = where_clause(location_id, f)
    rows = ", ".join(f"(CAST({args.add(lo)} AS BIGINT), CAST({args.add(hi)} AS BIGINT))" for lo, hi in spans)
    sql = (f"SELECT d.column1 AS lo FROM (VALUES {rows}) AS d WHERE EXISTS (SELECT 1 FROM {filtered(f)} "
           f"WHERE {where} AND e.start_ts >= d.column1 AND e.start_ts < d.column2)")
    return sql, args.values


_DISTINCT = {
    "staff": ("e.staff_id AS id", ""),
    "services": ("e.service_id AS id, s.category_id", ""),
    "resources": ("ri.resource_id AS id", "JOIN event_resource_instances eri ON eri.event_id = e.id "
                                          "JOIN resource_instances ri ON ri.id = eri.resource_instance_id "),
}


def _distinct_sql(kind: str, location_id: int, f: EventQuery) -> tuple[str, list[Any]]:
    columns, joins = _DISTINCT[kind]
    where, args = where_clause(location_id, f)
    return f"SELECT DISTINCT {columns} FROM {FILTERED} {joins}WHERE {where}", args.values


def statements(location_id: int, f: EventQuery, spans: list[tuple[int, int]]) -> dict[str, tuple[str, list[Any]]]:
    """Every statement of this module that reads events, by name, for EXPLAIN in the query-plan checks."""
    out = {"first_start": _first_start_sql(location_id, f), "bounds": _bounds_sql(location_id, f),
           "spans": _spans_sql(location_id, f, spans)}
    out.update({f"distinct_{kind}": _distinct_sql(kind, location_id, f) for kind in _DISTINCT})
    return out


async def first_start(conn: Connection, location_id: int, f: EventQuery) -> int | None:
    """The earliest start among the matching events; None if nothing matches."""
    sql, args = _first_start_sql(location_id, f)
    return await conn.fetchval(sql, *args)


async def first_and_last_start(conn: Connection, location_id: int, f: EventQuery) -> tuple[int | None, int | None]:
    """The earliest and the latest start among the matching events; (None, None) if nothing matches."""
    sql, args = _bounds_sql(location_id, f)
    row = await conn.fetchrow(sql, *args)
    assert row is not None
    return row["lo"], row["hi"]


async def busy_spans(conn: Connection, location_id: int, f: EventQuery, spans: list[tuple[int, int]]) -> set[int]:
    """The starts of those spans [start, end) in which a matching event starts: one statement
    for many days, each answered by a seek on the location's start index."""
    if not spans:
        return set()
    sql, args = _spans_sql(location_id, f, spans)
    return {r["lo"] for r in await conn.fetch(sql, *args)}


async def staff_with_events(conn: Connection, location_id: int, f: EventQuery) -> set[int]:
    sql, args = _distinct_sql("staff", location_id, f)
    return {r["id"] for r in await conn.fetch(sql, *args)}


async def services_with_events(conn: Connection, location_id: int, f: EventQuery) -> dict[int, int | None]:
    """The services of the matching events, each with its category id."""
    sql, args = _distinct_sql("services", location_id, f)
    return {r["id"]: r["category_id"] for r in await conn.fetch(sql, *args)}


async def resources_with_events(conn: Connection, location_id: int, f: EventQuery) -> set[int]:
    """The resources (kinds, not instances) that the matching events use an instance of."""
    sql, args = _distinct_sql("resources", location_id, f)
    return {r["id"] for r in await conn.fetch(sql, *args)}


async def live_staff(conn: Connection, location_id: int) -> list[Row]:
    return await conn.fetch(
        "SELECT id, name FROM staff WHERE location_id = $1 AND deleted = FALSE ORDER BY id", location_id)


async def resources(conn: Connection, location_id: int) -> list[Row]:
    return await conn.fetch("SELECT id, title FROM resources WHERE location_id = $1 ORDER BY id", location_id)


async def group_services(conn: Connection, location_id: int, staff_id: int | None = None) -> list[Row]:
    """The location's live group-event services with their category, by id; with `staff_id`,
    only those the team member provides."""
    args = Args(location_id)
    provided = ""
    if staff_id is not None:
        mark = args.add(staff_id)
        provided = f"AND EXISTS (SELECT 1 FROM service_staff ss WHERE ss.service_id = sv.id AND ss.staff_id = {mark}) "
    return await conn.fetch(
        "SELECT sv.id, sv.title, sv.capacity, sv.price_min, sv.price_max, sv.category_id, "
        "c.title AS category_title FROM services sv LEFT JOIN service_categories c ON c.id = sv.category_id "
        f"WHERE sv.location_id = $1 AND sv.deleted = FALSE AND sv.is_group = TRUE {provided}ORDER BY sv.id",
        *args.values,
    )


async def staff_of_services(conn: Connection, service_ids: list[int]) -> dict[int, list[Row]]:
    """The live team members providing each service, with the length they take, by staff id."""
    if not service_ids:
        return {}
    args = Args()
    rows = await conn.fetch(
        "SELECT ss.service_id, st.id, st.name, ss.length FROM service_staff ss JOIN staff st ON st.id = ss.staff_id "
        f"WHERE ss.service_id IN ({args.many(service_ids)}) AND st.deleted = FALSE ORDER BY ss.service_id, st.id",
        *args.values,
    )
    return grouped(rows, "service_id", service_ids)


async def resources_of_services(conn: Connection, service_ids: list[int]) -> dict[int, list[Row]]:
    """The resources each service needs, by resource id."""
    if not service_ids:
        return {}
    args = Args()
    rows = await conn.fetch(
        "SELECT sr.service_id, r.id, r.title, r.location_id FROM service_resources sr "
        f"JOIN resources r ON r.id = sr.resource_id WHERE sr.service_id IN ({args.many(service_ids)}) "
        "ORDER BY sr.service_id, r.id",
        *args.values,
    )
    return grouped(rows, "service_id", service_ids)
