"""SQL for searching a location's live clients (behaviour 16.6)."""

from __future__ import annotations

from typing import Any

from altegio_server.clients.models import ORDER_COLUMNS, ClientQuery
from altegio_server.clients.repository import DETAILS
from altegio_server.db import Connection
from altegio_server.db.base import Row
from altegio_server.events.rules import like_pattern
from altegio_server.phones import phone_key

_FULL_NAMES = ("c.name || ' ' || c.surname || ' ' || c.patronymic",
               "c.surname || ' ' || c.name || ' ' || c.patronymic")


class _Where:
    """Conditions and their arguments, numbered after the location's `$1`."""

    def __init__(self) -> None:
        self.conditions: list[str] = []
        self.args: list[Any] = []

    def arg(self, value: Any) -> str:
        self.args.append(value)
        return f"${len(self.args) + 1}"

    def contains(self, expressions: tuple[str, ...], text: str) -> str:
        """Any of the expressions holds the text, whatever its case (as the database lowers letters)."""
        mark = self.arg(like_pattern(text.lower()))
        return " OR ".join(f"lower({e}) LIKE {mark} ESCAPE '\\'" for e in expressions)

    def add(self, condition: str) -> None:
        self.conditions.append(f"({condition})")


def _phone_part(where: _Where, text: str) -> str:
    """The stored phone holds these digits; a text without digits matches no phone."""
    key = phone_key(text)
    return where.contains(("c.phone",), key) if key.isdigit() and key.isascii() else "1 = 0"


def _conditions(query: ClientQuery, changed: tuple[int | None, int | None]) -> _Where:
    where = _Where()
    if query.nothing:
        where.add("1 = 0")
    if query.ids is not None:
        where.add(f"c.id IN ({', '.join(where.arg(i) for i in query.ids)})" if query.ids else "1 = 0")
    if query.text is not None:
        where.add(" OR ".join((where.contains((*_FULL_NAMES, "c.email"), query.text), _phone_part(where, query.text))))
    if query.fullname is not None:
        where.add(where.contains(_FULL_NAMES, query.fullname))
    if query.phone is not None:
        where.add(_phone_part(where, query.phone))
    if query.email is not None:
        where.add(where.contains(("c.email",), query.email))
    if query.genders is not None:
        where.add(f"c.gender IN ({', '.join(where.arg(g) for g in query.genders)})" if query.genders else "1 = 0")
    if query.born_from is not None:
        where.add(f"c.birthday >= {where.arg(query.born_from)}")
    if query.born_to is not None:
        where.add(f"c.birthday <= {where.arg(query.born_to)}")
    if changed[0] is not None:
        where.add(f"c.updated_at >= {where.arg(changed[0])}")
    if changed[1] is not None:
        where.add(f"c.updated_at <= {where.arg(changed[1])}")
    return where


async def search(conn: Connection, location_id: int, query: ClientQuery,
                 changed: tuple[int | None, int | None] = (None, None)) -> tuple[list[Row], int]:
    """A page of the location's live clients matching the query, as `repository.details` gives
    them, and the number of all matches. `changed` bounds the last change, in Unix seconds."""
    where = _conditions(query, changed)
    sql = "c.location_id = $1 AND c.deleted = FALSE"
    if where.conditions:
        sql += " AND (" + (" OR " if query.any_of else " AND ").join(where.conditions) + ")"
    total = await conn.fetchval(f"SELECT count(*) FROM clients c WHERE {sql}", location_id, *where.args)
    if query.order_by not in ORDER_COLUMNS:  # a column name goes into the SQL: only these
        raise ValueError(f"cannot order clients by {query.order_by!r}")
    direction = "DESC" if query.descending else "ASC"
    order = f"c.{query.order_by} {direction}, " if query.order_by != "id" else ""
    n = len(where.args)
    rows = await conn.fetch(
        f"{DETAILS} WHERE {sql} ORDER BY {order}c.id {direction} LIMIT ${n + 2} OFFSET ${n + 3}",
        location_id, *where.args, query.limit, query.offset)
    return rows, total
