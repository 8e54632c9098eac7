"""SQL for the request journal's table, shared by every server process (behaviour 19.4)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from altegio_server.db import Connection
from altegio_server.db.base import Row
from altegio_server.events.rules import like_pattern

COLUMNS = ("at", "method", "path", "query", "location_id", "status", "duration_us", "partner_token_id", "user_id",
           "user_token_id", "request_body", "request_bytes", "request_cut", "response_body", "response_bytes",
           "response_cut")
_INSERT = (f"INSERT INTO sandbox_requests ({', '.join(COLUMNS)}) "
           f"VALUES ({', '.join(f'${i + 1}' for i in range(len(COLUMNS)))})")
_SELECT = f"SELECT id, {', '.join(COLUMNS)} FROM sandbox_requests"


@dataclass(frozen=True)
class Filters:
    """What `GET /_sandbox/requests` may ask for; None is any."""

    method: str | None = None
    path: str | None = None  # a part of the path, any case
    status: int | None = None
    location_id: int | None = None
    since: int | None = None  # Unix seconds of the sandbox's clock

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause (or "") and its arguments; column names come from here, never from a request."""
        terms: list[str] = []
        args: list[Any] = []
        for column, value in (("method", self.method), ("status", self.status), ("location_id", self.location_id)):
            if value is not None:
                args.append(value)
                terms.append(f"{column} = ${len(args)}")
        if self.since is not None:
            args.append(self.since)
            terms.append(f"at >= ${len(args)}")
        if self.path is not None:
            args.append(like_pattern(self.path.lower()))
            terms.append(f"lower(path) LIKE ${len(args)} ESCAPE '\\'")
        return (" WHERE " + " AND ".join(terms) if terms else ""), args


async def insert(conn: Connection, entries: list[tuple[Any, ...]]) -> None:
    await conn.executemany(_INSERT, entries)


async def trim(conn: Connection, keep: int) -> None:
    """Drop all but the `keep` newest entries.

    Ids are the table's, handed out in order, so whatever lies `keep` or more below the
    largest is older than the newest `keep`; gaps (rolled-back ids) only leave fewer."""
    await conn.execute("DELETE FROM sandbox_requests WHERE id <= (SELECT MAX(id) FROM sandbox_requests) - $1", keep)


async def page(conn: Connection, filters: Filters, limit: int, offset: int) -> tuple[int, list[Row]]:
    """How many entries match, and the page of them, newest first."""
    where, args = filters.where()
    total = await conn.fetchval(f"SELECT COUNT(*) FROM sandbox_requests{where}", *args)
    n = len(args)
    rows = await conn.fetch(f"{_SELECT}{where} ORDER BY id DESC LIMIT ${n + 1} OFFSET ${n + 2}",
                            *args, limit, offset)
    return int(total), rows


async def one(conn: Connection, entry_id: int) -> Row | None:
    return await conn.fetchrow(f"{_SELECT} WHERE id = $1", entry_id)


async def count(conn: Connection) -> int:
    return int(await conn.fetchval("SELECT COUNT(*) FROM sandbox_requests"))


async def clear(conn: Connection) -> None:
    await conn.execute("DELETE FROM sandbox_requests")
