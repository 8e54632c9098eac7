"""SQL for tags."""

from __future__ import annotations

from typing import Any, Sequence

from altegio_server.db import Connection

_COLUMNS = "id, location_id, title, color, icon, entity, editable, deleted"


async def list_active(conn: Connection, location_id: int, entity: int | None) -> list[dict[str, Any]]:
    if entity is None:
        return await conn.fetch(
            f"SELECT {_COLUMNS} FROM tags WHERE location_id = $1 AND deleted = FALSE ORDER BY id", location_id
        )
    return await conn.fetch(
        f"SELECT {_COLUMNS} FROM tags WHERE location_id = $1 AND entity = $2 AND deleted = FALSE ORDER BY id",
        location_id, entity,
    )


async def get(conn: Connection, tag_id: int) -> dict[str, Any] | None:
    return await conn.fetchrow(f"SELECT {_COLUMNS} FROM tags WHERE id = $1", tag_id)


async def insert(conn: Connection, location_id: int, title: str, color: str, icon: str, entity: int) -> dict[str, Any]:
    return await conn.fetchrow(  # type: ignore[return-value]  # RETURNING gives the row
        f"INSERT INTO tags (location_id, title, color, icon, entity) VALUES ($1, $2, $3, $4, $5) "
        f"RETURNING {_COLUMNS}",
        location_id, title, color, icon, entity,
    )


async def update(conn: Connection, tag_id: int, title: str, color: str, icon: str, entity: int) -> None:
    await conn.execute(
        "UPDATE tags SET title = $2, color = $3, icon = $4, entity = $5 WHERE id = $1",
        tag_id, title, color, icon, entity,
    )


async def soft_delete(conn: Connection, tag_id: int) -> None:
    await conn.execute("UPDATE tags SET deleted = TRUE WHERE id = $1", tag_id)


async def usable(conn: Connection, location_id: int, tag_ids: Sequence[int], entities: tuple[int, ...]) -> set[int]:
    """Which of the ids are live tags of the location with one of the entities."""
    if not tag_ids:
        return set()
    marks = ", ".join(f"${i + 2}" for i in range(len(tag_ids)))
    rows = await conn.fetch(
        f"SELECT id, entity FROM tags WHERE location_id = $1 AND deleted = FALSE AND id IN ({marks})",
        location_id, *tag_ids,
    )
    return {r["id"] for r in rows if r["entity"] in entities}
