"""Clients of a location: reading one, and who an appointment is for (a client or a walk-in visitor).

The booking helpers run inside the booking's own transaction (the caller's connection), so that a booking
that fails leaves no client created or changed. A booking by phone alone writes its client
with the booking's other writes instead (`records.repository.book_by_phone`), with the
same upsert.
"""

from __future__ import annotations

from typing import Any

from altegio_server.clients import repository as repo
from altegio_server.clients.models import ClientDetails
from altegio_server.clients.rules import PHONE_TAKEN
from altegio_server.db import Connection, IntegrityError
from altegio_server.deps import Deps
from altegio_server.errors import NotFound, ValidationFailed


async def get_client(deps: Deps, location_id: int, client_id: int) -> dict[str, Any]:
    """A client of the location, as the v1 client object shows them; 404 otherwise."""
    async with deps.db.transaction() as conn:
        client = await repo.details(conn, location_id, client_id)
    if client is None:
        raise NotFound()
    return client


def _phone_taken() -> ValidationFailed:
    return ValidationFailed(PHONE_TAKEN, {"client.phone": [PHONE_TAKEN]})


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


async def _update_known(conn: Connection, location_id: int, client_id: int, given: ClientDetails, now: int) -> int:
    client = await repo.get(conn, location_id, client_id)
    if client is None:
        raise NotFound()
    if given.phone != client["phone"]:
        holder = await repo.id_by_phone(conn, location_id, given.phone)
        if holder is not None and holder != client_id:
            raise _phone_taken()
    await repo.update(conn, client_id, given, now)
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
