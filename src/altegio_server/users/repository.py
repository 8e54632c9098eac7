"""SQL for users, their access to locations and their login tokens."""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection

_COLUMNS = "id, name, phone, email, avatar, password_hash, is_approved, is_email_confirmed"

# Must stay equal to the expression of the index users_phone_login (migration m0002), and drop
# what phones.phone_key drops.
_PHONE_DIGITS = ("replace(replace(replace(replace(replace(replace(phone, '+', ''), ' ', ''), '-', ''), "
                 "'(', ''), ')', ''), '.', '')")


async def find_by_email(conn: Connection, email: str) -> dict[str, Any] | None:
    return await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM users WHERE email IS NOT NULL AND lower(email) = lower($1)", email)


async def find_by_phone(conn: Connection, digits: str) -> dict[str, Any] | None:
    return await conn.fetchrow(
        f"SELECT {_COLUMNS} FROM users WHERE phone IS NOT NULL AND {_PHONE_DIGITS} = $1", digits)


async def insert(conn: Connection, name: str, email: str | None, phone: str | None,
                 password_hash: str, token_hash: str) -> dict[str, Any]:
    return await conn.fetchrow(  # type: ignore[return-value]  # RETURNING gives the row
        f"INSERT INTO users (name, email, phone, password_hash, token_hash) VALUES ($1, $2, $3, $4, $5) "
        f"RETURNING {_COLUMNS}",
        name, email, phone, password_hash, token_hash)


async def replace_credentials(conn: Connection, user_id: int, password_hash: str, token_hash: str) -> None:
    """New password and main token; every token issued by a login stops working."""
    await conn.execute("UPDATE users SET password_hash = $2, token_hash = $3 WHERE id = $1",
                       user_id, password_hash, token_hash)
    await conn.execute("DELETE FROM user_tokens WHERE user_id = $1", user_id)


async def add_login_token(conn: Connection, user_id: int, password_hash: str, token_hash: str, now: int) -> bool:
    """Store a login's token, unless the password changed since it was checked."""
    added = await conn.execute(
        "INSERT INTO user_tokens (user_id, token_hash, created_at) "
        "SELECT id, $3, $4 FROM users WHERE id = $1 AND password_hash = $2",
        user_id, password_hash, token_hash, now)
    return added == 1


async def keep_newest_login_tokens(conn: Connection, user_id: int, keep: int) -> None:
    await conn.execute(
        "DELETE FROM user_tokens WHERE user_id = $1 AND id <= "
        "(SELECT id FROM user_tokens WHERE user_id = $1 ORDER BY id DESC LIMIT 1 OFFSET $2)",
        user_id, keep)


async def grant(conn: Connection, user_id: int, location_id: int, read_only: bool) -> None:
    await conn.execute(
        "INSERT INTO user_locations (user_id, location_id, read_only) VALUES ($1, $2, $3) "
        "ON CONFLICT (user_id, location_id) DO UPDATE SET read_only = excluded.read_only",
        user_id, location_id, read_only)


async def writable_among(conn: Connection, user_id: int, location_ids: list[int]) -> set[int]:
    """Which of the locations the user may write at. On PostgreSQL the grants found are held
    (FOR SHARE) until the transaction ends: a revocation waits for the change (behaviour 10.3)."""
    if not location_ids:
        return set()
    marks = ", ".join(f"${i + 2}" for i in range(len(location_ids)))
    rows = await conn.fetch(
        f"SELECT location_id FROM user_locations WHERE user_id = $1 AND read_only = FALSE "
        f"AND location_id IN ({marks}){conn.for_share}", user_id, *location_ids)
    return {r["location_id"] for r in rows}


async def revoke(conn: Connection, user_id: int, location_id: int) -> bool:
    removed = await conn.execute(
        "DELETE FROM user_locations WHERE user_id = $1 AND location_id = $2", user_id, location_id)
    return removed > 0


async def list_all(conn: Connection) -> list[dict[str, Any]]:
    return await conn.fetch("SELECT id, name, phone, email FROM users ORDER BY id")


async def access_of_all(conn: Connection) -> list[dict[str, Any]]:
    return await conn.fetch("SELECT user_id, location_id, read_only FROM user_locations ORDER BY user_id, location_id")


async def access_of(conn: Connection, user_id: int) -> list[dict[str, Any]]:
    return await conn.fetch(
        "SELECT user_id, location_id, read_only FROM user_locations WHERE user_id = $1 ORDER BY location_id",
        user_id)
