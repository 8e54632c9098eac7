"""The sandbox's rate limit, like the vendor's: requests per second and per minute (behaviour 19.5).

Counts live in the database (`sandbox_rate_counts`), one row per key and minute, so every
server process over one database counts against the same limit. A request takes one from
the minute's count and its second's in one statement, or none: a refused request leaves
every count as it was. Windows follow real time, never the sandbox's clock, which may stand still.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

import orjson
from starlette.types import Scope

from altegio_server.api.envelopes import Reply
from altegio_server.api.errors import render_domain_error
from altegio_server.api.routing import parse_authorization
from altegio_server.clock import Clock
from altegio_server.db import Connection, Database
from altegio_server.errors import TooManyRequests
from altegio_server.sandbox import state as repo
from altegio_server.security import MAX_TOKEN_LENGTH, token_digest

KEYS = ("ip", "partner_token")
KEEP_SECONDS = 120  # rows of minutes that began longer ago than this are deleted
CLEAN_EVERY = 30  # seconds between one process's deletions of old rows


@dataclass(frozen=True)
class RateLimit:
    """The settings of `PUT /_sandbox/rate_limit`; the defaults are the vendor's documented limits."""

    enabled: bool = False
    per_second: int = 5
    per_minute: int = 200
    key: str = "ip"


OFF = RateLimit()


def settings_from(stored: dict[str, Any] | None) -> RateLimit:
    """The settings kept in `sandbox_state.rate_limit`; off when none are kept."""
    return OFF if stored is None else RateLimit(**stored)


def window_start(now: int, seconds: int) -> int:
    return now - now % seconds


def retry_after(now: int, seconds: int) -> int:
    """Whole seconds until the window holding `now` ends: 1 to `seconds`."""
    return window_start(now, seconds) + seconds - now


def client_key(scope: Scope, key: str) -> str:
    """Whom a request counts against: its client address, or its partner token's digest.

    A request without a partner token counts against its address under either setting.
    """
    if key == "partner_token":
        partner = _partner_token(scope)
        if partner:
            return "token:" + token_digest(partner)
    client = scope.get("client")
    return "ip:" + (client[0] if client else "unknown")


def _partner_token(scope: Scope) -> str | None:
    header = next((v for k, v in scope["headers"] if k == b"authorization"), None)
    if header is None:
        return None
    partner, _ = parse_authorization(header.decode("latin-1"))
    return partner if partner and len(partner) <= MAX_TOKEN_LENGTH else None


# One statement takes from the minute's count and its second's, or from neither: atomic by
# itself, it locks one row and needs no transaction around it on PostgreSQL.
_TAKE = ("INSERT INTO sandbox_rate_counts (key, window_start, count, second, second_count) "
         "VALUES ($1, $2, 1, $3, 1) ON CONFLICT (key, window_start) DO UPDATE SET "
         "count = sandbox_rate_counts.count + 1, "
         "second_count = CASE WHEN sandbox_rate_counts.second = excluded.second "
         "THEN sandbox_rate_counts.second_count + 1 ELSE 1 END, "
         "second = excluded.second "
         "WHERE sandbox_rate_counts.count < $4 "
         "AND (sandbox_rate_counts.second <> excluded.second OR sandbox_rate_counts.second_count < $5) "
         "RETURNING count")
_MINUTE = "SELECT count FROM sandbox_rate_counts WHERE key = $1 AND window_start = $2"


class RateLimiter:
    """One process's side of the shared limit; `clock` is real time (tests give a fixed one)."""

    def __init__(self, db: Database, clock: Clock | None = None) -> None:
        self.db = db
        self.clock = clock or Clock()
        self.cleaned_at = 0

    async def check(self, scope: Scope, stored: dict[str, Any] | None) -> Reply | None:
        """None if the request may run (its count taken); else the 429 to answer instead."""
        if stored is None or not stored.get("enabled"):
            return None
        settings = settings_from(stored)
        key = client_key(scope, settings.key)
        full = False
        async with self.db.transaction(write=not self.db.chained_writes) as conn:
            now = self.clock.timestamp()
            minute = window_start(now, 60)
            taken = await conn.fetchval(_TAKE, key, minute, now, settings.per_minute, settings.per_second)
            if taken is None:
                full = (await conn.fetchval(_MINUTE, key, minute) or 0) >= settings.per_minute
        if taken is None:
            reply = render_domain_error(TooManyRequests(retry_after(now, 60) if full else 1))
            return reply.without_body() if scope["method"] == "HEAD" else reply
        if now - self.cleaned_at >= CLEAN_EVERY:
            self.cleaned_at = now
            await self._clean(now)
        return None

    async def _clean(self, now: int) -> None:
        async with self.db.transaction(write=not self.db.chained_writes) as conn:
            await conn.execute("DELETE FROM sandbox_rate_counts WHERE window_start < $1", now - KEEP_SECONDS)


# The controls (each one transaction).

async def read_settings(db: Database) -> RateLimit:
    async with db.transaction() as conn:
        return settings_from((await repo.read(conn)).rate_limit)


async def set_settings(db: Database, settings: RateLimit | None) -> RateLimit:
    """Keep new settings (None: off); counting starts afresh."""
    async with db.transaction(write=True) as conn:
        stored = None if settings is None else orjson.dumps(asdict(settings)).decode()
        await repo.update(conn, rate_limit=stored)
        await _forget_counts(conn)
    return settings or OFF


async def _forget_counts(conn: Connection) -> None:
    await conn.execute("DELETE FROM sandbox_rate_counts")
