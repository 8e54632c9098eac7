"""Direct SQL against a test database: for set-ups the API cannot make, and checks it cannot see."""

from __future__ import annotations

import asyncio
from typing import Any

from altegio_server.db import open_database


async def in_transaction(url: str, work: Any) -> Any:
    """`await work(conn)` in one write transaction on a short connection of its own, so it
    works beside a running server on the same SQLite file or PostgreSQL database."""
    db = open_database(url, pool_size=1)
    await db.connect()
    try:
        async with db.transaction(write=True) as conn:
            return await work(conn)
    finally:
        await db.close()


def execute(url: str, *statements: str | tuple) -> None:
    """Run statements in one transaction; each is SQL text or (SQL, arg, ...)."""

    async def work(conn: Any) -> None:
        for statement in statements:
            sql, *args = (statement,) if isinstance(statement, str) else statement
            await conn.execute(sql, *args)

    asyncio.run(in_transaction(url, work))


def fetch(url: str, sql: str, *args: Any) -> list[dict[str, Any]]:
    async def work(conn: Any) -> list[dict[str, Any]]:
        return await conn.fetch(sql, *args)

    return asyncio.run(in_transaction(url, work))


def value(url: str, sql: str, *args: Any) -> Any:
    rows = fetch(url, sql, *args)
    return next(iter(rows[0].values())) if rows else None


def counts(url: str, tables: tuple[str, ...]) -> dict[str, int]:
    return {t: value(url, f"SELECT COUNT(*) FROM {t}") for t in tables}
