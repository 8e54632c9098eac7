"""Brings a database up to date: applies every migration it has not seen, in order."""

from __future__ import annotations

import importlib
import pkgutil

from altegio_server.db import migrations
from altegio_server.db.base import Database


def available() -> list[tuple[int, str]]:
    """(version, module name) of every migration, oldest first."""
    found = []
    for info in pkgutil.iter_modules(migrations.__path__):
        if info.name.startswith("m") and info.name[1:5].isdigit():
            found.append((int(info.name[1:5]), info.name))
    return sorted(found)


async def upgrade(db: Database) -> list[int]:
    """Apply pending migrations; return the versions applied. Safe to run concurrently."""
    applied_now: list[int] = []
    async with db.transaction(write=True) as conn:
        if conn.dialect == "postgresql":
            # Several server processes may start at once: let one migrate, the rest wait.
            await conn.execute("SELECT pg_advisory_xact_lock(745223801)")
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations "
            "(version INTEGER PRIMARY KEY, name TEXT NOT NULL)"
        )
        done = {r["version"] for r in await conn.fetch("SELECT version FROM schema_migrations")}
        for version, name in available():
            if version in done:
                continue
            module = importlib.import_module(f"{migrations.__name__}.{name}")
            for statement in module.statements(conn.dialect):
                await conn.execute(statement)
            await conn.execute(
                "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)", version, name
            )
            applied_now.append(version)
    return applied_now
