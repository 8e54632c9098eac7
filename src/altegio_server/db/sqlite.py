"""SQLite backend: sqlite3 called inline on the event loop.

A local SQLite statement takes microseconds, less than a hop to a worker thread would, so
the calls are made directly. Reads run statement by statement (autocommit), as they do on
PostgreSQL, where READ COMMITTED gives each statement its own snapshot anyway. Write
transactions are serialised inside the process by an asyncio lock and across processes by
`BEGIN IMMEDIATE` (SQLite allows one writer at a time);
readers run concurrently thanks to WAL. A thread of each process copies the WAL back into the
database file, so that no request waits for a checkpoint; it also notices when the file the
server opened is deleted or replaced, after which no write is taken (behaviour 11.3).
"""

from __future__ import annotations

import asyncio
import itertools
import os
import re
import sqlite3
import threading
from pathlib import Path
from types import TracebackType
from typing import Any, Callable, Mapping, Sequence

from altegio_server.bounded import BoundedCache
from altegio_server.db.base import MIGRATIONS_TABLE, UNBOUNDED, IntegrityError, LockMode, Row, Waits, log, ran_out
from altegio_server.errors import Unavailable

_PLACEHOLDER = re.compile(r"\$(\d+)")
_FAILED = re.compile(r"(UNIQUE|CHECK) constraint failed: (.+)")
_IDENTIFIER = re.compile(r"\w+")

# How often the checkpointer copies the WAL back into the database file, and how long the WAL
# may grow (in pages) before a serving connection does it itself, should the thread fall behind.
CHECKPOINT_SECONDS = 0.05
AUTOCHECKPOINT_PAGES = 20_000
UNBOUNDED_BUSY_MS = 10_000  # SQLite's wait for another process's lock when no bound is given
# With a bound, SQLite itself waits at most this long inside a call, as that call holds the
# event loop; a writer then tries again after these pauses, until its deadline (behaviour 11.1).
BUSY_SLICE_MS = 20
_RETRY_DELAYS = (0.001, 0.002, 0.005, 0.01, 0.02)
LOST_RETRY_AFTER = 60  # a lost file comes back only with an operator: no point retrying soon


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


def path_from_url(url: str) -> str:
    # sqlite:///relative/file, sqlite:////absolute/file, sqlite:///:memory: is refused
    path = url.split(":", 1)[1]
    if path.startswith("///"):
        path = path[3:]
    elif path.startswith("//"):
        path = path[2:]
    if not path or path == ":memory:":
        raise ValueError("an in-memory SQLite database cannot be shared; give a file path")
    return path


