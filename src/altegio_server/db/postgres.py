"""PostgreSQL backend on asyncpg, with a small connection pool per process."""

from __future__ import annotations

import asyncio
import random
from collections import deque
from types import TracebackType
from typing import Any, Literal, Mapping, Sequence

import asyncpg

from altegio_server.db.base import MIGRATIONS_TABLE, UNBOUNDED, IntegrityError, LockMode, Row, Waits, log, ran_out
from altegio_server.errors import Unavailable

# The server gave up waiting: lock_timeout (55P03) or statement_timeout (57014) ran out.
_WAITED_TOO_LONG = (asyncpg.LockNotAvailableError, asyncpg.QueryCanceledError)
# The server cannot be reached or takes no more connections now.
_UNREACHABLE = (OSError, asyncio.TimeoutError, asyncpg.CannotConnectNowError, asyncpg.TooManyConnectionsError)


def unreachable(exc: BaseException) -> Unavailable:
    log.warning("cannot connect to the database (%s: %s): answered 503", type(exc).__name__, exc)
    return Unavailable()


def _dsn(url: str) -> str:
    return "postgresql:" + url.split(":", 1)[1] if url.startswith("postgresql+asyncpg:") else url


class _Constraints:
    """`with CONSTRAINTS:` turns asyncpg's constraint violations into the neutral IntegrityError."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Literal[False]:
        if exc_type is None:
            return False
        if issubclass(exc_type, asyncpg.IntegrityConstraintViolationError):
            raise IntegrityError(getattr(exc, "constraint_name", None), str(exc)) from exc
        if issubclass(exc_type, _WAITED_TOO_LONG):  # the transaction is rolled back by the caller
            raise ran_out("lock or statement timeout") from exc
        return False


CONSTRAINTS = _Constraints()

# `lock_tables` waits at most this long per turn: well under PostgreSQL's deadlock_timeout (1 s),
# so a writer that waits for a table this connection took gets it back before PostgreSQL
# would end either of them as a deadlock.
LOCK_TURN = "50ms"


class PostgresConnection:
    dialect = "postgresql"
    for_update = " FOR UPDATE"
    for_share = " FOR SHARE"
    chained_writes = True

    def __init__(self, raw: asyncpg.Connection, lock_wait: float | None = None) -> None:
        self.raw = raw
        self.lock_wait = lock_wait  # the bound of lock_tables (Waits.lock); None: as long as it takes

    async def fetch(self, sql: str, *args: Any) -> list[Row]:
        return [dict(r) for r in await self.fetch_values(sql, *args)]

    async def fetch_values(self, sql: str, *args: Any) -> list[asyncpg.Record]:
        with CONSTRAINTS:
            return await self.raw.fetch(sql, *args)

    async def fetchrow(self, sql: str, *args: Any) -> Row | None:
        with CONSTRAINTS:
            row = await self.raw.fetchrow(sql, *args)
        return None if row is None else dict(row)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        with CONSTRAINTS:
            return await self.raw.fetchval(sql, *args)

    async def execute(self, sql: str, *args: Any) -> int:
        with CONSTRAINTS:
            status = await self.raw.execute(sql, *args)
        tail = status.rsplit(" ", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    async def executemany(self, sql: str, rows: list[tuple]) -> None:
        with CONSTRAINTS:
            await self.raw.executemany(sql, rows)

    async def continue_ids(self, tables: Sequence[str], at_least: Mapping[str, int] | None = None) -> None:
        # An identity does not see explicit ids: move it past the largest (to 1 if none).
        floors = at_least or {}
        for table in tables:
            await self.raw.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"GREATEST((SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), $1::bigint), false)",
                floors.get(table, 1))

    async def next_ids(self, tables: Sequence[str]) -> dict[str, int]:
        if not tables:
            return {}
        rows = await self.raw.fetch("SELECT t, pg_get_serial_sequence(t, 'id') FROM unnest($1::text[]) AS t",
                                    list(tables))
        # Sequence names from the catalog, already quoted where needed.
        reads = " UNION ALL ".join(
            f"SELECT {i}, CASE WHEN is_called THEN last_value + 1 ELSE last_value END FROM {seq}"
            for i, (_, seq) in enumerate(rows))
        found = {i: n for i, n in await self.raw.fetch(reads)}
        return {row[0]: found[i] for i, row in enumerate(rows)}

    async def refill_tables(self, names: Sequence[str]) -> None:
        try:  # a savepoint, so that a role without the right leaves the transaction usable
            await self.raw.execute("SAVEPOINT refill; SET LOCAL session_replication_role = replica; "
                                   "RELEASE SAVEPOINT refill")
        except asyncpg.InsufficientPrivilegeError:
            await self.raw.execute("ROLLBACK TO SAVEPOINT refill")  # the checks run, row by row
        # DELETE rather than TRUNCATE: small tables cost a fraction of TRUNCATE's new files.
        for name in reversed(names):  # children first, should the checks run
            await self.execute(f"DELETE FROM {name}")  # identities are not touched: ids count on

    async def lock_tables(self, names: Sequence[str], mode: LockMode) -> None:
        if not names:
            return
        loop = asyncio.get_running_loop()
        deadline = None if self.lock_wait is None else loop.time() + self.lock_wait
        bound = await self.raw.fetchval("SHOW lock_timeout")
        while True:
            await self.raw.execute(f"SAVEPOINT lock_tables; SET LOCAL lock_timeout = '{LOCK_TURN}'")
            try:
                await self.raw.execute(f"LOCK TABLE {', '.join(names)} IN {mode} MODE")
            except asyncpg.LockNotAvailableError:
                # Let go of the tables this turn took (and its lock_timeout), so that whoever
                # waits for one of them goes on; then try again.
                await self.raw.execute("ROLLBACK TO SAVEPOINT lock_tables")
                if deadline is not None and loop.time() >= deadline:
                    raise ran_out(f"a {mode} lock on {len(names)} tables") from None
                await asyncio.sleep(random.uniform(0.001, 0.02))
                continue
            await self.raw.execute(f"RELEASE SAVEPOINT lock_tables; SET LOCAL lock_timeout = '{bound}'")
            return

    async def table_columns(self, names: Sequence[str]) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        for table, column in await self.raw.fetch(
                "SELECT c.relname, a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
                "WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r' "
                "AND c.relname = ANY($1::text[]) AND a.attnum > 0 AND NOT a.attisdropped "
                "ORDER BY c.relname, a.attnum", list(names)):
            found.setdefault(table, []).append(column)
        return found

    async def foreign_keys(self) -> list[tuple[str, str]]:
        rows = await self.raw.fetch(
            "SELECT conrelid::regclass::text, confrelid::regclass::text FROM pg_constraint "
            "WHERE contype = 'f' AND connamespace = current_schema()::regnamespace")
        return [(r[0], r[1]) for r in rows]

    async def table_names(self) -> list[str]:
        rows = await self.raw.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return sorted(r[0] for r in rows if r[0] != MIGRATIONS_TABLE)

    async def empty_tables(self, names: Sequence[str]) -> None:
        await self.execute(f"TRUNCATE {', '.join(names)} RESTART IDENTITY")


class _Pool:
    """Open connections handed out and taken back, at most `size` of them.

    asyncpg's own pool costs about 50 µs per acquire and release (timeouts, shields, a
    reset query or callback), more than a whole indexed read. Our transactions always end
    in COMMIT or ROLLBACK and set no session state, so a connection needs nothing done to
    it between requests: this pool is a list and a queue of waiters. Connections are opened
    when first needed; a closed one is dropped and replaced by the next acquire.
    """

    def __init__(self, dsn: str, size: int, waits: Waits = UNBOUNDED) -> None:
        self.dsn, self.size, self.timeout = dsn, size, waits.acquire
        self.opened = 0
        self.idle: list[asyncpg.Connection] = []
        self.waiters: deque[asyncio.Future] = deque()
        # Session settings, sent with the connection's start-up message: they bound every
        # statement, the one-statement writes run outside BEGIN included, for no round trip
        # per request (behaviour 11.1).
        self.server_settings: dict[str, str] = {}
        if waits.lock is not None:
            self.server_settings["lock_timeout"] = f"{max(1, round(waits.lock * 1000))}ms"
        if waits.statement is not None:
            self.server_settings["statement_timeout"] = f"{max(1, round(waits.statement * 1000))}ms"
        # asyncpg's own timeout, for a server that stopped answering altogether.
        self.command_timeout = 60.0 if waits.statement is None else waits.statement + 2.0
        self.lock_wait = waits.lock

    async def _open(self, timeout: float | None = None) -> asyncpg.Connection:
        return await asyncpg.connect(self.dsn, command_timeout=self.command_timeout,
                                     timeout=timeout or self.timeout or 60.0, server_settings=self.server_settings)

    def _expire(self, waiter: asyncio.Future) -> None:
        if not waiter.done():
            self.waiters.remove(waiter)
            waiter.set_exception(ran_out("a pooled connection"))

    async def acquire(self) -> asyncpg.Connection:
        deadline = None
        while True:
            while self.idle:
                conn = self.idle.pop()
                if not conn.is_closed():
                    return conn
                self.opened -= 1
            if self.opened < self.size:
                self.opened += 1
                left = None if deadline is None else max(0.001, deadline - asyncio.get_running_loop().time())
                try:
                    return await self._open(left)
                except BaseException as exc:
                    self.opened -= 1
                    self._hand_over(None)
                    if isinstance(exc, _UNREACHABLE):
                        raise unreachable(exc) from exc
                    raise
            loop = asyncio.get_running_loop()
            waiter = loop.create_future()
            self.waiters.append(waiter)
            timer = None
            if self.timeout is not None:  # one deadline for the whole acquire, however many turns
                deadline = loop.time() + self.timeout if deadline is None else deadline
                timer = loop.call_at(deadline, self._expire, waiter)
            try:
                conn = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled() and waiter.exception() is None:
                    self.release(waiter.result())
                raise
            finally:
                if timer is not None:
                    timer.cancel()
            if conn is not None:
                return conn
            # None: a connection was dropped, so there is room to open one; try again.

    def release(self, conn: asyncpg.Connection) -> None:
        if not conn.is_closed() and conn.is_in_transaction():
            conn.terminate()  # a transaction left open by a failed ROLLBACK: never reuse it
        if conn.is_closed():
            self.opened -= 1
            self._hand_over(None)
        else:
            self._hand_over(conn)

    def _hand_over(self, conn: asyncpg.Connection | None) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(conn)
                return
        if conn is not None:
            self.idle.append(conn)

    async def close(self) -> None:
        idle, self.idle = self.idle, []
        self.opened -= len(idle)
        await asyncio.gather(*(conn.close() for conn in idle), return_exceptions=True)


class PostgresDatabase:
    dialect = "postgresql"
    chained_writes = True

    def __init__(self, url: str, pool_size: int = 16, waits: Waits = UNBOUNDED) -> None:
        self.url = url
        self.pool_size, self.waits = pool_size, waits
        self._pool: _Pool | None = None
        self.snapshot_reads = False  # reads in one transaction each: sandbox mode (behaviour 19.3)

    async def connect(self) -> None:
        pool = _Pool(_dsn(self.url), self.pool_size, self.waits)
        # Fail now, not on the first request, if unreachable, and in the driver's own words.
        pool.idle.append(await pool._open())
        pool.opened = 1
        self._pool = pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def fault(self) -> None:
        return None

    def transaction(self, write: bool = False, alone: bool = False) -> _Transaction:
        assert self._pool is not None, "database not connected"
        return _Transaction(self._pool, write or (self.snapshot_reads and not alone))


class _Transaction:
    """`async with db.transaction(write)`: one pooled connection, one transaction."""

    __slots__ = ("pool", "write", "raw")
    raw: asyncpg.Connection | None

    def __init__(self, pool: _Pool, write: bool) -> None:
        self.pool, self.write, self.raw = pool, write, None

    async def __aenter__(self) -> PostgresConnection:
        raw = self.raw = await self.pool.acquire()
        if not self.write:
            # Reads run in autocommit: under READ COMMITTED each statement has its own
            # snapshot anyway, and BEGIN/COMMIT would cost two round trips per request.
            return PostgresConnection(raw, self.pool.lock_wait)
        try:
            await raw.execute("BEGIN")
        except BaseException:
            self.pool.release(raw)
            raise
        return PostgresConnection(raw, self.pool.lock_wait)

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        raw = self.raw
        assert raw is not None
        timed_out = exc_type is not None and issubclass(exc_type, TimeoutError)
        if exc_type is not None and (not issubclass(exc_type, Exception) or timed_out):
            # Cancelled or timed out, perhaps mid-statement: the connection's state is unknown.
            raw.terminate()
        try:
            if not self.write or raw.is_closed():
                pass
            elif exc_type is None:
                with CONSTRAINTS:  # a deferred constraint or a timeout may still refuse the COMMIT
                    await raw.execute("COMMIT")
            else:
                await raw.execute("ROLLBACK")
        finally:
            self.pool.release(raw)
        if timed_out:  # asyncpg's own timeout: the server stopped answering (behaviour 11.1)
            raise ran_out("no answer from the server") from exc
