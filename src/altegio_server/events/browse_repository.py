"""SQL for browsing group events: when there are any, which filters still find some, and the
group services on offer. Filters are the search's own (`repository.Filter`)."""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection
from altegio_server.events.repository import FILTERED, Args, Filter, where_clause

Row = dict[str, Any]


async def first_start(conn: Connection, location_id: int, f: Filter) -> int | None:
    """The earliest start among the matching events; None if nothing matches."""
    where, args = where_clause(location_id, f)
    return await conn.fetchval(f"SELECT MIN(e.start_ts) FROM {FILTERED} WHERE {where}", *args.values)


async def first_and_last_start(conn: Connection, location_id: int, f: Filter) -> tuple[int | None, int | None]:
    """The earliest and the latest start among the matching events; (None, None) if nothing matches."""
    where, args = where_clause(location_id, f)
    row = await conn.fetchrow(f"SELECT MIN(e.start_ts) AS lo, MAX(e.start_ts) AS hi FROM {FILTERED} WHERE {where}",
                              *args.values)
    assert row is not None
    return row["lo"], row["hi"]


async def busy_spans(conn: Connection, location_id: int, f: Filter, spans: list[tuple[int, int]]) -> set[int]:
    """The starts of those spans [start, end) in which a matching event starts: one statement
    for many days, each answered by a seek on the location's start index."""
    if not spans:
        return set()
    where, args = where_clause(location_id, f)
    rows = ", ".join(f"(CAST({args.add(lo)} AS BIGINT), CAST({args.add(hi)} AS BIGINT))" for lo, hi in spans)
    found = await conn.fetch(
        f"SELECT d.column1 AS lo FROM (VALUES {rows}) AS d WHERE EXISTS (SELECT 1 FROM {FILTERED} "
        f"WHERE {where} AND e.start_ts >= d.column1 AND e.start_ts < d.column2)",
        *args.values,
    )
    return {r["lo"] for r in found}


async def staff_with_events(conn: Connection, location_id: int, f: Filter) -> set[int]:
    where, args = where_clause(location_id, f)
    rows = await conn.fetch(f"SELECT DISTINCT e.staff_id AS id FROM {FILTERED} WHERE {where}", *args.values)
    return {r["id"] for r in rows}


async def services_with_events(conn: Connection, location_id: int, f: Filter) -> dict[int, int | None]:
    """The services of the matching events, each with its category id."""
    where, args = where_clause(location_id, f)
    rows = await conn.fetch(f"SELECT DISTINCT e.service_id AS id, s.category_id FROM {FILTERED} WHERE {where}",
                            *args.values)
    return {r["id"]: r["category_id"] for r in rows}


async def resources_with_events(conn: Connection, location_id: int, f: Filter) -> set[int]:
    """The resources (kinds, not instances) that the matching events use an instance of."""
    where, args = where_clause(location_id, f)
    rows = await conn.fetch(
        f"SELECT DISTINCT ri.resource_id AS id FROM {FILTERED} "
        "JOIN event_resource_instances eri ON eri.event_id = e.id "
        f"JOIN resource_instances ri ON ri.id = eri.resource_instance_id WHERE {where}",
        *args.values,
    )
    return {r["id"] for r in rows}


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
    return _grouped(rows, "service_id", service_ids)


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
    return _grouped(rows, "service_id", service_ids)


def _grouped(rows: list[Row], key: str, keys: list[int]) -> dict[int, list[Row]]:
    out: dict[int, list[Row]] = {k: [] for k in keys}
    for r in rows:
        out[r.pop(key)].append(r)
    return out
