"""PostgreSQL: the server's own connection pool under the ways a pool goes wrong."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from altegio_server.db.postgres import PostgresDatabase


@pytest.fixture
def pg_url(postgres_template) -> str:
    return postgres_template.fresh()


async def _backends(url: str) -> list[int]:
    """Process ids of the pool's server connections (all but our own)."""
    admin = await asyncpg.connect(url)
    try:
        rows = await admin.fetch(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        return [r["pid"] for r in rows]
    finally:
        await admin.close()


def test_more_requests_than_connections_wait_their_turn_and_all_finish(pg_url):
    async def scenario() -> tuple[list[int], int, int]:
        db = PostgresDatabase(pg_url, pool_size=4)
        await db.connect()

        async def one(i: int) -> int:
            async with db.transaction(write=i % 2 == 0) as conn:
                await conn.execute("SELECT pg_sleep(0.01)")
                return await conn.fetchval("SELECT $1::int", i)

        try:
            results = await asyncio.gather(*(one(i) for i in range(40)))
            in_use = len(await _backends(pg_url))
            return results, in_use, db._pool.opened
        finally:
            await db.close()

    results, in_use, opened = asyncio.run(scenario())
    assert results == list(range(40))
    assert in_use <= 4 and opened == 4


def test_a_waiter_given_up_on_leaves_no_connection_behind(pg_url):
    async def scenario() -> tuple[int, int]:
        db = PostgresDatabase(pg_url, pool_size=2)
        await db.connect()
        try:
            held = [db.transaction(), db.transaction()]
            for t in held:
                await t.__aenter__()
            waiter = asyncio.create_task(db.transaction().__aenter__())
            await asyncio.sleep(0.05)
            waiter.cancel()
            for t in held:
                await t.__aexit__(None, None, None)
            with pytest.raises(asyncio.CancelledError):
                await waiter
            async with db.transaction() as conn:  # both connections are there to be had
                async with db.transaction() as other:
                    assert await conn.fetchval("SELECT 1") == await other.fetchval("SELECT 1") == 1
            return len(db._pool.idle), db._pool.opened
        finally:
            await db.close()

    assert asyncio.run(scenario()) == (2, 2)


def test_connections_the_server_closed_are_replaced(pg_url):
    async def scenario() -> tuple[int, int]:
        db = PostgresDatabase(pg_url, pool_size=3)
        await db.connect()
        try:
            async with db.transaction() as a, db.transaction() as b:
                assert await a.fetchval("SELECT 1") == await b.fetchval("SELECT 1") == 1
            admin = await asyncpg.connect(pg_url)
            try:
                await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                                    "WHERE datname = current_database() AND pid <> pg_backend_pid()")
            finally:
                await admin.close()
            await asyncio.sleep(0.2)  # the pool learns of the closed sockets
            async with db.transaction(write=True) as conn:
                value = await conn.fetchval("SELECT 42")
            return value, db._pool.opened
        finally:
            await db.close()

    assert asyncio.run(scenario()) == (42, 1)


def test_a_transaction_that_failed_leaves_a_clean_connection(pg_url):
    async def scenario() -> bool:
        db = PostgresDatabase(pg_url, pool_size=1)
        await db.connect()
        try:
            with pytest.raises(asyncpg.DivisionByZeroError):
                async with db.transaction(write=True) as conn:
                    await conn.execute("SELECT 1 / 0")
            async with db.transaction() as conn:  # the only connection, out of its transaction
                return await conn.raw.fetchval("SELECT NOT pg_is_in_recovery()") and not conn.raw.is_in_transaction()
        finally:
            await db.close()

    assert asyncio.run(scenario())
