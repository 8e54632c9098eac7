"""SQLite backend: sqlite3 called inline on the event loop.

A local SQLite statement takes microseconds, less than a hop to a worker thread would, so
the calls are made directly. Write transactions are serialised inside the process by an
asyncio lock and across processes by `BEGIN IMMEDIATE` (SQLite allows one writer at a time);
readers run concurrently thanks to WAL.
"""

from __future__ import annotations

import asyncio
import re
import sqlite3
from contextlib import asynccontextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, AsyncIterator

from altegio_server.db.base import IntegrityError, Row

_PLACEHOLDER = re.compile(r"\$(\d+)")


@lru_cache(maxsize=1024)
def _translate(sql: str) -> str:
    return _PLACEHOLDER.sub(r"?\1", sql)


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
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

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

    def _open(self) -> sqlite3.Connection:
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, pysqlite must not.
        raw = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        raw.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute("PRAGMA foreign_keys = ON")
        raw.create_function("lower", 1, _lower, deterministic=True)
        return raw

    async def connect(self) -> None:
        self._idle.append(self._open())

    async def close(self) -> None:
        while self._idle:
            self._idle.pop().close()

    def _lock(self) -> asyncio.Lock:
        if self._write_lock is None:
            self._write_lock = asyncio.Lock()
        return self._write_lock

    @asynccontextmanager
    async def transaction(self, write: bool = False) -> AsyncIterator[SQLiteConnection]:
        if write:
            async with self._lock():
                async with self._begin("BEGIN IMMEDIATE") as conn:
                    yield conn
        else:
            async with self._begin("BEGIN") as conn:
                yield conn

    @asynccontextmanager
    async def _begin(self, begin: str) -> AsyncIterator[SQLiteConnection]:
        raw = self._idle.pop() if self._idle else self._open()
        try:
            raw.execute(begin)
            try:
                yield SQLiteConnection(raw)
            except BaseException:
                raw.execute("ROLLBACK")
                raise
            raw.execute("COMMIT")
        except sqlite3.Error:
            raw.close()
            raise
        else:
            self._idle.append(raw)
