"""SQL for locations, the frame every other query runs in."""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection


async def get(conn: Connection, location_id: int) -> dict[str, Any] | None:
    return await conn.fetchrow(
        "SELECT id, chain_id, title, timezone, default_break FROM locations WHERE id = $1", location_id
    )
