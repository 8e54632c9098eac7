"""A refused write names the index or constraint it broke, the same way on both databases."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from altegio_server.db import IntegrityError, open_database

SETUP = [
    ("INSERT INTO chains (id, title) VALUES (9001, 'Chain')",),
    ("INSERT INTO locations (id, chain_id, title, timezone) VALUES (9001, 9001, 'Here', 'UTC')",),
    ("INSERT INTO positions (id, chain_id, title) VALUES (9001, 9001, 'Coach')",),
    ("INSERT INTO position_locations (position_id, location_id) VALUES (9001, 9001)",),
    ("INSERT INTO clients (location_id, phone, created_at, updated_at) VALUES (9001, '+100', 0, 0)",),
    ("INSERT INTO users (email, password_hash, token_hash) VALUES ('Ann@example.com', 'x', 't1')",),
]
USER = "INSERT INTO users (email, password_hash, token_hash) VALUES ($1, 'x', $2)"
REFUSED = {
    "clients_phone_per_location":
        ("INSERT INTO clients (location_id, phone, created_at, updated_at) VALUES (9001, '+100', 1, 1)",),
    "users_token": (USER, "bob@example.com", "t1"),  # a unique index on a column
    "users_email_login": (USER, "ann@example.com", "t2"),  # a unique index on an expression
    "chains_pkey": ("INSERT INTO chains (id, title) VALUES (9001, 'Again')",),
    "position_locations_pkey": ("INSERT INTO position_locations (position_id, location_id) VALUES (9001, 9001)",),
    "tags_entity_check": ("INSERT INTO tags (location_id, title, color, entity) VALUES (9001, 'T', '#000000', 9)",),
}


class _Undo(Exception):
    pass


async def _refusal(url: str, statement: tuple[Any, ...]) -> IntegrityError:
    db = open_database(url)
    await db.connect()
    try:
        async with db.transaction(write=True) as conn:
            for sql, *args in SETUP:
                await conn.execute(sql, *args)
            with pytest.raises(IntegrityError) as refused:
                await conn.execute(*statement)
            raise _Undo
    except _Undo:
        return refused.value
    finally:
        await db.close()


@pytest.mark.parametrize("name", sorted(REFUSED))
def test_a_refused_write_names_what_refused_it(database_url: str, name: str):
    assert asyncio.run(_refusal(database_url, REFUSED[name])).constraint == name
