"""SQL for clients and walk-in visitors (comers) of a location."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from altegio_server.db import Connection

# Request field -> column, for the fields a booking may change on a stored client.
COLUMNS = {
    "name": "name", "surname": "surname", "patronymic": "patronymic", "phone": "phone", "email": "email",
    "gender": "gender", "birthday": "birthday", "custom_field_values": "custom_fields", "agreements": "agreements",
}
_JSON = ("custom_field_values", "agreements")
# The unique index that gives each phone one client per location.
PHONE_PER_LOCATION = "clients_phone_per_location"


def _values(fields: dict[str, Any]) -> dict[str, Any]:
    """Column values for the request fields given (JSON columns serialised, null text as empty)."""
    out = {}
    for name, column in COLUMNS.items():
        if name not in fields:
            continue
        value = fields[name]
        if name in _JSON:
            value = json.dumps(value or [])
        elif value is None and name != "birthday":
            value = ""
        out[column] = value
    return out


async def get(conn: Connection, location_id: int, client_id: int) -> dict[str, Any] | None:
    return await conn.fetchrow(
        "SELECT id, phone FROM clients WHERE id = $1 AND location_id = $2", client_id, location_id
    )


async def id_by_phone(conn: Connection, location_id: int, phone: str) -> int | None:
    return await conn.fetchval(
        # `phone <> ''` repeats the unique index's condition, so both databases may use it.
        "SELECT id FROM clients WHERE location_id = $1 AND phone = $2 AND phone <> ''", location_id, phone
    )


def upsert_by_phone_sql(location_id: int, fields: dict[str, Any], now: int, first: int = 1,
                        gate: str = "") -> tuple[str, list[Any]]:
    """The statement behind `upsert_by_phone` and its arguments, numbered from `$first`.

    With `gate`, the name of a query in the same statement, the client is written only if
    that query gives a row: a booking upserts its client only once its seats are reserved.
    """
    values = _values(fields)
    return _upsert_sql(tuple(values), first, gate), [location_id, *values.values(), now, now]


@lru_cache(maxsize=256)
def _upsert_sql(columns: tuple[str, ...], first: int, gate: str) -> str:
    # Built once per set of columns: bookings send the same fields again and again.
    cols = ["location_id", *columns, "created_at", "updated_at"]
    marks = ", ".join(f"${first + i}" for i in range(len(cols)))
    rows = f"SELECT {marks} FROM {gate}" if gate else f"VALUES ({marks})"
    sets = ", ".join(f"{column} = excluded.{column}" for column in [*columns, "updated_at"])
    return (f"INSERT INTO clients ({', '.join(cols)}) {rows} "
            f"ON CONFLICT (location_id, phone) WHERE phone <> '' DO UPDATE SET {sets} RETURNING id")


async def upsert_by_phone(conn: Connection, location_id: int, fields: dict[str, Any], now: int) -> int:
    """The id of the location's client with this phone, created or updated with the given fields,
    in one statement: two requests for one new phone end with one client."""
    sql, args = upsert_by_phone_sql(location_id, fields, now)
    return await conn.fetchval(sql, *args)


async def update(conn: Connection, client_id: int, fields: dict[str, Any], now: int) -> None:
    """Overwrite the given fields; the others stay."""
    values = _values(fields)
    sets = ", ".join(f"{column} = ${i + 2}" for i, column in enumerate(values))
    await conn.execute(
        f"UPDATE clients SET {sets}, updated_at = ${len(values) + 2} WHERE id = $1",
        client_id, *values.values(), now,
    )


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
