"""Users: log in with a password (v1 /auth), and the commands that manage users and their access.

Tokens. A user has a main token (`users.token_hash`), handed out when the user is created or
the password is changed, and one more token per password login (`user_tokens`), so that
logging in from a second client leaves the first one logged in. Only digests are stored, which
is why a login cannot hand back an existing token and issues a new one. Changing the password
replaces the main token and drops every login token. A user keeps at most MAX_LOGIN_TOKENS
login tokens; beyond that, each login retires the oldest, so a client that logs in on every
request cannot grow the table without bound.
"""

from __future__ import annotations

import asyncio
import functools
from dataclasses import dataclass
from typing import Any

from altegio_server.db import Connection, IntegrityError
from altegio_server.deps import Deps
from altegio_server.errors import DomainError, NotFound, Unauthenticated, ValidationFailed, field_error
from altegio_server.locations import repository as locations
from altegio_server.phones import phone_key, stored_phone
from altegio_server.security import hash_password, new_token, token_digest, verify_password
from altegio_server.users import repository as repo
from altegio_server.users import rules

MAX_LOGIN_TOKENS = 100
INCORRECT_LOGIN = "Incorrect login or password"


@dataclass(frozen=True)
class Issued:
    """A user (without secrets) and the token just issued to them."""

    user: dict[str, Any]
    token: str
    login: str | None = None  # for a password login: the login it matched, as stored (behaviour 12.7)


async def log_in(deps: Deps, login: str, password: str, address: str | None = None) -> Issued:
    """Check a login and password; issue a new user token (401 if either is wrong, 429 when
    this login or this client address has tried too often: behaviour 9.5)."""
    user = await check_password(deps, login, password, address)
    token = new_token()
    async with deps.db.transaction(write=True) as conn:
        if not await repo.add_login_token(conn, user["id"], user["password_hash"], token_digest(token),
                                          deps.clock.timestamp()):
            # The password changed while it was being checked.
            raise Unauthenticated(INCORRECT_LOGIN, reason=f"password of user {user['id']} changed during the login")
        await repo.keep_newest_login_tokens(conn, user["id"], MAX_LOGIN_TOKENS)
    # The e-mail or the phone, whichever the login matched, as stored rather than as typed.
    stored = user["email"] if rules.is_email(login.strip()) else user["phone"]
    return Issued(_public(user), token, stored)


async def check_password(deps: Deps, login: str, password: str, address: str | None = None) -> dict[str, Any]:
    """The user a login and password name, with their password hash; 401 if either is wrong
    (the same words for both halves), 429 when this login or address has tried too often
    (behaviour 9.5). Shared by v1 /auth and the console's sign-in (behaviour 21.2)."""
    deps.caches.logins.attempt(login, address)
    async with deps.db.transaction() as conn:
        user = await _find(conn, login)
    matches = await asyncio.to_thread(_password_matches, password, user["password_hash"] if user else None)
    if user is None or not matches:
        raise Unauthenticated(INCORRECT_LOGIN, reason="unknown login" if user is None
                              else f"wrong password for user {user['id']}")
    return user


async def create_user(deps: Deps, name: str, email: str | None, phone: str | None, password: str,
                      access: list[tuple[int, bool]]) -> Issued:
    """A new user with access to some locations ((location_id, read_only) pairs) and a main token."""
    email = email.strip() if email is not None else None
    errors = rules.new_user_errors(name, email, phone)
    problem = rules.password_problem(password)
    if problem:
        errors["password"] = [problem]
    if errors:
        raise ValidationFailed(errors=errors)
    phone = stored_phone(phone) if phone is not None else None
    password_hash = await asyncio.to_thread(hash_password, password)
    token = new_token()
    async with deps.db.transaction(write=True) as conn:
        for login in filter(None, (email, phone)):
            if await _find(conn, login):
                raise _taken(login)
        for location_id, _ in access:
            await _location(conn, location_id)
        try:
            user = await repo.insert(conn, name.strip(), email, phone, password_hash, token_digest(token))
        except IntegrityError:  # a concurrent command took the login first
            raise _taken(email or phone or "") from None
        for location_id, read_only in access:
            await repo.grant(conn, user["id"], location_id, read_only)
        user = _public(user) | {"locations": _locations(await repo.access_of(conn, user["id"]))}
    return Issued(user, token)


async def set_password(deps: Deps, login: str, password: str) -> Issued:
    """Change a user's password; every earlier token stops working and a new main token is issued."""
    problem = rules.password_problem(password)
    if problem:
        raise field_error("password", problem)
    password_hash = await asyncio.to_thread(hash_password, password)
    token = new_token()
    async with deps.db.transaction(write=True) as conn:
        user = await _user(conn, login)
        await repo.replace_credentials(conn, user["id"], password_hash, token_digest(token))
    deps.caches.forget_grants()
    return Issued(_public(user), token)


async def grant(deps: Deps, login: str, location_id: int, read_only: bool) -> None:
    """Give a user full or read-only access to a location (replacing what they had there)."""
    async with deps.db.transaction(write=True) as conn:
        user = await _user(conn, login)
        await _location(conn, location_id)
        await repo.grant(conn, user["id"], location_id, read_only)
    deps.caches.forget_grants()


async def revoke(deps: Deps, login: str, location_id: int) -> None:
    """Take a user's access to a location away."""
    async with deps.db.transaction(write=True) as conn:
        user = await _user(conn, login)
        await _location(conn, location_id)
        if not await repo.revoke(conn, user["id"], location_id):
            raise NotFound(f"User {login!r} has no access to location {location_id}")
    deps.caches.forget_grants()


async def list_users(deps: Deps) -> list[dict[str, Any]]:
    """Every user with the locations they may use; no secrets."""
    async with deps.db.transaction() as conn:
        users = await repo.list_all(conn)
        access = await repo.access_of_all(conn)
    by_user: dict[int, list[dict[str, Any]]] = {}
    for row in access:
        by_user.setdefault(row["user_id"], []).append(row)
    return [user | {"locations": _locations(by_user.get(user["id"], []))} for user in users]


async def _find(conn: Connection, login: str) -> dict[str, Any] | None:
    login = login.strip()
    if rules.is_email(login):
        return await repo.find_by_email(conn, login)
    digits = phone_key(login)
    return await repo.find_by_phone(conn, digits) if digits else None


async def _user(conn: Connection, login: str) -> dict[str, Any]:
    user = await _find(conn, login)
    if user is None:
        raise NotFound(f"No user with login {login!r}")
    return user


async def _location(conn: Connection, location_id: int) -> None:
    if await locations.get(conn, location_id) is None:
        raise NotFound(f"No location with id {location_id}")


def _taken(login: str) -> DomainError:
    field = "email" if rules.is_email(login) else "phone"
    return field_error(field, f"A user with login {login!r} already exists")


def _public(user: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in user.items() if k != "password_hash"}


def _locations(access: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": a["location_id"], "read_only": bool(a["read_only"])} for a in access]


def _password_matches(password: str, stored: str | None) -> bool:
    """Slow by design (scrypt): run it off the event loop. An unknown login (stored None) is
    checked against a dummy hash, so the time taken does not tell which logins exist."""
    return verify_password(password, stored if stored is not None else _dummy_hash())


@functools.cache
def _dummy_hash() -> str:
    return hash_password(new_token())
