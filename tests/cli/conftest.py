"""Fixtures of the provisioning and command-line tests."""

from __future__ import annotations

import asyncio
import uuid

import pytest

from tests import databases


async def admin(statement: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(databases.PG_ADMIN_URL)
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request, tmp_path):
    """A database with nothing in it, not even tables."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite3'}"
        return
    request.getfixturevalue("postgres_template")  # skips (or fails in CI) without PostgreSQL
    name = f"altegio_cli_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield f"{databases.PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
