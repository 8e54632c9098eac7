"""SQLite backend: sqlite3 called inline on the event loop.

A local SQLite statement takes microseconds, less than a hop to a worker thread would, so
the calls are made directly. Reads run statement by statement (autocommit), as they do on
PostgreSQL, where READ COMMITTED gives each statement its own snapshot anyway. Write transactions are serialised inside the process by an
asyncio lock and across processes by `BEGIN IMMEDIATE` (SQLite allows one writer at a time);
readers run concurrently thanks to WAL. A thread of each process copies the WAL back into the
database file, so that no request waits for a checkpoint.
"""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
import threading
from pathlib import Path
from typing import Any

from altegio_server.bounded import BoundedCache
from altegio_server.db.base import IntegrityError, Row

_PLACEHOLDER = re.compile(r"\$(\d+)")
log = logging.getLogger("altegio_server.db")

# How often the checkpointer copies the WAL back into the database file, and how long the WAL
# may grow (in pages) before a serving connection does it itself, should the thread fall behind.
CHECKPOINT_SECONDS = 0.05
AUTOCHECKPOINT_PAGES = 20_000


# The server's statements in SQLite's spelling. Their text is the code's own, but filters of
# up to 1,000 ids each make many long variants, so the cache is bounded in bytes and the
# longest statements are translated each time (behaviour 9.1).
_TRANSLATED: BoundedCache[str, str] = BoundedCache(2 * 1024 * 1024, max_item_bytes=16 * 1024)


def _placeholders(sql: str) -> str:
    return _PLACEHOLDER.sub(r"?\1", sql)


def _translate(sql: str) -> str:
    return _TRANSLATED.recall(sql, _placeholders)


def _lower(value: Any) -> Any:
    # SQLite's own lower() folds ASCII only; searches must fold every script.
    return value.lower() if isinstance(value, str) else value


def _path_from_url(url: str) -> str:
    # sqlite:///relative/file, sqlite:////absolute/file, sqlite:///:memory: is refused
    path = url.split(":", 1)[1]
    if path.startswith("///"):
        path = path[3:]
    elif path.startswith("//"):
        path = path[2:]
    if not path or path == ":memory:":
        raise ValueError("an in-memory SQLite database cannot be shared; give a file path")
    return path


class SQLiteConnection:
    dialect = "sqlite"

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def _run(self, sql: str, args: tuple) -> sqlite3.Cursor:
        try:
            return self.raw.execute(_translate(sql), args)
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(None, str(exc)) from exc

    async def fetch(self, sql: str, *args: Any) -> list[Row]:
        cur = self._run(sql, args)
        if cur.description is None:  # a statement that returns no rows
            return []
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    async def fetch_values(self, sql: str, *args: Any) -> list[tuple]:
        return self._run(sql, args).fetchall()

    async def fetchrow(self, sql: str, *args: Any) -> Row | None:
        cur = self._run(sql, args)
        row = cur.fetchone()
        if row is None:
            return None
        result = dict(zip([d[0] for d in cur.description], row))
        cur.fetchall()  # finish the statement so RETURNING writes complete
        return result

    async def fetchval(self, sql: str, *args: Any) -> Any:
        cur = self._run(sql, args)
        row = cur.fetchone()
        cur.fetchall()
        return None if row is None else row[0]

    async def execute(self, sql: str, *args: Any) -> int:
        return self._run(sql, args).rowcount

    async def executemany(self, sql: str, rows: list[tuple]) -> None:
        try:
            self.raw.executemany(_translate(sql), rows)
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(None, str(exc)) from exc


class SQLiteDatabase:
    dialect = "sqlite"

    def __init__(self, url: str, busy_timeout_ms: int = 10_000) -> None:
        self.url = url
        self.path = _path_from_url(url)
        self.busy_timeout_ms = busy_timeout_ms
        self._idle: list[sqlite3.Connection] = []
        self._write_lock: asyncio.Lock | None = None
        self._checkpointer: _Checkpointer | None = None

    def _open(self) -> sqlite3.Connection:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, pysqlite must not.
        raw = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        raw.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
        raw.execute("PRAGMA foreign_keys = ON")
        raw.create_function("lower", 1, _lower, deterministic=True)
        return raw

    async def connect(self) -> None:
        self._idle.append(self._open())
        if self._checkpointer is None:
            self._checkpointer = _Checkpointer(self.path, CHECKPOINT_SECONDS)

    async def close(self) -> None:
        if self._checkpointer is not None:
            self._checkpointer.stop()
            self._checkpointer = None
        while self._idle:
            self._idle.pop().close()

    def _lock(self) -> asyncio.Lock:
        if self._write_lock is None:
            self._write_lock = asyncio.Lock()
        return self._write_lock

    def transaction(self, write: bool = False) -> _Transaction:
        return _Transaction(self, write)


class _Checkpointer:
    """Copies the WAL back into the database file from a thread of its own.

    Left to itself, SQLite checkpoints inside the COMMIT that takes the WAL past 1,000 pages:
    that request waits for the copy and its fsyncs, and so, as sqlite3 is called on the event
    loop, does every other request of the process. This thread does it every `interval`
    seconds instead (sqlite3 lets go of the GIL while SQLite works). PASSIVE: it neither
    waits for nor blocks readers and writers, whatever process they are in. Short intervals
    keep each checkpoint small; long ones made the tail latency of bookings worse.
    """

    def __init__(self, path: str, interval: float) -> None:
        self.path, self.interval = path, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        try:
            conn.execute("PRAGMA synchronous = NORMAL")
            while not self._stop.wait(self.interval):
                try:
                    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
                except sqlite3.Error as exc:  # the serving connections' own checkpoints remain
                    log.warning("WAL checkpoint failed: %s", exc)
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class _Transaction:
    """`async with db.transaction(write)`: a class rather than a generator, as it runs on every request."""

    __slots__ = ("db", "write", "raw", "locked")

    def __init__(self, db: SQLiteDatabase, write: bool) -> None:
        self.db, self.write, self.raw, self.locked = db, write, None, False

    async def __aenter__(self) -> SQLiteConnection:
        db = self.db
        if self.write:
            await db._lock().acquire()
            self.locked = True
        try:
            raw = db._idle.pop() if db._idle else db._open()
            self.raw = raw
            if self.write:
                raw.execute("BEGIN IMMEDIATE")
        except BaseException:
            self._release_lock()
            if self.raw is not None:
                self.raw.close()
            raise
        return SQLiteConnection(raw)

    async def __aexit__(self, exc_type, exc, tb) -> None:
        raw = self.raw
        try:
            if not self.write:
                pass
            elif exc_type is None:
                raw.execute("COMMIT")
            elif raw.in_transaction:  # some errors make SQLite roll back by itself
                raw.execute("ROLLBACK")
        except sqlite3.Error:
            raw.close()
            raise
        else:
            self.db._idle.append(raw)
        finally:
            self._release_lock()

    def _release_lock(self) -> None:
        if self.locked:
            self.locked = False
            self.db._lock().release()
