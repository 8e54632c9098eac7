"""SQL for clients and walk-in visitors (comers) of a location."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from altegio_server.clients.models import ClientDetails
from altegio_server.commands import KEEP
from altegio_server.db import Connection

# The columns a booking may write on a client, named as ClientDetails names them; with
# whether they hold JSON.
_COLUMNS = (("name", False), ("surname", False), ("patronymic", False), ("phone", False), ("email", False),
            ("gender", False), ("birthday", False), ("custom_fields", True), ("agreements", True))
# The unique index that gives each phone one client per location.
PHONE_PER_LOCATION = "clients_phone_per_location"


def _values(client: ClientDetails) -> dict[str, Any]:
    """Column values of the fields the client details give (JSON columns serialised)."""
    out = {}
    for column, is_json in _COLUMNS:
        value = getattr(client, column)
        if value is not KEEP:
            out[column] = json.dumps(value) if is_json else value
    return out


async def get(conn: Connection, location_id: int, client_id: int) -> dict[str, Any] | None:
    """A live (not deleted) client of the location."""
    return await conn.fetchrow(
        "SELECT id, phone FROM clients WHERE id = $1 AND location_id = $2 AND deleted = FALSE", client_id, location_id
    )


# Everything the v1 client object shows of a client, with the location's zone.
DETAILS = ("SELECT c.id, c.name, c.surname, c.patronymic, c.phone, c.email, c.gender, c.birthday, c.custom_fields, "
           "c.updated_at, l.timezone FROM clients c JOIN locations l ON l.id = c.location_id")


async def details(conn: Connection, location_id: int, client_id: int,
                  deleted_too: bool = False) -> dict[str, Any] | None:
    """The v1 view of a live client of the location (or a deleted one, `deleted_too`)."""
    live = "" if deleted_too else " AND c.deleted = FALSE"
    return await conn.fetchrow(f"{DETAILS} WHERE c.id = $1 AND c.location_id = $2{live}", client_id, location_id)


async def holder_of_phone(conn: Connection, location_id: int, phone: str) -> dict[str, Any] | None:
    """The client of the location with this stored phone, deleted or not: `id` and `deleted`."""
    return await conn.fetchrow(
        # `phone <> ''` repeats the unique index's condition, so both databases may use it.
        "SELECT id, deleted FROM clients WHERE location_id = $1 AND phone = $2 AND phone <> ''", location_id, phone
    )


def upsert_by_phone_sql(location_id: int, client: ClientDetails, now: int, first: int = 1,
                        gate: str = "") -> tuple[str, list[Any]]:
    """The statement behind `upsert_by_phone` and its arguments, numbered from `$first`.

    With `gate`, the name of a query in the same statement, the client is written only if
    that query gives a row: a booking upserts its client only once its seats are reserved.
    """
    values = _values(client)
    return _upsert_sql(tuple(values), first, gate), [location_id, *values.values(), now, now]


@lru_cache(maxsize=256)
def _upsert_sql(columns: tuple[str, ...], first: int, gate: str, deleted_only: bool = False) -> str:
    # Built once per set of columns: bookings send the same fields again and again.
    cols = ["location_id", *columns, "created_at", "updated_at"]
    marks = ", ".join(f"${first + i}" for i in range(len(cols)))
    rows = f"SELECT {marks} FROM {gate}" if gate else f"VALUES ({marks})"
    # A deleted client with the phone comes back (behaviour 16.7).
    sets = ", ".join(f"{column} = excluded.{column}" for column in [*columns, "updated_at"])
    # With `deleted_only`, a live client with the phone is left alone and no id comes back.
    only = " WHERE clients.deleted" if deleted_only else ""
    return (f"INSERT INTO clients ({', '.join(cols)}) {rows} "
            f"ON CONFLICT (location_id, phone) WHERE phone <> '' DO UPDATE SET {sets}, deleted = FALSE{only} "
            "RETURNING id")


async def upsert_by_phone(conn: Connection, location_id: int, client: ClientDetails, now: int) -> int:
    """The id of the location's client with this phone, created or updated with the given fields,
    in one statement: two requests for one new phone end with one client."""
    sql, args = upsert_by_phone_sql(location_id, client, now)
    return await conn.fetchval(sql, *args)


async def insert_or_revive(conn: Connection, location_id: int, client: ClientDetails, now: int) -> int | None:
    """A new client with these fields, in one statement; if a deleted client of the location has
    the phone, that client comes back with these fields instead (behaviour 16.7). None if a live
    client has the phone: of two requests for one new phone, one creates and one gets None."""
    values = _values(client)
    return await conn.fetchval(_upsert_sql(tuple(values), 1, "", deleted_only=True),
                               location_id, *values.values(), now, now)


async def update(conn: Connection, client_id: int, client: ClientDetails, now: int) -> bool:
    """Overwrite the given fields of a live client; the others stay. False if it is deleted."""
    values = _values(client)
    sets = ", ".join(f"{column} = ${i + 2}" for i, column in enumerate(values))
    changed = await conn.fetchval(
        f"UPDATE clients SET {sets}, updated_at = ${len(values) + 2} WHERE id = $1 AND deleted = FALSE RETURNING id",
        client_id, *values.values(), now,
    )
    return changed is not None


async def delete(conn: Connection, location_id: int, client_id: int, now: int) -> bool:
    """Mark a live client of the location deleted (behaviour 16.7); False if there is none."""
    deleted = await conn.fetchval(
        "UPDATE clients SET deleted = TRUE, updated_at = $3 WHERE id = $1 AND location_id = $2 AND deleted = FALSE "
        "RETURNING id", client_id, location_id, now,
    )
    return deleted is not None


async def get_comer(conn: Connection, location_id: int, comer_id: int) -> dict[str, Any] | None:
    return await conn.fetchrow(
        "SELECT id, name FROM comers WHERE id = $1 AND location_id = $2", comer_id, location_id
    )


async def insert_comer(conn: Connection, location_id: int, name: str) -> int:
    return await conn.fetchval(
        "INSERT INTO comers (location_id, name) VALUES ($1, $2) RETURNING id", location_id, name
    )


async def rename_comer(conn: Connection, comer_id: int, name: str) -> None:
    await conn.execute("UPDATE comers SET name = $2 WHERE id = $1", comer_id, name)
