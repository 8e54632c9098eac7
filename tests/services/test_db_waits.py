"""The waits inside one process are bounded too (behaviour 11.1): a writer's turn behind another
writer of the process (SQLite), a pooled connection when all are taken (PostgreSQL)."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from altegio_server.db import Waits, open_database
from altegio_server.db.sqlite import SQLiteDatabase
from altegio_server.errors import Unavailable

BOUND = 0.2


def test_a_writer_behind_a_stuck_writer_of_the_process_gives_up_within_the_bound(tmp_path: Path):
    async def scenario() -> tuple[float, list[int]]:
        db = SQLiteDatabase(f"sqlite:///{tmp_path / 'app.sqlite3'}", Waits(lock=BOUND))
        await db.connect()
        try:
            async with db.transaction(write=True) as conn:
                await conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY)")
            stuck = db.transaction(write=True)
            await stuck.__aenter__()
            started = time.monotonic()
            with pytest.raises(Unavailable):
                async with db.transaction(write=True) as conn:
                    await conn.execute("INSERT INTO notes (id) VALUES (1)")
            elapsed = time.monotonic() - started
            await stuck.__aexit__(None, None, None)
            async with db.transaction(write=True) as conn:  # the lock is free again, nothing is left held
                await conn.execute("INSERT INTO notes (id) VALUES (2)")
            async with db.transaction() as conn:
                return elapsed, [r["id"] for r in await conn.fetch("SELECT id FROM notes")]
        finally:
            await db.close()

    elapsed, ids = asyncio.run(scenario())
    assert BOUND * 0.9 <= elapsed < BOUND + 1.0
    assert ids == [2]


def test_an_acquire_with_every_connection_taken_gives_up_within_the_bound_and_leaves_no_waiter(postgres_template):
    url = postgres_template.fresh()

    async def scenario() -> tuple[float, int, int]:
        db = open_database(url, pool_size=2, waits=Waits(acquire=BOUND))
        await db.connect()
        try:
            held = [db.transaction(), db.transaction()]
            for t in held:
                await t.__aenter__()
            started = time.monotonic()
            with pytest.raises(Unavailable):
                async with db.transaction():
                    pass
            elapsed = time.monotonic() - started
            waiting = len(db._pool.waiters)
            for t in held:
                await t.__aexit__(None, None, None)
            async with db.transaction() as conn:
                assert await conn.fetchval("SELECT 1") == 1
            return elapsed, waiting, db._pool.opened
        finally:
            await db.close()

    elapsed, waiting, opened = asyncio.run(scenario())
    assert BOUND * 0.9 <= elapsed < BOUND + 1.0
    assert waiting == 0 and opened == 2
