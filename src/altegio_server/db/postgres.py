"""PostgreSQL backend on asyncpg, with a connection pool per process."""

from __future__ import annotations

from typing import Any

import asyncpg

from altegio_server.db.base import IntegrityError, Row


def _dsn(url: str) -> str:
    return "postgresql:" + url.split(":", 1)[1] if url.startswith("postgresql+asyncpg:") else url


class PostgresConnection:
    dialect = "postgresql"

    def __init__(self, raw: asyncpg.Connection) -> None:
        self.raw = raw

    async def fetch(self, sql: str, *args: Any) -> list[Row]:
        try:
            return [dict(r) for r in await self.raw.fetch(sql, *args)]
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(getattr(exc, "constraint_name", None), str(exc)) from exc

    async def fetchrow(self, sql: str, *args: Any) -> Row | None:
        try:
            row = await self.raw.fetchrow(sql, *args)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(getattr(exc, "constraint_name", None), str(exc)) from exc
        return None if row is None else dict(row)

    async def fetchval(self, sql: str, *args: Any) -> Any:
        try:
            return await self.raw.fetchval(sql, *args)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(getattr(exc, "constraint_name", None), str(exc)) from exc

    async def execute(self, sql: str, *args: Any) -> int:
        try:
            status = await self.raw.execute(sql, *args)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(getattr(exc, "constraint_name", None), str(exc)) from exc
        tail = status.rsplit(" ", 1)[-1]
        return int(tail) if tail.isdigit() else 0

    async def executemany(self, sql: str, rows: list[tuple]) -> None:
        try:
            await self.raw.executemany(sql, rows)
        except asyncpg.IntegrityConstraintViolationError as exc:
            raise IntegrityError(getattr(exc, "constraint_name", None), str(exc)) from exc


async def _keep_session(conn: asyncpg.Connection) -> None:
    """Skip asyncpg's reset on release: a round trip per request, and our transactions always
    end with COMMIT or ROLLBACK and set no session state."""


class PostgresDatabase:
    dialect = "postgresql"

    def __init__(self, url: str, pool_size: int = 16) -> None:
        self.url = url
        self.pool_size = pool_size
        self._pool: asyncpg.Pool | None = None

    async def connect(self) -> None:
        self._pool = await asyncpg.create_pool(
            _dsn(self.url), min_size=1, max_size=self.pool_size, command_timeout=60, reset=_keep_session
        )

    async def close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def transaction(self, write: bool = False) -> _Transaction:
        assert self._pool is not None, "database not connected"
        return _Transaction(self._pool, write)


class _Transaction:
    """`async with db.transaction(write)`: one pooled connection, one transaction."""

    __slots__ = ("pool", "write", "raw", "tx")

    def __init__(self, pool: asyncpg.Pool, write: bool) -> None:
        self.pool, self.write, self.raw, self.tx = pool, write, None, None

    async def __aenter__(self) -> PostgresConnection:
        self.raw = await self.pool.acquire()
        if not self.write:
            # Reads run in autocommit: under READ COMMITTED each statement has its own
            # snapshot anyway, and BEGIN/COMMIT would cost two round trips per request.
            return PostgresConnection(self.raw)
        try:
            self.tx = self.raw.transaction()
            await self.tx.start()
        except BaseException:
            await self.pool.release(self.raw)
            raise
        return PostgresConnection(self.raw)

    async def __aexit__(self, exc_type, exc, tb) -> None:
        try:
            if self.tx is None:
                pass
            elif exc_type is None:
                await self.tx.commit()
            else:
                await self.tx.rollback()
        finally:
            await self.pool.release(self.raw)
