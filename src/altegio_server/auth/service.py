"""Who is calling, and may they do this at this location (behaviour 1.2).

A user token is either the user's main token (users.token_hash) or one issued by a password
login (user_tokens; see users/service.py). One query answers everything a request needs.
Every refusal carries its reason for the server log, in words that hold no token (behaviour 13.3).
"""

from __future__ import annotations

from dataclasses import dataclass

from altegio_server.caches import GRANT_BYTES
from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.errors import AccessDenied, NotFound, Unauthenticated
from altegio_server.security import MAX_TOKEN_LENGTH, token_digest
from altegio_server.users import repository as users

_AUTHORIZE = """
SELECT u.id AS user_id,
       (SELECT p.id FROM partner_tokens p WHERE p.token_hash = $1 AND p.revoked_at IS NULL) AS partner_token_id,
       (SELECT t.id FROM user_tokens t WHERE t.token_hash = $2) AS user_token_id,
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
    # Which tokens were accepted, for the sandbox's request journal (behaviour 19.4), never their text.
    partner_token_id: int | None = None
    user_token_id: int | None = None  # a password login's token (user_tokens); None: the user's own token


async def authorize(deps: Deps, partner_token: str | None, user_token: str | None, location_id: int,
                    write: bool) -> Principal:
    """The caller's rights at a location; 401 for bad tokens, 404 for no such location, 403 for no rights.

    Access granted is kept for a moment (ALTEGIO_AUTH_CACHE_SECONDS, behaviour 9.2): a token
    revoked or a password changed in another process stops working within that time; in this
    process at once, as the changing services call `deps.caches.forget_grants()`.
    """
    if not partner_token or not user_token:
        raise Unauthenticated(reason="no partner token" if not partner_token else "no user token")
    if not _plausible(partner_token) or not _plausible(user_token):
        raise Unauthenticated(reason="a token longer than any this server issues")
    caches = deps.caches
    key = (caches.digests.recall(partner_token, token_digest), caches.digests.recall(user_token, token_digest),
           location_id)
    principal = caches.grants.get(key)
    if principal is None:
        async with deps.db.transaction() as conn:
            row = await conn.fetchrow(_AUTHORIZE, *key)
            # An unknown user token: is the partner token unknown too? Asked on refusals only, for the log.
            partner_known = row is not None or await conn.fetchrow(_PARTNER, key[0]) is not None
        if row is None:
            raise Unauthenticated(reason="unknown user token" if partner_known
                                  else "unknown or revoked partner token, and unknown user token")
        if row["partner_token_id"] is None:
            raise Unauthenticated(
                reason=f"unknown or revoked partner token (the user token is user {row['user_id']}'s)")
        if not row["locations"]:
            raise NotFound()
        if row["granted"] is None:
            raise AccessDenied(reason=f"user {row['user_id']} has no access to location {location_id}")
        principal = Principal(row["user_id"], location_id, bool(row["read_only"]), row["partner_token_id"],
                              row["user_token_id"])
        caches.grants.put(key, principal, GRANT_BYTES)
    if write and principal.read_only:
        raise AccessDenied(reason=f"user {principal.user_id} has read-only access to location {location_id}")
    return principal


async def require_write_access(conn: Connection, user_id: int, location_ids: set[int]) -> None:
    """403 unless the user may write at every one of the locations: for objects shared between
    locations (behaviour 10.1). Call it inside the change's own transaction, after reading what
    the change touches, so that neither the object nor the grants can change in between."""
    if set(location_ids) - await users.writable_among(conn, user_id, sorted(location_ids)):
        raise AccessDenied()


async def check_partner(deps: Deps, partner_token: str | None) -> int:
    """For operations that take the partner token alone (v1 /auth): the token's id."""
    if not partner_token:
        raise Unauthenticated(reason="no partner token")
    if not _plausible(partner_token):
        raise Unauthenticated(reason="a partner token longer than any this server issues")
    async with deps.db.transaction() as conn:
        found = await conn.fetchval(_PARTNER, token_digest(partner_token))
    if found is None:
        raise Unauthenticated(reason="unknown or revoked partner token")
    return int(found)


def _plausible(token: str | None) -> bool:
    """A token that could exist: not missing, and no longer than any token this server
    accepts, so an over-long one is refused without being hashed (behaviour 9.2)."""
    return bool(token) and len(token) <= MAX_TOKEN_LENGTH  # type: ignore[arg-type]
