"""Migration m0003 over a database from before it: client phones get their `+` (behaviour
16.5) unless that would merge two clients, and every client is live."""

from __future__ import annotations

import asyncio

from altegio_server.db import open_database
from altegio_server.db.migrate import upgrade
from tests import sql
from tests.conftest import PRAGUE

LOC = PRAGUE["id"]


def _as_before_m0003(url: str) -> None:
    sql.execute(url, "ALTER TABLE clients DROP COLUMN deleted", "DELETE FROM schema_migrations WHERE version = 3",
                ("UPDATE clients SET phone = '420601000001' WHERE id = $1", PRAGUE["client"]["id"]),
                ("INSERT INTO clients (id, location_id, name, phone, created_at, updated_at) "
                 "VALUES (5001, $1, 'Bare', '420602000002', 0, 0), (5002, $1, 'Plus', '+420602000002', 0, 0), "
                 "(5003, $1, 'None', '', 0, 0)", LOC))


def _upgrade(url: str) -> list[int]:
    async def run() -> list[int]:
        db = open_database(url, pool_size=1)
        await db.connect()
        try:
            return await upgrade(db)
        finally:
            await db.close()

    return asyncio.run(run())


def test_bare_digit_phones_get_their_plus_unless_two_clients_would_merge(database_url):
    _as_before_m0003(database_url)
    assert _upgrade(database_url) == [3]
    rows = sql.fetch(database_url, "SELECT id, phone, deleted FROM clients WHERE location_id = $1 ORDER BY id", LOC)
    assert [(r["id"], r["phone"], bool(r["deleted"])) for r in rows] == [
        (PRAGUE["client"]["id"], "+420601000001", False),
        (5001, "420602000002", False), (5002, "+420602000002", False), (5003, "", False)]
