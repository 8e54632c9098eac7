"""PostgreSQL backend on asyncpg, with a small connection pool per process."""

from __future__ import annotations

import asyncio
from collections import deque
from types import TracebackType
from typing import Any, Literal

import asyncpg

from altegio_server.db.base import IntegrityError, Row


def _dsn(url: str) -> str:
    return "postgresql:" + url.split(":", 1)[1] if url.startswith("postgresql+asyncpg:") else url


class _Constraints:
    """`with CONSTRAINTS:` turns asyncpg's constraint violations into the neutral IntegrityError."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> Literal[False]:
        if exc_type is not None and issubclass(exc_type, asyncpg.IntegrityConstraintViolationError):
            raise IntegrityError(getattr(exc, "constraint_name", None), str(exc)) from exc
        return False


CONSTRAINTS = _Constraints()


class PostgresConnection:
    dialect = "postgresql"

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw

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


class _Pool:
    """Open connections handed out and taken back, at most `size` of them.

    asyncpg's own pool costs about 50 µs per acquire and release (timeouts, shields, a
    reset query or callback), more than a whole indexed read. Our transactions always end
    in COMMIT or ROLLBACK and set no session state, so a connection needs nothing done to
    it between requests: this pool is a list and a queue of waiters. Connections are opened
    when first needed; a closed one is dropped and replaced by the next acquire.
    """

    def __init__(self, dsn: str, size: int) -> None:
        self.dsn, self.size = dsn, size
        self.opened = 0
        self.idle: list[asyncpg.Connection] = []
        self.waiters: deque[asyncio.Future] = deque()

    async def _open(self) -> asyncpg.Connection:
        return await asyncpg.connect(self.dsn, command_timeout=60)

    async def acquire(self) -> asyncpg.Connection:
        while True:
            while self.idle:
                conn = self.idle.pop()
                if not conn.is_closed():
                    return conn
                self.opened -= 1
            if self.opened < self.size:
                self.opened += 1
                try:
                    return await self._open()
                except BaseException:
                    self.opened -= 1
                    self._hand_over(None)
                    raise
            waiter = asyncio.get_running_loop().create_future()
            self.waiters.append(waiter)
            try:
                conn = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self.release(waiter.result())
                raise
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

    def __init__(self, url: str, pool_size: int = 16) -> None:
        self.url = url
        self.pool_size = pool_size
        self._pool: _Pool | None = None

    async def connect(self) -> None:
        pool = _Pool(_dsn(self.url), self.pool_size)
        pool.release(await pool.acquire())  # fail now, not on the first request, if unreachable
        self._pool = pool

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def transaction(self, write: bool = False) -> _Transaction:
        assert self._pool is not None, "database not connected"
        return _Transaction(self._pool, write)


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
            return PostgresConnection(raw)
        try:
            await raw.execute("BEGIN")
        except BaseException:
            self.pool.release(raw)
            raise
        return PostgresConnection(raw)

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        raw = self.raw
        assert raw is not None
        if exc_type is not None and (not issubclass(exc_type, Exception) or issubclass(exc_type, TimeoutError)):
            # Cancelled or timed out, perhaps mid-statement: the connection's state is unknown.
            raw.terminate()
        try:
            if not self.write or raw.is_closed():
                pass
            elif exc_type is None:
                await raw.execute("COMMIT")
            else:
                await raw.execute("ROLLBACK")
        finally:
            self.pool.release(raw)
