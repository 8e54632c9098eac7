"""SQL of the sandbox's snapshots (behaviour 19.3): copies of the domain tables inside the
database, `sandbox_snap_<id>_<table>`, and the registry `sandbox_snapshots` that names them.

Table names come from the schema itself and the snapshot's id, never from a request.
"""

from __future__ import annotations

import json
from typing import Sequence

from altegio_server.db import Connection
from altegio_server.db.base import Row
from altegio_server.sandbox.snapshot_rules import BASELINE, copy_name, domain_tables, parents_first

REGISTRY = "sandbox_snapshots"
_COLUMNS = "id, name, created_at, size, tables"


async def tables(conn: Connection) -> list[str]:
    """The tables a snapshot holds, as the schema has them now."""
    return domain_tables(await conn.table_names())


async def find(conn: Connection, name: str) -> Row | None:
    return await conn.fetchrow(f"SELECT {_COLUMNS} FROM {REGISTRY} WHERE name = $1", name)


async def named(conn: Connection) -> list[Row]:
    """Every snapshot but the baseline."""
    return await conn.fetch(f"SELECT {_COLUMNS} FROM {REGISTRY} WHERE name <> $1", BASELINE)


async def count_named(conn: Connection) -> int:
    return int(await conn.fetchval(f"SELECT COUNT(*) FROM {REGISTRY} WHERE name <> $1", BASELINE))


async def write(conn: Connection, name: str, now: int, names: Sequence[str]) -> Row:
    """Copy every table in `names` under a new snapshot called `name` (the caller holds them still)."""
    snapshot_id = await conn.fetchval(
        f"INSERT INTO {REGISTRY} (name, created_at, tables) VALUES ($1, $2, $3) RETURNING id",
        name, now, json.dumps(list(names)))
    for table in names:
        copy = copy_name(snapshot_id, table)
        await conn.execute(f"DROP TABLE IF EXISTS {copy}")  # a copy no snapshot names any more
        await conn.execute(f"CREATE TABLE {copy} AS SELECT * FROM {table}")
    size = 0
    if names:
        size = await conn.fetchval("SELECT " + " + ".join(
            f"(SELECT COUNT(*) FROM {copy_name(snapshot_id, t)})" for t in names))
    await conn.execute(f"UPDATE {REGISTRY} SET size = $1 WHERE id = $2", size, snapshot_id)
    found = await find(conn, name)
    assert found is not None
    return found


async def drop(conn: Connection, row: Row) -> None:
    """Forget a snapshot: its copies and its row."""
    for table in json.loads(row["tables"]):
        await conn.execute(f"DROP TABLE IF EXISTS {copy_name(row['id'], table)}")
    await conn.execute(f"DELETE FROM {REGISTRY} WHERE id = $1", row["id"])


async def put_back(conn: Connection, row: Row, names: Sequence[str]) -> None:
    """Replace the rows of every table in `names` with the snapshot's (the caller holds them alone).

    The tables are emptied together and filled parents first, so that no foreign key is
    broken at any step (where the database checks them row by row). Columns are matched by
    name: a column added since the snapshot takes its default. Ids go on from where they
    were, never back (behaviour 19.3).
    """
    from altegio_server.provisioning.fixture import TABLES_WITH_IDS

    order = parents_first(names, await conn.foreign_keys())
    copied = [t for t in json.loads(row["tables"]) if t in names]
    live = await conn.table_columns(names)
    saved = await conn.table_columns([copy_name(row["id"], t) for t in copied])
    with_ids = [t for t in TABLES_WITH_IDS if t in names]
    before = await conn.next_ids(with_ids)
    await conn.refill_tables(order)
    for table in order:
        copy = copy_name(row["id"], table)
        if copy not in saved:  # a table made after the snapshot: it stays empty
            continue
        columns = ", ".join(c for c in live[table] if c in saved[copy])
        await conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {copy}")
    await conn.continue_ids(with_ids, at_least=before)


async def drop_orphans(conn: Connection) -> None:
    """Drop the copies no snapshot names (after `db reset` emptied the registry)."""
    from altegio_server.sandbox.snapshot_rules import COPY_PREFIX

    known = {copy_name(r["id"], t) for r in await conn.fetch(f"SELECT id, tables FROM {REGISTRY}")
             for t in json.loads(r["tables"])}
    for table in await conn.table_names():
        if table.startswith(COPY_PREFIX) and table not in known:
            await conn.execute(f"DROP TABLE {table}")
