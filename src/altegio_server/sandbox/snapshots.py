"""The sandbox's reset and snapshots (behaviour 19.3), for `/_sandbox/...` and the command line.

Each command is one transaction. A restore (and a reset, the restore of the baseline) holds
every domain table alone while it rewrites them: PostgreSQL by table locks, SQLite by its one
writer; within a server process it also waits for the requests in flight (`Gate`).
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from typing import AsyncIterator

from altegio_server.db import Connection
from altegio_server.db.base import Row
from altegio_server.deps import Deps
from altegio_server.errors import Conflict, InvalidRequest, NotFound, field_error
from altegio_server.sandbox import copies
from altegio_server.sandbox.gate import Gate
from altegio_server.sandbox.snapshot_rules import BASELINE, name_problem

NO_BASELINE = ("There is no baseline to reset to: it is recorded by `altegio-server seed demo` and "
               "`altegio-server load`")


@dataclass(frozen=True)
class Snapshot:
    name: str
    created_at: int  # Unix seconds, by the server's clock (the sandbox's, in sandbox mode)
    size: int  # rows held


def _snapshot(row: Row) -> Snapshot:
    return Snapshot(row["name"], row["created_at"], row["size"])


def _checked(name: str) -> str:
    problem = name_problem(name)
    if problem is not None:
        raise field_error("name", problem, InvalidRequest)
    return name


async def snapshots(deps: Deps) -> list[Snapshot]:
    """Every named snapshot, by name in code point order (whatever the database's collation)."""
    async with deps.db.transaction() as conn:
        return sorted((_snapshot(r) for r in await copies.named(conn)), key=lambda s: s.name)


async def save(deps: Deps, name: str, limit: int) -> Snapshot:
    """Save the whole state under `name`, replacing a snapshot of that name; at most `limit` names."""
    _checked(name)
    async with deps.db.transaction(write=True) as conn:
        await conn.lock_tables([copies.REGISTRY], "EXCLUSIVE")
        old = await copies.find(conn, name)
        if old is None and await copies.count_named(conn) >= limit:
            raise Conflict(f"There are {limit} snapshots already, as many as the server keeps: delete one first")
        if old is not None:
            await copies.drop(conn, old)
        return _snapshot(await _write(conn, name, deps.clock.timestamp()))


async def record_baseline(conn: Connection, now: int) -> None:
    """Make the state of this transaction, once committed, what `reset` goes back to."""
    await conn.lock_tables([copies.REGISTRY], "EXCLUSIVE")
    old = await copies.find(conn, BASELINE)
    if old is not None:
        await copies.drop(conn, old)
    await _write(conn, BASELINE, now)


async def _write(conn: Connection, name: str, now: int) -> Row:
    tables = await copies.tables(conn)
    await conn.lock_tables(tables, "SHARE")  # no writer changes a table between two copies
    return await copies.write(conn, name, now, tables)


async def restore(deps: Deps, name: str, gate: Gate | None = None) -> Snapshot:
    """Put every domain table back as the snapshot holds it."""
    return await _restore(deps, _checked(name), gate, NotFound())


async def reset(deps: Deps, gate: Gate | None = None) -> Snapshot:
    """Put every domain table back as the last `seed demo` or `load` left it."""
    return await _restore(deps, BASELINE, gate, Conflict(NO_BASELINE))


async def _restore(deps: Deps, name: str, gate: Gate | None, missing: Exception) -> Snapshot:
    async with _closed(gate):
        async with deps.db.transaction(write=True) as conn:
            await conn.lock_tables([copies.REGISTRY], "EXCLUSIVE")
            row = await copies.find(conn, name)
            if row is None:
                raise missing
            tables = await copies.tables(conn)
            await conn.lock_tables(tables, "ACCESS EXCLUSIVE")  # no reader sees a table half rewritten
            await copies.put_back(conn, row, tables)
    # Grants this process keeps may be gone from the restored state; other processes keep
    # theirs for up to ALTEGIO_AUTH_CACHE_SECONDS (behaviour 9.2).
    deps.caches.forget_grants()
    return _snapshot(row)


@contextlib.asynccontextmanager
async def _closed(gate: Gate | None) -> AsyncIterator[None]:
    if gate is None:
        yield
        return
    async with gate.closed():
        yield


async def delete(deps: Deps, name: str) -> None:
    """Forget a snapshot."""
    _checked(name)
    async with deps.db.transaction(write=True) as conn:
        await conn.lock_tables([copies.REGISTRY], "EXCLUSIVE")
        row = await copies.find(conn, name)
        if row is None:
            raise NotFound()
        await copies.drop(conn, row)
