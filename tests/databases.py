"""Test databases: a migrated, demo-seeded SQLite file or PostgreSQL database per test.

Seeding once and copying is what keeps the suite fast: SQLite copies a template file,
PostgreSQL truncates and re-inserts a snapshot of the seeded tables.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import uuid
from pathlib import Path
from typing import Any

from altegio_server.clock import FixedClock
from altegio_server.db import open_database
from altegio_server.db.migrate import upgrade
from altegio_server.deps import Deps
from altegio_server.provisioning import demo
from altegio_server.db.postgres import PostgresConnection
from altegio_server.provisioning.fixture import TABLES_WITH_IDS
from altegio_server.sandbox import snapshots
from altegio_server.sandbox.snapshot_rules import BASELINE, copy_name

PG_ADMIN_URL = os.environ.get("ALTEGIO_TEST_PG_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
REQUIRE_PG = os.environ.get("ALTEGIO_REQUIRE_POSTGRES", "") not in ("", "0", "false")

TABLES = ("chains", "locations", "positions", "position_locations", "staff", "service_categories",
          "services", "service_staff", "resources", "resource_instances", "service_resources", "clients",
          "comers", "users", "user_locations", "partner_tokens", "tags", "events", "event_resource_instances",
          "event_labels", "records", "record_labels")


def run(coro: Any) -> Any:
    return asyncio.run(coro)


async def _seed(url: str) -> None:
    db = open_database(url, pool_size=1)
    await db.connect()
    try:
        await upgrade(db)
        await demo.seed(Deps(db, FixedClock(0)), schedule=False)  # ids and bodies must not depend on the day
    finally:
        await db.close()


class SQLiteTemplate:
    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.template = directory / "template.sqlite3"
        run(_seed(f"sqlite:///{self.template}"))
        # Fold the WAL into the main file so a plain copy carries everything.
        import sqlite3

        raw = sqlite3.connect(self.template)
        raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        raw.execute("PRAGMA journal_mode = DELETE")
        raw.close()

    def fresh(self) -> str:
        path = self.directory / f"{uuid.uuid4().hex}.sqlite3"
        shutil.copyfile(self.template, path)
        return f"sqlite:///{path}"


class PostgresTemplate:
    def __init__(self) -> None:
        self.name = f"altegio_test_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        base = PG_ADMIN_URL.rsplit("/", 1)[0]
        self.url = f"{base}/{self.name}"
        run(self._create())
        run(_seed(self.url))
        self.snapshot = run(self._snapshot())
        self.baseline = run(self._baseline())

    async def _admin(self, sql: str) -> None:
        import asyncpg

        conn = await asyncpg.connect(PG_ADMIN_URL)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()

    async def _create(self) -> None:
        await self._admin(f'CREATE DATABASE "{self.name}"')
        # A test database need not survive a crash: commits stop waiting for the disk.
        await self._admin(f'ALTER DATABASE "{self.name}" SET synchronous_commit = off')

    async def _snapshot(self) -> dict[str, list[dict[str, Any]]]:
        db = open_database(self.url, pool_size=1)
        await db.connect()
        try:
            async with db.transaction() as conn:
                return {t: await conn.fetch(f"SELECT * FROM {t}") for t in TABLES}
        finally:
            await db.close()

    async def _baseline(self) -> tuple[int, set[str]]:
        import asyncpg

        conn = await asyncpg.connect(self.url)
        try:
            return await self._baseline_of(conn)
        finally:
            await conn.close()

    @staticmethod
    async def _baseline_of(conn: Any) -> tuple[int, set[str]]:
        """The sandbox's baseline that seeding recorded: its id and its copies (behaviour 19.3)."""
        row = await conn.fetchrow("SELECT id, tables FROM sandbox_snapshots WHERE name = $1", BASELINE)
        assert row is not None, "seeding records the sandbox's baseline"
        return row["id"], {copy_name(row["id"], t) for t in json.loads(row["tables"])}

    async def _keep_baseline(self, conn: Any) -> bool:
        """Drop every snapshot but the seeded baseline; False if a test recorded another baseline."""
        baseline_id, kept = self.baseline
        await conn.execute("DELETE FROM sandbox_snapshots WHERE id <> $1", baseline_id)
        for row in await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                    "AND tablename LIKE 'sandbox\\_snap\\_%'"):
            if row["tablename"] not in kept:
                await conn.execute(f'DROP TABLE "{row["tablename"]}"')
        return bool(await conn.fetchval("SELECT COUNT(*) FROM sandbox_snapshots"))

    async def _reset(self) -> None:
        # DELETE on these few small tables costs a fraction of TRUNCATE's file rewrites; one
        # connection does the whole reset. Every table is emptied, also those that later
        # migrations add, with foreign-key triggers off so that the order does not matter.
        import asyncpg

        conn = await asyncpg.connect(self.url)
        try:
            async with conn.transaction():
                await conn.execute("SET LOCAL session_replication_role = replica")
                baseline_kept = await self._keep_baseline(conn)
                every = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
                                         "AND tablename <> 'schema_migrations' AND tablename <> 'sandbox_snapshots' "
                                         "AND tablename NOT LIKE 'sandbox\\_snap\\_%'")
                for row in every:
                    await conn.execute(f'DELETE FROM "{row["tablename"]}"')
                for table in TABLES:
                    rows = self.snapshot[table]
                    if rows:
                        cols = list(rows[0])
                        await conn.copy_records_to_table(table, records=[tuple(r[c] for c in cols) for r in rows],
                                                         columns=cols)
                await conn.execute(";".join(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"
                    for table in TABLES_WITH_IDS))
                if not baseline_kept:  # a test loaded a fixture: record the seeded state again
                    await snapshots.record_baseline(PostgresConnection(conn), 0)
            if not baseline_kept:
                self.baseline = await self._baseline_of(conn)
        finally:
            await conn.close()

    def fresh(self) -> str:
        run(self._reset())
        return self.url

    def drop(self) -> None:
        run(self._admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))


def postgres_available() -> str | None:
    """None if PostgreSQL answers; otherwise why not."""
    import asyncpg

    async def probe() -> None:
        conn = await asyncpg.connect(PG_ADMIN_URL, timeout=3)
        await conn.close()

    try:
        run(probe())
    except Exception as exc:  # any failure to connect means: not available here
        return f"PostgreSQL not reachable at {PG_ADMIN_URL} ({type(exc).__name__}: {exc})"
    return None
