"""Who is calling, and may they do this at this location (behaviour 1.2).

A user token is either the user's main token (users.token_hash) or one issued by a password
login (user_tokens; see users/service.py). One query answers everything a request needs.
Every refusal carries its reason for the server log, in words that hold no token (behaviour 13.3).
"""

from __future__ import annotations

import os
import time
from functools import lru_cache
from dataclasses import dataclass

from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.errors import AccessDenied, NotFound, Unauthenticated
from altegio_server.security import token_digest
from altegio_server.users import repository as users

_AUTHORIZE = """
SELECT u.id AS user_id,
       (SELECT COUNT(*) FROM partner_tokens p WHERE p.token_hash = $1 AND p.revoked_at IS NULL) AS partners,
       (SELECT COUNT(*) FROM locations l WHERE l.id = $3) AS locations,
       ul.read_only AS read_only,
       ul.location_id AS granted
FROM users u
LEFT JOIN user_locations ul ON ul.user_id = u.id AND ul.location_id = $3
WHERE u.id = (SELECT id FROM users WHERE token_hash = $2
              UNION ALL
              SELECT user_id FROM user_tokens WHERE token_hash = $2
              LIMIT 1)
"""

_PARTNER = "SELECT id FROM partner_tokens WHERE token_hash = $1 AND revoked_at IS NULL"


@dataclass(frozen=True)
class Principal:
    user_id: int
    location_id: int
    read_only: bool


class RecentGrants:
    """Access granted in the last moment, so that a burst of requests with the same tokens
    asks the database once rather than on every request.

    Only grants are kept, never refusals, and only for `ttl` seconds (monotonic time, not
    the domain clock): a token revoked or a password changed in another process stops
    working within that time; in this process at once, as the changing services call
    `forget_grants()`. ALTEGIO_AUTH_CACHE_SECONDS=0 turns it off.
    """

    def __init__(self, ttl: float, max_entries: int = 4096) -> None:
        self.ttl, self.max_entries = ttl, max_entries
        self._grants: dict[tuple[str, str, int], tuple[float, Principal]] = {}

    def get(self, key: tuple[str, str, int]) -> Principal | None:
        hit = self._grants.get(key)
        if hit is None:
            return None
        if hit[0] < time.monotonic():
            self._grants.pop(key, None)
            return None
        return hit[1]

    def put(self, key: tuple[str, str, int], principal: Principal) -> None:
        if self.ttl <= 0:
            return
        if len(self._grants) >= self.max_entries:
            self._grants.clear()
        self._grants[key] = (time.monotonic() + self.ttl, principal)

    def clear(self) -> None:
        self._grants.clear()


# A client sends the same tokens on every request: their digests are kept for the next one
# (in this process's memory only, as the request itself is).
_digest = lru_cache(maxsize=1024)(token_digest)

GRANTS = RecentGrants(float(os.environ.get("ALTEGIO_AUTH_CACHE_SECONDS", "1")))


def forget_grants() -> None:
    """Call after changing tokens, passwords or access: this process's cache forgets them."""
    GRANTS.clear()


async def authorize(deps: Deps, partner_token: str | None, user_token: str | None, location_id: int,
                    write: bool) -> Principal:
    """The caller's rights at a location; 401 for bad tokens, 404 for no such location, 403 for no rights."""
    if not partner_token or not user_token:
        raise Unauthenticated(reason="no partner token" if not partner_token else "no user token")
    key = (_digest(partner_token), _digest(user_token), location_id)
    principal = GRANTS.get(key)
    if principal is None:
        async with deps.db.transaction() as conn:
            row = await conn.fetchrow(_AUTHORIZE, *key)
            # An unknown user token: is the partner token unknown too? Asked on refusals only, for the log.
            partner_known = row is not None or await conn.fetchrow(_PARTNER, key[0]) is not None
        if row is None:
            raise Unauthenticated(reason="unknown user token" if partner_known
                                  else "unknown or revoked partner token, and unknown user token")
        if not row["partners"]:
            raise Unauthenticated(
                reason=f"unknown or revoked partner token (the user token is user {row['user_id']}'s)")
        if not row["locations"]:
            raise NotFound()
        if row["granted"] is None:
            raise AccessDenied(reason=f"user {row['user_id']} has no access to location {location_id}")
        principal = Principal(row["user_id"], location_id, bool(row["read_only"]))
        GRANTS.put(key, principal)
    if write and principal.read_only:
        raise AccessDenied(reason=f"user {principal.user_id} has read-only access to location {location_id}")
    return principal


async def require_write_access(conn: Connection, user_id: int, location_ids: set[int]) -> None:
    """403 unless the user may write at every one of the locations: for objects shared between
    locations (behaviour 10.1). Call it inside the change's own transaction, after reading what
    the change touches, so that neither the object nor the grants can change in between."""
    if set(location_ids) - await users.writable_among(conn, user_id, sorted(location_ids)):
        raise AccessDenied()


async def check_partner(deps: Deps, partner_token: str | None) -> None:
    """For operations that take the partner token alone (v1 /auth)."""
    if not partner_token:
        raise Unauthenticated(reason="no partner token")
    async with deps.db.transaction() as conn:
        if await conn.fetchrow(_PARTNER, token_digest(partner_token)) is None:
            raise Unauthenticated(reason="unknown or revoked partner token")
