"""SQLite: the WAL is copied back into the database file by a thread, not by requests."""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
import time
from pathlib import Path

from altegio_server.db import sqlite as backend


def _checkpointers() -> int:
    return sum(t.name == "sqlite-checkpoint" for t in threading.enumerate())


def test_committed_writes_reach_the_database_file_without_any_request_checkpointing(tmp_path: Path):
    path = tmp_path / "app.sqlite3"
    db = backend.SQLiteDatabase(f"sqlite:///{path}")
    before = _checkpointers()

    async def write() -> None:
        await db.connect()
        async with db.transaction(write=True) as conn:
            await conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
        for i in range(200):
            async with db.transaction(write=True) as conn:
                await conn.execute("INSERT INTO notes (body) VALUES ($1)", f"note {i}")

    asyncio.run(write())
    assert _checkpointers() == before + 1
    # Far below the serving connections' own threshold: only the thread can have copied them.
    assert 200 < backend.AUTOCHECKPOINT_PAGES
    deadline = time.monotonic() + 5
    copied = 0
    while time.monotonic() < deadline and copied < 200:
        time.sleep(backend.CHECKPOINT_SECONDS)
        # The database file alone, without its WAL, holds what was committed.
        shutil.copyfile(path, tmp_path / "alone.sqlite3")
        alone = sqlite3.connect(tmp_path / "alone.sqlite3")
        try:
            copied = alone.execute("SELECT COUNT(*) FROM notes").fetchone()[0]
        except sqlite3.OperationalError:  # the table itself not copied yet
            copied = 0
        finally:
            alone.close()
    assert copied == 200

    asyncio.run(db.close())
    assert _checkpointers() == before
