"""SQL that changes a location's team members, services and service categories (behaviour 15.6-15.9).

Deleting is soft: the row stays, marked `deleted`, so that events already made with it still
show it. Every lookup names the location, so an id of another location finds nothing.

Locks (PostgreSQL; SQLite runs one writer at a time): a delete takes its row `FOR UPDATE`
before it looks for what still uses the row; whatever starts using a row (an event naming a
team member or service, a service naming a category or team member, a team member naming a
position) holds it `FOR SHARE` until it commits. So the delete's look sees every user that
committed first, and a user that comes second finds the row deleted.
"""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection
from altegio_server.events.rules import MAX_LENGTH


def _marks(values: list[Any], start: int) -> str:
    return ", ".join(f"${i + start}" for i in range(len(values)))


def _set_clause(fields: dict[str, Any], start: int) -> str:
    return ", ".join(f"{name} = ${i + start}" for i, name in enumerate(fields))


async def live_staff(conn: Connection, location_id: int, staff_id: int, lock: str) -> bool:
    """Whether the location has this live team member; `lock` is the connection's hold to take."""
    found = await conn.fetchval(
        "SELECT id FROM staff WHERE id = $1 AND location_id = $2 AND deleted = FALSE" + lock,
        staff_id, location_id)
    return found is not None


async def live_staff_ids(conn: Connection, location_id: int, ids: list[int]) -> set[int]:
    """Those of `ids` that are live team members of the location, held shared."""
    if not ids:
        return set()
    rows = await conn.fetch(
        f"SELECT id FROM staff WHERE location_id = $1 AND deleted = FALSE AND id IN ({_marks(ids, 2)}) "
        "ORDER BY id" + conn.for_share,
        location_id, *ids)
    return {r["id"] for r in rows}


async def position_at(conn: Connection, location_id: int, position_id: int) -> bool:
    """Whether the chain's position is linked to the location (behaviour 10), held shared."""
    found = await conn.fetchval(
        "SELECT p.id FROM positions p JOIN position_locations pl ON pl.position_id = p.id "
        "WHERE p.id = $1 AND pl.location_id = $2" + conn.for_share,
        position_id, location_id)
    return found is not None


async def insert(conn: Connection, table: str, location_id: int, fields: dict[str, Any]) -> int:
    """A new row of the location in `staff` or `services` with these columns; its id."""
    assert table in ("staff", "services")
    names = ["location_id", *fields]
    return await conn.fetchval(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({_marks(names, 1)}) RETURNING id",
        location_id, *fields.values())


async def update(conn: Connection, table: str, row_id: int, fields: dict[str, Any]) -> None:
    """Set these columns of a row of `staff` or `services` (nothing to do for none)."""
    assert table in ("staff", "services")
    if fields:
        await conn.execute(f"UPDATE {table} SET {_set_clause(fields, 2)} WHERE id = $1", row_id, *fields.values())


async def live_category(conn: Connection, location_id: int, category_id: int, lock: str) -> bool:
    found = await conn.fetchval(
        "SELECT id FROM service_categories WHERE id = $1 AND location_id = $2 AND deleted = FALSE" + lock,
        category_id, location_id)
    return found is not None


async def live_service(conn: Connection, location_id: int, service_id: int, lock: str) -> dict[str, Any] | None:
    """The columns a change of the service starts from, if the location has it live."""
    return await conn.fetchrow(
        "SELECT id, category_id, title, comment, price_min, price_max, is_group, capacity, duration, prepaid "
        "FROM services WHERE id = $1 AND location_id = $2 AND deleted = FALSE" + lock,
        service_id, location_id)


async def replace_service_staff(conn: Connection, service_id: int, lengths: dict[int, int]) -> None:
    """The service's team becomes exactly `lengths` (team member id -> seconds)."""
    await conn.execute("DELETE FROM service_staff WHERE service_id = $1", service_id)
    for staff_id, length in sorted(lengths.items()):
        await conn.execute("INSERT INTO service_staff (service_id, staff_id, length) VALUES ($1, $2, $3)",
                           service_id, staff_id, length)


async def has_upcoming_events(conn: Connection, location_id: int, column: str, row_id: int, now: int) -> bool:
    """Whether a live event of the location that has not ended names the row in `column`
    (staff_id or service_id).

    An event lasts at most MAX_LENGTH, so one still running started after `now` less that:
    the bound lets the events' (location or team member, start) indexes find it.
    """
    assert column in ("staff_id", "service_id")
    found = await conn.fetchval(
        f"SELECT id FROM events WHERE location_id = $1 AND {column} = $2 AND deleted = FALSE "
        "AND start_ts > $3 AND end_ts > $4 LIMIT 1",
        location_id, row_id, now - MAX_LENGTH, now)
    return found is not None


async def category_has_services(conn: Connection, category_id: int) -> bool:
    found = await conn.fetchval(
        "SELECT id FROM services WHERE category_id = $1 AND deleted = FALSE LIMIT 1", category_id)
    return found is not None


async def mark_deleted(conn: Connection, table: str, row_id: int) -> None:
    assert table in ("staff", "services", "service_categories")
    await conn.execute(f"UPDATE {table} SET deleted = TRUE WHERE id = $1", row_id)
