"""SQL for webhooks (behaviour 20): settings, the outbox and the delivery log."""

from __future__ import annotations

import json
from typing import Any

from altegio_server.db import Connection

Row = dict[str, Any]

# The outbox row for a change, written only if the location's hooks are on for the resource:
# one statement, whose lookups are by primary key. Arguments: location, resource, id, status, now.
ENABLED = ("SELECT 1 FROM webhook_settings s JOIN webhook_flags f ON f.location_id = s.location_id "
           "AND f.flag = {resource} WHERE s.location_id = {location} AND s.active = TRUE")
_RECORD_ENABLED = ENABLED.format(resource="'record'", location="$1")
_CLIENT_ENABLED = ENABLED.format(resource="'client'", location="$1")
_ENQUEUE = ("INSERT INTO webhook_outbox (location_id, resource, resource_id, status, created_at) "
            "SELECT $1, $2, $3, $4, $5 WHERE EXISTS (" + ENABLED.format(resource="$2", location="$1") + ")")


async def settings(conn: Connection, location_id: int) -> Row | None:
    """The location's settings with `flags` (a set), or None if it never had any."""
    row = await conn.fetchrow("SELECT urls, active, signing_secret FROM webhook_settings WHERE location_id = $1",
                              location_id)
    if row is None:
        return None
    flags = await conn.fetch("SELECT flag FROM webhook_flags WHERE location_id = $1", location_id)
    return {**row, "urls": json.loads(row["urls"]), "flags": {f["flag"] for f in flags}}


async def replace_settings(conn: Connection, location_id: int, urls: list[str], active: bool, flags: list[str],
                           secret: str | None, now: int) -> None:
    """Make the location's settings exactly these."""
    await conn.execute("DELETE FROM webhook_flags WHERE location_id = $1", location_id)
    await conn.execute("DELETE FROM webhook_settings WHERE location_id = $1", location_id)
    await conn.execute("INSERT INTO webhook_settings (location_id, urls, active, signing_secret, updated_at) "
                       "VALUES ($1, $2, $3, $4, $5)", location_id, json.dumps(urls), active, secret, now)
    if flags:
        await conn.executemany("INSERT INTO webhook_flags (location_id, flag) VALUES ($1, $2)",
                               [(location_id, f) for f in flags])


async def enqueue(conn: Connection, location_id: int, resource: str, resource_id: int, status: str,
                  now: float) -> None:
    await conn.execute(_ENQUEUE, location_id, resource, resource_id, status, now)


async def client_status(conn: Connection, location_id: int, client_id: int | None, phone: str) -> str | None:
    """"update" if the client (by id, else by phone) exists, else "create"; None while client hooks are off."""
    found = await conn.fetchrow(
        f"SELECT EXISTS ({_CLIENT_ENABLED}) AS wanted, EXISTS (SELECT 1 FROM clients WHERE location_id = $1 "
        "AND (id = $2 OR ($2 IS NULL AND phone = $3 AND phone <> ''))) AS known", location_id, client_id, phone)
    assert found is not None
    if not found["wanted"]:
        return None
    return "update" if found["known"] else "create"


async def enqueue_event_appointments(conn: Connection, location_id: int, event_id: int, status: str,
                                     now: float) -> None:
    """One outbox row per active appointment of the event (run before they change)."""
    await conn.execute(
        "INSERT INTO webhook_outbox (location_id, resource, resource_id, status, created_at) "
        "SELECT $1, 'record', id, $3, $4 FROM records WHERE event_id = $2 AND deleted = FALSE "
        f"AND EXISTS ({_RECORD_ENABLED}) ORDER BY id",
        location_id, event_id, status, now)


async def any_due(conn: Connection, due_before: float, now: float) -> bool:
    """Whether any notification may be claimed: a cheap read before a write transaction."""
    found = await conn.fetchval("SELECT id FROM webhook_outbox WHERE created_at <= $1 AND claimed_until < $2 "
                                "LIMIT 1", due_before, now)
    return found is not None


