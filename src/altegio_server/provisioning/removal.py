"""Starting over: empty the whole database (`db reset`), or remove what a fixture is about to
replace (`load --replace`). Both only delete rows; the schema and its migrations stay.
"""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.sandbox import copies
from altegio_server.sandbox.snapshot_rules import COPY_PREFIX
from altegio_server.security import token_digest

# What lives under a chain, children before their parents so that no foreign key is broken
# along the way. `{locations}` and `{positions}` stand for the chain's locations and positions.
_UNDER_A_CHAIN = (
    ("webhook_flags", "location_id IN ({locations})"),
    ("webhook_settings", "location_id IN ({locations})"),
    ("webhook_outbox", "location_id IN ({locations})"),
    ("webhook_deliveries", "location_id IN ({locations})"),
    ("record_labels", "record_id IN (SELECT id FROM records WHERE location_id IN ({locations}))"),
    ("records", "location_id IN ({locations})"),
    ("event_labels", "event_id IN (SELECT id FROM events WHERE location_id IN ({locations}))"),
    ("event_resource_instances", "event_id IN (SELECT id FROM events WHERE location_id IN ({locations}))"),
    ("events", "location_id IN ({locations})"),
    ("duplication_strategies", "location_id IN ({locations})"),
    ("comers", "location_id IN ({locations})"),
    ("clients", "location_id IN ({locations})"),
    ("tags", "location_id IN ({locations})"),
    ("service_resources", "service_id IN (SELECT id FROM services WHERE location_id IN ({locations}))"),
    ("service_staff", "service_id IN (SELECT id FROM services WHERE location_id IN ({locations}))"),
    ("resource_instances", "location_id IN ({locations})"),
    ("resources", "location_id IN ({locations})"),
    ("services", "location_id IN ({locations})"),
    ("service_categories", "location_id IN ({locations})"),
    ("staff", "location_id IN ({locations})"),
    ("user_locations", "location_id IN ({locations})"),
    ("position_locations", "location_id IN ({locations}) OR position_id IN ({positions})"),
    ("positions", "chain_id = $1"),
    ("locations", "chain_id = $1"),
    ("chains", "id = $1"),
)
_LOCATIONS = "SELECT id FROM locations WHERE chain_id = $1"
_POSITIONS = "SELECT id FROM positions WHERE chain_id = $1"


async def tables(conn: Connection) -> list[str]:
    """Every table of the schema but the migrations' own bookkeeping and the sandbox's copies."""
    return [t for t in await conn.table_names() if not t.startswith(COPY_PREFIX)]


async def empty_database(deps: Deps) -> dict[str, int]:
    """Delete every row of every table in one transaction, and let ids start again at 1
    (behaviour 12.4); the rows deleted per table. The sandbox's snapshots go too (19.3)."""
    async with deps.db.transaction(write=True) as conn:
        names = await tables(conn)
        counts = {name: await conn.fetchval(f"SELECT COUNT(*) FROM {name}") for name in names}
        await conn.empty_tables(names)
        await copies.drop_orphans(conn)
    return counts


async def remove_named(conn: Connection, data: dict[str, Any]) -> dict[str, int]:
    """Delete the chains (by id, with everything under them), users (by id, with their
    tokens and access) and partner tokens (by token) that a checked fixture names
    (behaviour 12.5); the rows deleted per table."""
    counts: dict[str, int] = {}

    async def delete(table: str, where: str, *args: Any) -> None:
        touched = await conn.execute(f"DELETE FROM {table} WHERE {where}", *args)
        if touched:
            counts[table] = counts.get(table, 0) + touched

    for chain in data.get("chains") or []:
        for table, where in _UNDER_A_CHAIN:
            await delete(table, where.format(locations=_LOCATIONS, positions=_POSITIONS), chain["id"])
    for user in data.get("users") or []:
        await delete("user_tokens", "user_id = $1", user["id"])
        await delete("user_locations", "user_id = $1", user["id"])
        await delete("users", "id = $1", user["id"])
    for token in data.get("partner_tokens") or []:
        await delete("partner_tokens", "token_hash = $1", token_digest(token["token"]))
    return counts
