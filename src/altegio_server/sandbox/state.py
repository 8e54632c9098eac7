"""SQL for the sandbox's shared state, one row (behaviour 19.1).

The row may be missing (a new database, or `db reset` emptied it): reads then answer the
defaults and writes make it.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

import orjson

from altegio_server.db import Connection
from altegio_server.sandbox.clock import ClockState


@dataclass(frozen=True)
class SandboxState:
    """What every request of a sandbox needs to know, read once per request."""

    clock: ClockState = field(default_factory=ClockState)
    journal_enabled: bool = True
    rate_limit: dict[str, Any] | None = None  # the settings of PUT /_sandbox/rate_limit, None when off
    faults_version: int = 0
    version: int = 0


READ = ("SELECT clock_offset, clock_frozen_at, journal_enabled, rate_limit, faults_version, version "
        "FROM sandbox_state WHERE id = 1")


async def read(conn: Connection, lock: bool = False) -> SandboxState:
    """The state; with `lock`, held until the transaction ends (for a read-modify-write)."""
    row = await conn.fetchrow(READ + (conn.for_update if lock else ""))
    if row is None:
        return SandboxState()
    return SandboxState(
        clock=ClockState(offset=row["clock_offset"], frozen_at=row["clock_frozen_at"]),
        journal_enabled=bool(row["journal_enabled"]),
        rate_limit=None if row["rate_limit"] is None else orjson.loads(row["rate_limit"]),
        faults_version=row["faults_version"],
        version=row["version"],
    )


async def update(conn: Connection, **values: Any) -> None:
    """Set columns of the state row (making it if missing); `version` moves on.

    Column names come from the code, never from a request.
    """
    columns = list(values)
    marks = ", ".join(f"${i + 1}" for i in range(len(columns)))
    sets = ", ".join(f"{c} = excluded.{c}" for c in columns)
    await conn.execute(
        f"INSERT INTO sandbox_state (id, {', '.join(columns)}) VALUES (1, {marks}) ON CONFLICT (id) "
        f"DO UPDATE SET {sets}, version = sandbox_state.version + 1", *values.values())


async def set_clock(conn: Connection, clock: ClockState) -> None:
    await update(conn, clock_offset=clock.offset, clock_frozen_at=clock.frozen_at)


async def token(conn: Connection) -> str | None:
    return await conn.fetchval("SELECT token FROM sandbox_state WHERE id = 1")


async def ensure_token(conn: Connection) -> str:
    """The database's sandbox token, made now if it has none."""
    await conn.execute(
        "INSERT INTO sandbox_state (id, token) VALUES (1, $1) ON CONFLICT (id) "
        "DO UPDATE SET token = COALESCE(sandbox_state.token, excluded.token)",
        "sandbox-" + secrets.token_urlsafe(24))
    found = await token(conn)
    assert found is not None
    return found
