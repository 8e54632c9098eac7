"""SQL for positions: chain-level objects linked to some of the chain's locations."""

from __future__ import annotations

import json
from typing import Any

from altegio_server.db import Connection

_COLUMNS = ("p.id, p.chain_id, p.title, p.description, p.services_binding_type, p.rules_required_fields, "
            "p.only_chain_appointment")


async def chain_of(conn: Connection, location_id: int) -> int:
    return await conn.fetchval("SELECT chain_id FROM locations WHERE id = $1", location_id)


async def with_salons(conn: Connection, rows: list[dict[str, Any]], user_id: int) -> list[dict[str, Any]]:
    """The rows with their `salon_ids`: the linked locations the user may see (behaviour 10.2)."""
    if not rows:
        return rows
    by_id = {r["id"]: r for r in rows}
    for r in rows:
        r["salon_ids"] = []
        r["rules_required_fields"] = json.loads(r["rules_required_fields"])
        r["only_chain_appointment"] = bool(r["only_chain_appointment"])
    marks = ", ".join(f"${i + 2}" for i in range(len(by_id)))
    links = await conn.fetch(
        "SELECT pl.position_id, pl.location_id FROM position_locations pl JOIN user_locations ul "
        f"ON ul.location_id = pl.location_id AND ul.user_id = $1 WHERE pl.position_id IN ({marks}) "
        "ORDER BY pl.location_id",
        user_id, *by_id,
    )
    for link in links:
        by_id[link["position_id"]]["salon_ids"].append(link["location_id"])
    return rows


async def visible(conn: Connection, location_id: int, user_id: int, limit: int,
                  offset: int) -> tuple[list[dict[str, Any]], int]:
    """Positions linked to the location, a page of them and the total."""
    total = await conn.fetchval(
        "SELECT COUNT(*) FROM position_locations WHERE location_id = $1", location_id
    )
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM positions p JOIN position_locations pl ON pl.position_id = p.id "
        "WHERE pl.location_id = $1 ORDER BY p.id LIMIT $2 OFFSET $3",
        location_id, limit, offset,
    )
    return await with_salons(conn, rows, user_id), total


async def get_visible(conn: Connection, location_id: int, position_id: int, user_id: int) -> dict[str, Any] | None:
    rows = await conn.fetch(
        f"SELECT {_COLUMNS} FROM positions p JOIN position_locations pl ON pl.position_id = p.id "
        "WHERE pl.location_id = $1 AND p.id = $2",
        location_id, position_id,
    )
    rows = await with_salons(conn, rows, user_id)
    return rows[0] if rows else None


async def get(conn: Connection, position_id: int, user_id: int) -> dict[str, Any]:
    rows = await conn.fetch(f"SELECT {_COLUMNS} FROM positions p WHERE p.id = $1", position_id)
    return (await with_salons(conn, rows, user_id))[0]


async def lock(conn: Connection, location_id: int, position_id: int) -> None:
    """Hold a position of the location's chain until the transaction ends (PostgreSQL; SQLite
    has one writer at a time), so that its links and holders stay as read (behaviour 10.3)."""
    await conn.fetchval(
        "SELECT id FROM positions WHERE id = $1 AND chain_id = (SELECT chain_id FROM locations WHERE id = $2)"
        f"{conn.for_update}", position_id, location_id)


async def linked_locations(conn: Connection, position_id: int) -> list[int]:
    """Every location the position is linked to, whoever asks."""
    rows = await conn.fetch("SELECT location_id FROM position_locations WHERE position_id = $1", position_id)
    return [r["location_id"] for r in rows]


async def holders_locations(conn: Connection, position_id: int) -> list[int]:
    """The locations of the team members holding the position, deleted ones too (their events
    still show it)."""
    rows = await conn.fetch("SELECT DISTINCT location_id FROM staff WHERE position_id = $1", position_id)
    return [r["location_id"] for r in rows]


async def locations_in_chain(conn: Connection, chain_id: int, location_ids: list[int]) -> set[int]:
    if not location_ids:
        return set()
    marks = ", ".join(f"${i + 2}" for i in range(len(location_ids)))
    rows = await conn.fetch(
        f"SELECT id FROM locations WHERE chain_id = $1 AND id IN ({marks})", chain_id, *location_ids
    )
    return {r["id"] for r in rows}


async def insert(conn: Connection, chain_id: int, fields: dict[str, Any]) -> int:
    return await conn.fetchval(
        "INSERT INTO positions (chain_id, title, description, services_binding_type, "
        "rules_required_fields, only_chain_appointment) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        chain_id, fields["title"], fields["description"], fields["services_binding_type"],
        json.dumps(fields["rules_required_fields"]), fields["only_chain_appointment"],
    )


async def update(conn: Connection, position_id: int, fields: dict[str, Any]) -> None:
    await conn.execute(
        "UPDATE positions SET title = $2, description = $3, services_binding_type = $4, "
        "rules_required_fields = $5, only_chain_appointment = $6 WHERE id = $1",
        position_id, fields["title"], fields["description"], fields["services_binding_type"],
        json.dumps(fields["rules_required_fields"]), fields["only_chain_appointment"],
    )


async def link(conn: Connection, position_id: int, location_ids: list[int]) -> None:
    await conn.execute("DELETE FROM position_locations WHERE position_id = $1", position_id)
    await conn.executemany(
        "INSERT INTO position_locations (position_id, location_id) VALUES ($1, $2)",
        [(position_id, loc) for loc in location_ids],
    )


async def holders(conn: Connection, position_id: int) -> int:
    return await conn.fetchval(
        "SELECT COUNT(*) FROM staff WHERE position_id = $1 AND deleted = FALSE", position_id
    )


async def delete(conn: Connection, position_id: int) -> None:
    await conn.execute("UPDATE staff SET position_id = NULL WHERE position_id = $1", position_id)
    await conn.execute("DELETE FROM positions WHERE id = $1", position_id)
