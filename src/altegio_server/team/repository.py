"""SQL for a location's team members, services, service categories and resources.

Deleted team members, services and service categories are left out everywhere: no new
event may use them (behaviour 15.1, 15.8). Every query names the location, so an id of another location finds nothing.
"""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection


def _marks(values: list[int], start: int) -> str:
    return ", ".join(f"${i + start}" for i in range(len(values)))


async def staff(conn: Connection, location_id: int, staff_id: int | None = None) -> list[dict[str, Any]]:
    """The location's live team members (or the one `staff_id`), by id."""
    one = " AND st.id = $2" if staff_id is not None else ""
    return await conn.fetch(
        "SELECT st.id, st.location_id, st.name, st.specialization, st.avatar, st.avatar_big, st.rating, "
        "st.position_id, p.title AS position_title FROM staff st LEFT JOIN positions p ON p.id = st.position_id "
        f"WHERE st.location_id = $1 AND st.deleted = FALSE{one} ORDER BY st.id",
        location_id, *([staff_id] if staff_id is not None else []),
    )


async def services(conn: Connection, location_id: int, service_id: int | None = None,
                   staff_id: int | None = None, category_id: int | None = None) -> list[dict[str, Any]]:
    """The location's live services matching the filters, by id, each with its `staff`
    (live team members and their lengths) and `resource_ids`."""
    where, args = ["sv.location_id = $1", "sv.deleted = FALSE"], [location_id]
    for column, value in (("sv.id", service_id), ("sv.category_id", category_id)):
        if value is not None:
            args.append(value)
            where.append(f"{column} = ${len(args)}")
    if staff_id is not None:
        args.append(staff_id)
        where.append("EXISTS (SELECT 1 FROM service_staff ss JOIN staff st ON st.id = ss.staff_id "
                     f"WHERE ss.service_id = sv.id AND ss.staff_id = ${len(args)} AND st.deleted = FALSE)")
    rows = await conn.fetch(
        "SELECT sv.id, sv.location_id, sv.category_id, sv.title, sv.comment, sv.image_url, sv.price_min, "
        "sv.price_max, sv.is_group, sv.capacity, sv.duration, sv.prepaid FROM services sv "
        f"WHERE {' AND '.join(where)} ORDER BY sv.id",
        *args,
    )
    if not rows:
        return rows
    by_id = {r["id"]: dict(r, staff=[], resource_ids=[]) for r in rows}
    ids = list(by_id)
    for link in await conn.fetch(
        "SELECT ss.service_id, ss.staff_id, ss.length FROM service_staff ss JOIN staff st ON st.id = ss.staff_id "
        f"WHERE st.deleted = FALSE AND ss.service_id IN ({_marks(ids, 1)}) ORDER BY ss.service_id, ss.staff_id",
        *ids,
    ):
        by_id[link["service_id"]]["staff"].append({"id": link["staff_id"], "length": link["length"]})
    for link in await conn.fetch(
        f"SELECT service_id, resource_id FROM service_resources WHERE service_id IN ({_marks(ids, 1)}) "
        "ORDER BY service_id, resource_id",
        *ids,
    ):
        by_id[link["service_id"]]["resource_ids"].append(link["resource_id"])
    return list(by_id.values())


async def categories(conn: Connection, location_id: int, category_id: int | None = None,
                     staff_id: int | None = None) -> list[dict[str, Any]]:
    """The location's service categories (or the one `category_id`; or those with a live
    service that the live `staff_id` provides), by id, each with the `staff_ids` of the live
    team members who provide one of its live services."""
    where, args = ["c.location_id = $1", "c.deleted = FALSE"], [location_id]
    if category_id is not None:
        args.append(category_id)
        where.append(f"c.id = ${len(args)}")
    if staff_id is not None:
        args.append(staff_id)
        where.append("EXISTS (SELECT 1 FROM services sv JOIN service_staff ss ON ss.service_id = sv.id "
                     "JOIN staff st ON st.id = ss.staff_id WHERE sv.category_id = c.id AND sv.deleted = FALSE "
                     f"AND st.deleted = FALSE AND ss.staff_id = ${len(args)})")
    rows = await conn.fetch(
        f"SELECT c.id, c.title FROM service_categories c WHERE {' AND '.join(where)} ORDER BY c.id", *args)
    if not rows:
        return rows
    by_id = {r["id"]: dict(r, staff_ids=[]) for r in rows}
    ids = list(by_id)
    for link in await conn.fetch(
        "SELECT DISTINCT sv.category_id, ss.staff_id FROM services sv JOIN service_staff ss ON ss.service_id = sv.id "
        "JOIN staff st ON st.id = ss.staff_id WHERE sv.deleted = FALSE AND st.deleted = FALSE "
        f"AND sv.category_id IN ({_marks(ids, 1)}) ORDER BY sv.category_id, ss.staff_id",
        *ids,
    ):
        by_id[link["category_id"]]["staff_ids"].append(link["staff_id"])
    return list(by_id.values())


async def resources(conn: Connection, location_id: int) -> list[dict[str, Any]]:
    """The location's resources by id, each with its `instances` by id."""
    rows = await conn.fetch(
        "SELECT id, location_id, title FROM resources WHERE location_id = $1 ORDER BY id", location_id)
    by_id = {r["id"]: dict(r, instances=[]) for r in rows}
    for instance in await conn.fetch(
        "SELECT id, resource_id, title FROM resource_instances WHERE location_id = $1 ORDER BY id", location_id,
    ):
        if instance["resource_id"] in by_id:
            by_id[instance["resource_id"]]["instances"].append(instance)
    return list(by_id.values())


async def insert_category(conn: Connection, location_id: int, title: str) -> int:
    return await conn.fetchval(
        "INSERT INTO service_categories (location_id, title) VALUES ($1, $2) RETURNING id", location_id, title)


async def rename_category(conn: Connection, location_id: int, category_id: int, title: str) -> bool:
    """Whether the location has the category (and it now has the title)."""
    found = await conn.fetchval(
        "UPDATE service_categories SET title = $3 WHERE location_id = $1 AND id = $2 AND deleted = FALSE "
        "RETURNING id",
        location_id, category_id, title)
    return found is not None