async def claim(conn: Connection, due_before: float, now: float, lease_until: float, limit: int) -> list[Row]:
    """Take up to `limit` due notifications that no earlier one of the same resource precedes,
    oldest first, for `lease_until`; rows another process holds are skipped."""
    skip = f"{conn.for_update} SKIP LOCKED" if conn.for_update else ""  # SQLite: one writer at a time
    rows = await conn.fetch(
        "SELECT o.id, o.location_id, o.resource, o.resource_id, o.status FROM webhook_outbox o "
        "WHERE o.created_at <= $1 AND o.claimed_until < $2 AND NOT EXISTS (SELECT 1 FROM webhook_outbox e "
        "WHERE e.location_id = o.location_id AND e.resource = o.resource AND e.resource_id = o.resource_id "
        f"AND e.id < o.id) ORDER BY o.id LIMIT $3{skip}", due_before, now, limit)
    if rows:
        marks = ", ".join(f"${i + 2}" for i in range(len(rows)))
        await conn.execute(f"UPDATE webhook_outbox SET claimed_until = $1 WHERE id IN ({marks})",
                           lease_until, *(row["id"] for row in rows))
    return rows


async def finish(conn: Connection, outbox_id: int, deliveries: list[Row], keep: int) -> None:
    """Remove a sent notification, log its deliveries, and keep only the newest `keep` of the log."""
    await conn.execute("DELETE FROM webhook_outbox WHERE id = $1", outbox_id)
    await log_deliveries(conn, deliveries, keep)


async def log_deliveries(conn: Connection, deliveries: list[Row], keep: int) -> None:
    for d in deliveries:
        await conn.execute(
            "INSERT INTO webhook_deliveries (delivery_id, location_id, resource, resource_id, event_status, url, "
            "body, outcome, http_status, attempts, latency_ms, error, sent_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            d["delivery_id"], d["location_id"], d["resource"], d["resource_id"], d["event_status"], d["url"],
            d["body"], d["outcome"], d["http_status"], d["attempts"], d["latency_ms"], d["error"], d["sent_at"])
    if deliveries:
        await conn.execute("DELETE FROM webhook_deliveries WHERE id <= (SELECT MAX(id) FROM webhook_deliveries) - $1",
                           keep)


async def drop_stale(conn: Connection, older_than: float) -> int:
    """Forget notifications queued before `older_than` (behaviour 20.4's retention)."""
    return await conn.execute("DELETE FROM webhook_outbox WHERE created_at < $1", older_than)


DELIVERY_COLUMNS = ("id", "delivery_id", "location_id", "resource", "resource_id", "event_status", "url", "body",
                    "outcome", "http_status", "attempts", "latency_ms", "error", "sent_at")


async def deliveries(conn: Connection, filters: Row, limit: int) -> list[Row]:
    """The newest logged deliveries first, filtered by location_id, resource and outcome (None: any)."""
    clauses, args = ["1 = 1"], []
    for column in ("location_id", "resource", "outcome"):
        if filters.get(column) is not None:
            args.append(filters[column])
            clauses.append(f"{column} = ${len(args)}")
    return await conn.fetch(f"SELECT {', '.join(DELIVERY_COLUMNS)} FROM webhook_deliveries "
                            f"WHERE {' AND '.join(clauses)} ORDER BY id DESC LIMIT ${len(args) + 1}", *args, limit)


async def delivery(conn: Connection, delivery_row_id: int) -> Row | None:
    return await conn.fetchrow(f"SELECT {', '.join(DELIVERY_COLUMNS)} FROM webhook_deliveries WHERE id = $1",
                               delivery_row_id)


async def delivery_by_uid(conn: Connection, delivery_id: str) -> Row:
    return await conn.fetchrow(  # type: ignore[return-value]  # just written
        f"SELECT {', '.join(DELIVERY_COLUMNS)} FROM webhook_deliveries WHERE delivery_id = $1", delivery_id)
