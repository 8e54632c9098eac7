"""Console sign-in sessions (behaviour 21.2).

A session is a random token in an HttpOnly, SameSite=Lax cookie; the database keeps its
digest, so any server process over the same database knows it. Its CSRF token is derived from
the session token (a one-way digest), so it needs no column and cannot reveal the cookie.
Sessions run on real time, not on the API's clock: moving a sandbox's clock signs nobody out.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from altegio_server.clock import wall_time
from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.errors import AccessDenied, NotFound
from altegio_server.security import MAX_TOKEN_LENGTH, new_token, token_digest
from altegio_server.users import service as users

COOKIE = "altegio_console"
MAX_SESSIONS_PER_USER = 20  # the oldest goes when a user signs in once more
READ_ONLY = "Your access to this location is read-only."

_FIND = """
SELECT s.id, s.user_id, s.password_mark, s.expires_at, u.name, u.password_hash,
       (SELECT COUNT(*) FROM locations) AS locations
FROM console_sessions s JOIN users u ON u.id = s.user_id
WHERE s.token_hash = $1
"""
_GRANTS = """
SELECT ul.location_id, ul.read_only, l.title, l.timezone
FROM user_locations ul JOIN locations l ON l.id = ul.location_id
WHERE ul.user_id = $1 ORDER BY ul.location_id
"""


@dataclass(frozen=True)
class Grant:
    location_id: int
    title: str
    timezone: str
    read_only: bool


@dataclass(frozen=True)
class Session:
    id: int
    user_id: int
    user_name: str
    csrf: str
    grants: dict[int, Grant]  # by location id, in id order
    every_location: bool  # granted every location of the database: may see the sandbox's pages

    def grant(self, location_id: int, write: bool = False) -> Grant:
        """The user's access to a location: 404 when they have none (as if it did not exist),
        403 when they would change something where they may only look."""
        found = self.grants.get(location_id)
        if found is None:
            raise NotFound()
        if write and found.read_only:
            raise AccessDenied(READ_ONLY)
        return found

    @property
    def writes_everywhere(self) -> bool:
        """May change what is shared by every location: the sandbox's clock, state and deliveries."""
        return self.every_location and not any(g.read_only for g in self.grants.values())


def csrf_for(token: str) -> str:
    """The CSRF token of a session (or of a sign-in form's cookie)."""
    return hashlib.sha256(b"altegio-console-csrf:" + token.encode()).hexdigest()


def csrf_matches(token: str, given: str | None) -> bool:
    return bool(given) and hmac.compare_digest(csrf_for(token).encode(), (given or "").encode())


def _mark(password_hash: str) -> str:
    return hashlib.sha256(password_hash.encode()).hexdigest()


async def sign_in(deps: Deps, login: str, password: str, address: str | None, lifetime: int) -> str:
    """Check the login and password as v1 /auth does (throttle included); a new session's token."""
    user = await users.check_password(deps, login, password, address)
    token = new_token(24)
    now = int(wall_time())
    async with deps.db.transaction(write=True) as conn:
        await conn.execute("DELETE FROM console_sessions WHERE expires_at <= $1", now)
        await conn.execute(
            "INSERT INTO console_sessions (token_hash, user_id, password_mark, created_at, expires_at) "
            "VALUES ($1, $2, $3, $4, $5)", token_digest(token), user["id"], _mark(user["password_hash"]), now,
            now + lifetime)
        await conn.execute(
            "DELETE FROM console_sessions WHERE user_id = $1 AND id <= "
            "(SELECT id FROM console_sessions WHERE user_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
            user["id"], MAX_SESSIONS_PER_USER)
    return token


async def find(deps: Deps, token: str | None) -> Session | None:
    """The live session of a cookie's token, or None (unknown, expired, or the password changed)."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    async with deps.db.transaction() as conn:
        row = await conn.fetchrow(_FIND, token_digest(token))
        if row is None or row["expires_at"] <= wall_time() or not hmac.compare_digest(
                row["password_mark"], _mark(row["password_hash"])):
            return None
        grants = await _grants(conn, row["user_id"])
    every = bool(grants) and row["locations"] == len(grants)
    return Session(row["id"], row["user_id"], row["name"], csrf_for(token), grants, every)


async def _grants(conn: Connection, user_id: int) -> dict[int, Grant]:
    rows = await conn.fetch(_GRANTS, user_id)
    return {r["location_id"]: Grant(r["location_id"], r["title"], r["timezone"], bool(r["read_only"])) for r in rows}


async def sign_out(deps: Deps, token: str | None) -> None:
    """End the session of a cookie's token, if there is one."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return
    async with deps.db.transaction(write=True) as conn:
        await conn.execute("DELETE FROM console_sessions WHERE token_hash = $1", token_digest(token))
