"""SQL for duplication strategies, and for reading the appointments a series copies."""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection
from altegio_server.series.models import StrategyInput

Row = dict[str, Any]

_COLUMNS = "id, location_id, title, repeat_mode_id, days, repeat_interval, content_type"


def _days_text(days: tuple[int, ...]) -> str:
    return ",".join(str(d) for d in days)


async def strategies(conn: Connection, location_id: int) -> list[Row]:
    """The location's strategies, by id."""
    return await conn.fetch(
        f"SELECT {_COLUMNS} FROM duplication_strategies WHERE location_id = $1 ORDER BY id", location_id)


async def strategy(conn: Connection, location_id: int, strategy_id: int) -> Row | None:
    return await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM duplication_strategies WHERE id = $1 AND location_id = $2",
        strategy_id, location_id)


async def insert(conn: Connection, location_id: int, data: StrategyInput, now: int) -> int:
    return await conn.fetchval(
        "INSERT INTO duplication_strategies (location_id, title, repeat_mode_id, days, repeat_interval, "
        "content_type, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
        location_id, data.title, data.rule.mode, _days_text(data.rule.days), data.rule.interval,
        data.content_type, now)


async def replace(conn: Connection, location_id: int, strategy_id: int, data: StrategyInput, now: int) -> bool:
    touched = await conn.execute(
        "UPDATE duplication_strategies SET title = $3, repeat_mode_id = $4, days = $5, repeat_interval = $6, "
        "content_type = $7, updated_at = $8 WHERE id = $1 AND location_id = $2",
        strategy_id, location_id, data.title, data.rule.mode, _days_text(data.rule.days), data.rule.interval,
        data.content_type, now)
    return touched == 1


async def delete(conn: Connection, location_id: int, strategy_id: int) -> bool:
    touched = await conn.execute(
        "DELETE FROM duplication_strategies WHERE id = $1 AND location_id = $2", strategy_id, location_id)
    return touched == 1


async def active_appointments(conn: Connection, event_id: int) -> list[Row]:
    """Who holds seats in the event, and how many: its active appointments, by id."""
    return await conn.fetch(
        "SELECT id, client_id, comer_id, clients_count, booking_user_id FROM records "
        "WHERE event_id = $1 AND deleted = FALSE ORDER BY id", event_id)