def _is_busy(exc: BaseException) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and getattr(exc, "sqlite_errorcode", None) in (
        sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _identity(path: str) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_dev, st.st_ino


def _violation(raw: sqlite3.Connection, exc: sqlite3.IntegrityError) -> IntegrityError:
    """SQLite's refusal as the neutral error, named as on PostgreSQL; the one reader of SQLite's messages."""
    return IntegrityError(_constraint_name(raw, exc), str(exc))


def _constraint_name(raw: sqlite3.Connection, exc: sqlite3.IntegrityError) -> str | None:
    # SQLite names a CHECK constraint, or gives the expression of an unnamed one; it names a
    # unique index on expressions, and gives the columns of any other. NOT NULL and foreign
    # keys it names nothing (nor does PostgreSQL name NOT NULL).
    failed = _FAILED.match(str(exc))
    if failed is None:
        return None
    kind, what = failed.groups()
    if kind == "CHECK":
        return what if _IDENTIFIER.fullmatch(what) else _unnamed_check(raw, what)
    if what.startswith("index '"):
        return what[len("index '"):-1]
    table = what.split(".", 1)[0]
    columns = [column.split(".", 1)[1] for column in what.split(", ")]
    if getattr(exc, "sqlite_errorname", "") == "SQLITE_CONSTRAINT_PRIMARYKEY":
        return f"{table}_pkey"
    return _unique_index(raw, table, columns)


def _unique_index(raw: sqlite3.Connection, table: str, columns: list[str]) -> str | None:
    """The unique index of `table` on exactly `columns`; constraints written in the table as PostgreSQL names them."""
    for _, name, unique, origin, _ in raw.execute(f'PRAGMA index_list("{table}")').fetchall():
        if unique and [r[2] for r in raw.execute(f'PRAGMA index_info("{name}")').fetchall()] == columns:
            if origin == "pk":
                return f"{table}_pkey"
            return f"{table}_{'_'.join(columns)}_key" if origin == "u" else name
    return None


def _unnamed_check(raw: sqlite3.Connection, expression: str) -> str | None:
    """The name PostgreSQL gives the unnamed CHECK written on a column: `<table>_<column>_check`."""
    for table, sql in raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall():
        for line in (sql or "").splitlines():
            if f"CHECK ({expression})" in line:
                return f"{table}_{line.split()[0]}_check"
    return None


class SQLiteConnection:
    dialect = "sqlite"
    for_update = ""  # no row locks: writers already run one at a time
    for_share = ""
    chained_writes = False  # no data-modifying WITH

    def __init__(self, raw: sqlite3.Connection) -> None:
        self.raw = raw

    def _run(self, sql: str, args: tuple) -> sqlite3.Cursor:
        try:
            return self.raw.execute(_translate(sql), args)
        except sqlite3.IntegrityError as exc:
            raise _violation(self.raw, exc) from exc
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):  # another process held the file past busy_timeout
                raise ran_out("the database file's lock") from exc
            raise

    async def fetch(self, sql: str, *args: Any) -> list[Row]:
        cur = self._run(sql, args)
        if cur.description is None:  # a statement that returns no rows
            return []
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    async def fetch_values(self, sql: str, *args: Any) -> list[Sequence[Any]]:
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
            raise _violation(self.raw, exc) from exc
        except sqlite3.OperationalError as exc:
            if _is_busy(exc):
                raise ran_out("the database file's lock") from exc
            raise

    async def continue_ids(self, tables: Sequence[str], at_least: Mapping[str, int] | None = None) -> None:
        # AUTOINCREMENT already goes on after the largest id, and never back: only `at_least` is left.
        for table, next_id in (at_least or {}).items():
            if table in tables and not await self.execute(
                    "UPDATE sqlite_sequence SET seq = MAX(seq, $2) WHERE name = $1", table, next_id - 1):
                await self.execute("INSERT INTO sqlite_sequence (name, seq) VALUES ($1, $2)", table, next_id - 1)

    async def next_ids(self, tables: Sequence[str]) -> dict[str, int]:
        if not await self.fetchval("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'"):
            return dict.fromkeys(tables, 1)
        seqs = {r[0]: r[1] for r in await self.fetch_values("SELECT name, seq FROM sqlite_sequence")}
        return {t: int(seqs.get(t) or 0) + 1 for t in tables}

    async def refill_tables(self, names: Sequence[str]) -> None:
        await self.execute("PRAGMA defer_foreign_keys = ON")
        for name in names:
            await self.execute(f"DELETE FROM {name}")  # sqlite_sequence stays: ids count on

    async def lock_tables(self, names: Sequence[str], mode: LockMode) -> None:
        return None  # the write transaction (BEGIN IMMEDIATE) already holds the whole file for writing

    async def table_columns(self, names: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for table, column in await self.fetch_values(
                "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p "
                "WHERE m.type = 'table' ORDER BY m.name, p.cid"):
            if table in names:
                found.setdefault(table, []).append(column)
        return found

    async def foreign_keys(self) -> list[tuple[str, str]]:
        rows = await self.fetch_values('SELECT m.name, f."table" FROM sqlite_master m '
                                       "JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table'")
        return [(r[0], r[1]) for r in rows]

    async def table_names(self) -> list[str]:
        tables = "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        rows = self._run(tables, ()).fetchall()
        return sorted(r[0] for r in rows if r[0] != MIGRATIONS_TABLE)

    async def empty_tables(self, names: Sequence[str]) -> None:
        # Checked at COMMIT, when nothing is left to point anywhere: the order does not matter.
        await self.execute("PRAGMA defer_foreign_keys = ON")
        for name in names:
            await self.execute(f"DELETE FROM {name}")
        if await self.fetchval("SELECT COUNT(*) FROM sqlite_master WHERE name = 'sqlite_sequence'"):
            await self.execute("DELETE FROM sqlite_sequence")


class SQLiteDatabase:
    dialect = "sqlite"
    chained_writes = False

    def __init__(self, url: str, waits: Waits = UNBOUNDED) -> None:
        self.url = url
        self.path = path_from_url(url)
        # One bound for both waits of a writer: its turn in this process, then the file's lock,
        # which another process may hold. None (the command line): wait in the process as long
        # as it takes, and up to UNBOUNDED_BUSY_MS inside SQLite for another process.
        self.lock_timeout = waits.lock
        self.busy_timeout_ms = UNBOUNDED_BUSY_MS if waits.lock is None else BUSY_SLICE_MS
        self._idle: list[sqlite3.Connection] = []
        self._write_lock: asyncio.Lock | None = None
        self._checkpointer: _Checkpointer | None = None
        self._identity: tuple[int, int] | None = None  # (st_dev, st_ino) of the file first opened
        self._fault: str | None = None
        self.snapshot_reads = False  # reads in one transaction each: sandbox mode (behaviour 19.3)

    def _open(self) -> sqlite3.Connection:
        if self.check_file() is not None:  # the path now names another file, or none: never open it
            raise self._refusal()
        Path(self.path).parent.mkdir(parents=True, exist_ok=True)
        # isolation_level=None: we issue BEGIN/COMMIT ourselves, pysqlite must not.
        raw = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        raw.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        raw.execute("PRAGMA journal_mode = WAL")
        raw.execute("PRAGMA synchronous = NORMAL")
        raw.execute(f"PRAGMA wal_autocheckpoint = {AUTOCHECKPOINT_PAGES}")
        raw.execute("PRAGMA foreign_keys = ON")
        raw.create_function("lower", 1, _lower, deterministic=True)
        if self._identity is None:
            self._identity = _identity(self.path)
        elif self.check_file() is not None:  # what was just opened may be the other file
            raw.close()
            raise self._refusal()
        return raw

    def check_file(self) -> str | None:
        """Whether the path still names the file first opened; why not, once it does not (behaviour 11.3).

        A few microseconds (one stat), so it runs before every COMMIT as well as on the timer.
        """
        if self._fault is None and self._identity is not None:
            try:
                now = _identity(self.path)
            except FileNotFoundError:
                self._lose("was deleted")
            except OSError as exc:
                self._lose(f"cannot be checked ({exc.strerror})")
            else:
                if now != self._identity:
                    self._lose("was replaced by another file")
        return self._fault

    def _lose(self, how: str) -> None:
        self._fault = f"the database file {self.path} {how} while the server had it open"
        log.error("%s: every write is refused (503) from now on, and readiness fails; writes answered "
                  "before are in the file the server opened; restore the file and restart the server",
                  self._fault)

    def _refusal(self) -> Unavailable:
        log.error("a request was refused: %s", self._fault)
        return Unavailable(retry_after=LOST_RETRY_AFTER)

    def fault(self) -> str | None:
        return self.check_file()

    async def connect(self) -> None:
        self._idle.append(self._open())
        if self._checkpointer is None:
            self._checkpointer = _Checkpointer(self.path, CHECKPOINT_SECONDS, self.check_file)

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

    def transaction(self, write: bool = False, alone: bool = False) -> _Transaction:
        return _Transaction(self, write, alone)


class _Checkpointer:
    """Copies the WAL back into the database file from a thread of its own.

    Left to itself, SQLite checkpoints inside the COMMIT that takes the WAL past 1,000 pages:
    that request waits for the copy and its fsyncs, and so, as sqlite3 is called on the event
    loop, does every other request of the process. This thread does it every `interval`
    seconds instead (sqlite3 lets go of the GIL while SQLite works). PASSIVE: it neither
    waits for nor blocks readers and writers, whatever process they are in. Short intervals
    keep each checkpoint small; long ones made the tail latency of bookings worse.
    `tick` runs after each checkpoint: the check that the database file is still there.
    """

    def __init__(self, path: str, interval: float, tick: Callable[[], object] = lambda: None) -> None:
        self.path, self.interval, self.tick = path, interval, tick
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
                    log.warning("WAL checkpoint failed: %s", exc)  # rate-limited (behaviour 11.4)
                self.tick()
        finally:
            conn.close()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


class _Transaction:
    """`async with db.transaction(write)`: a class rather than a generator, as it runs on every request."""

    __slots__ = ("db", "write", "alone", "raw", "locked")
    raw: sqlite3.Connection | None

    def __init__(self, db: SQLiteDatabase, write: bool, alone: bool = False) -> None:
        self.db, self.write, self.alone, self.raw, self.locked = db, write, alone, None, False

    async def __aenter__(self) -> SQLiteConnection:
        db = self.db
        deadline = None
        if self.write:
            if db._fault is not None:
                raise db._refusal()
            lock = db._lock()
            if lock.locked() and db.lock_timeout is not None:
                deadline = await self._wait_turn(lock, db.lock_timeout)
            else:  # free (the common case): taken without yielding
                await lock.acquire()
            self.locked = True
        try:
            raw = db._idle.pop() if db._idle else db._open()
            self.raw = raw
            if not self.write and db.snapshot_reads and not self.alone:
                raw.execute("BEGIN")  # one snapshot for all of this read's statements
            if self.write:
                try:
                    raw.execute("BEGIN IMMEDIATE")
                except sqlite3.OperationalError as exc:
                    if not _is_busy(exc) or db.lock_timeout is None:
                        raise
                    await self._begin_when_free(raw, deadline)
        except BaseException as exc:
            self._release_lock()
            if self.raw is not None:
                self.raw.close()
            if _is_busy(exc):
                raise ran_out("the database file's writer lock") from exc
            raise
        return SQLiteConnection(raw)

    async def _wait_turn(self, lock: asyncio.Lock, bound: float) -> float:
        """Take the process's writer lock within `bound` seconds; the deadline (behaviour 11.1)."""
        deadline = asyncio.get_running_loop().time() + bound
        try:
            async with asyncio.timeout_at(deadline):
                await lock.acquire()
        except TimeoutError:
            raise ran_out("the writer lock of this process") from None
        return deadline

    async def _begin_when_free(self, raw: sqlite3.Connection, deadline: float | None) -> None:
        """Another process holds the file's writer lock: try again until the deadline, sleeping
        between tries so that the event loop serves this process's other requests meanwhile."""
        loop = asyncio.get_running_loop()
        if deadline is None:
            assert self.db.lock_timeout is not None  # only called when waits are bounded
            deadline = loop.time() + self.db.lock_timeout
        for attempt in itertools.count():
            left = deadline - loop.time()
            if left <= 0:
                raise ran_out("the database file's writer lock")
            await asyncio.sleep(min(_RETRY_DELAYS[min(attempt, len(_RETRY_DELAYS) - 1)], left))
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if not _is_busy(exc):
                    raise

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        raw = self.raw
        assert raw is not None
        # Nothing may be acknowledged once the file is gone: checked last, just before COMMIT.
        lost = self.write and exc_type is None and self.db.check_file() is not None
        try:
            if not self.write:
                if raw.in_transaction:  # a read of sandbox mode: it wrote nothing
                    raw.execute("COMMIT")
            elif exc_type is None and not lost:
                raw.execute("COMMIT")
            elif raw.in_transaction:  # some errors make SQLite roll back by itself
                raw.execute("ROLLBACK")
        except sqlite3.Error as error:
            raw.close()
            if _is_busy(error):
                raise ran_out("the database file's lock") from error
            raise
        else:
            self.db._idle.append(raw)
        finally:
            self._release_lock()
        if lost:
            raise self.db._refusal()

    def _release_lock(self) -> None:
        if self.locked:
            self.locked = False
            self.db._lock().release()
