"""The calls a service makes inside its transaction to announce a change (behaviour 20.3).

Each writes an outbox row only when the location's hooks are active with the resource's flag
on, in the caller's transaction: a change that rolls back announces nothing. The body is
rendered when the dispatcher sends it (behaviour 20.3).
"""

from __future__ import annotations

from altegio_server.clients.models import ClientDetails
from altegio_server.clock import wall_time
from altegio_server.db import Connection
from altegio_server.webhooks import repository as repo


async def record_changed(conn: Connection, location_id: int, record_id: int, status: str) -> None:
    """An appointment was created, updated (moved too) or cancelled ("delete")."""
    await repo.enqueue(conn, location_id, "record", record_id, status, wall_time())


async def client_changed(conn: Connection, location_id: int, client_id: int, status: str | None) -> None:
    """A client was created or updated; nothing if `status` is None (see `client_status_before`)."""
    if status is not None:
        await repo.enqueue(conn, location_id, "client", client_id, status, wall_time())


async def client_status_before(conn: Connection, location_id: int, client: ClientDetails) -> str | None:
    """Before a booking writes its client: "update" for a client who exists, else "create";
    None while the location's client hooks are off. One query."""
    return await repo.client_status(conn, location_id, client.id, client.phone)


async def activity_changed(conn: Connection, location_id: int, event_id: int, status: str) -> None:
    """An event changed: announced only under the extension flag `activity` (behaviour 20.2)."""
    await repo.enqueue(conn, location_id, "activity", event_id, status, wall_time())


async def event_appointments_cancelled(conn: Connection, location_id: int, event_id: int) -> None:
    """The event is being deleted: each of its active appointments is cancelled with it."""
    await repo.enqueue_event_appointments(conn, location_id, event_id, "delete", wall_time())


def booking_statement_parts(location: str, client: str, record: str, now: str) -> str:
    """A WITH part announcing the client that the part `client` wrote, then the appointment that
    the part `record` inserted, for the one-statement booking; `location` and `now` are its
    parameters. The statement's snapshot predates its writes: a client it finds was there before."""
    record_on = repo.ENABLED.format(resource="'record'", location=location)
    client_on = repo.ENABLED.format(resource="'client'", location=location)
    status = f"CASE WHEN EXISTS (SELECT 1 FROM clients old WHERE old.id = {client}.id) THEN 'update' ELSE 'create' END"
    return (f"hook AS (INSERT INTO webhook_outbox (location_id, resource, resource_id, status, created_at) "
            f"SELECT {location}, resource, resource_id, status, {now} FROM ("
            f"SELECT 1 AS n, 'client' AS resource, {client}.id AS resource_id, {status} AS status FROM {client}, "
            f"{record} WHERE EXISTS ({client_on}) UNION ALL "
            f"SELECT 2, 'record', id, 'create' FROM {record} WHERE EXISTS ({record_on})) changed ORDER BY n)")
