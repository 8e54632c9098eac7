"""Clients of a location: reading, searching, creating, changing and deleting them (behaviour
16.4-16.7), and who an appointment is for (a client or a walk-in visitor).

The booking helpers run inside the booking's own transaction (the caller's connection), so that a booking
that fails leaves no client created or changed. A booking by phone alone writes its client
with the booking's other writes instead (`records.repository.book_by_phone`), with the
same upsert.
"""

from __future__ import annotations

from typing import Any

from altegio_server.clients import repository as repo
from altegio_server.clients import search_repository
from altegio_server.clients.models import ClientDetails, ClientQuery
from altegio_server.clients.rules import PHONE_OF_DELETED, PHONE_TAKEN
from altegio_server.db import Connection, IntegrityError
from altegio_server.db.base import Row
from altegio_server.deps import Deps
from altegio_server.errors import NotFound, ValidationFailed
from altegio_server.locations import repository as locations
from altegio_server.records.rules import instant
from altegio_server.webhooks import outbox


async def get_client(deps: Deps, location_id: int, client_id: int) -> dict[str, Any]:
    """A live client of the location, as the v1 client object shows them; 404 otherwise."""
    async with deps.db.transaction() as conn:
        client = await repo.details(conn, location_id, client_id)
    if client is None:
        raise NotFound()
    return client


async def search_clients(deps: Deps, location_id: int, query: ClientQuery) -> tuple[list[Row], int]:
    """A page of the location's live clients matching the query, and the number of all matches."""
    async with deps.db.transaction() as conn:
        location = await locations.get(conn, location_id)
        if location is None:
            raise NotFound()
        tz = location["timezone"]
        changed = (instant(query.changed_after, tz), instant(query.changed_before, tz))
        return await search_repository.search(conn, location_id, query, changed)


async def create_client(deps: Deps, location_id: int, given: ClientDetails) -> dict[str, Any]:
    """A new client of the location, or a deleted one with that phone brought back (behaviour
    16.7); 422 if a live client has the phone."""
    async with deps.db.transaction(write=True) as conn:
        client_id = await repo.insert_or_revive(conn, location_id, given, deps.clock.timestamp())
        if client_id is None:
            raise _phone_taken("phone")
        await outbox.client_changed(conn, location_id, client_id, "create")  # a revived one too (behaviour 20.2)
        return await _details(conn, location_id, client_id)


async def update_client(deps: Deps, location_id: int, client_id: int, given: ClientDetails) -> dict[str, Any]:
    """Overwrite a live client's fields with the given ones; 404 for none, 422 for a phone
    another client of the location has."""
    async with deps.db.transaction(write=True) as conn:
        try:
            await _update_known(conn, location_id, client_id, given, deps.clock.timestamp(), "phone")
        except IntegrityError as exc:
            if exc.constraint == repo.PHONE_PER_LOCATION:
                raise _phone_taken("phone") from None
            raise
        await outbox.client_changed(conn, location_id, client_id, "update")
        return await _details(conn, location_id, client_id)


async def delete_client(deps: Deps, location_id: int, client_id: int) -> None:
    """Mark a live client of the location deleted, keeping their appointments (behaviour 16.7)."""
    async with deps.db.transaction(write=True) as conn:
        if not await repo.delete(conn, location_id, client_id, deps.clock.timestamp()):
            raise NotFound()
        await outbox.client_changed(conn, location_id, client_id, "delete")


async def get_client_as_notified(deps: Deps, location_id: int, client_id: int) -> dict[str, Any] | None:
    """A client of the location for a webhook's `data`, deleted ones too (behaviour 20.2); None if gone."""
    async with deps.db.transaction() as conn:
        return await repo.details(conn, location_id, client_id, deleted_too=True)


async def _details(conn: Connection, location_id: int, client_id: int) -> dict[str, Any]:
    client = await repo.details(conn, location_id, client_id)
    assert client is not None  # written in this transaction
    return client


def _phone_taken(field: str = "client.phone", message: str = PHONE_TAKEN) -> ValidationFailed:
    return ValidationFailed(message, {field: [message]})


async def client_for_booking(conn: Connection, location_id: int, given: ClientDetails, now: int) -> int:
    """The client's id: by `id` (404 if unknown here), else by phone, else a new client.

    The given fields overwrite the stored ones.
    """
    try:
        if given.id is not None:
            return await _update_known(conn, location_id, given.id, given, now)
        return await repo.upsert_by_phone(conn, location_id, given, now)
    except IntegrityError as exc:
        if exc.constraint == repo.PHONE_PER_LOCATION:
            raise _phone_taken() from None
        raise


async def _update_known(conn: Connection, location_id: int, client_id: int, given: ClientDetails, now: int,
                        phone_field: str = "client.phone") -> int:
    client = await repo.get(conn, location_id, client_id)
    if client is None:
        raise NotFound()
    if given.phone != client["phone"]:
        holder = await repo.holder_of_phone(conn, location_id, given.phone)
        if holder is not None and holder["id"] != client_id:
            raise _phone_taken(phone_field, PHONE_OF_DELETED if holder["deleted"] else PHONE_TAKEN)
    if not await repo.update(conn, client_id, given, now):
        raise NotFound()  # deleted meanwhile
    return client_id


async def comer_for_booking(conn: Connection, location_id: int, comer_id: int | None, name: str | None) -> int:
    """The walk-in visitor's id: `comer_id` (404 if unknown here), renamed if a name is
    given, or a new visitor of that name."""
    if comer_id is None:
        return await repo.insert_comer(conn, location_id, name or "")
    if await repo.get_comer(conn, location_id, comer_id) is None:
        raise NotFound()
    if name is not None:
        await repo.rename_comer(conn, comer_id, name)
    return comer_id
