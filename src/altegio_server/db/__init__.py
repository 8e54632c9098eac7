"""Database access: one small interface over asyncpg (PostgreSQL) and sqlite3 (SQLite).

SQL is written once, in the subset both databases share, with `$1`-style placeholders;
the SQLite backend rewrites them to `?1`. A service opens one transaction per command:

    async with db.transaction(write=True) as conn:
        row = await conn.fetchrow("SELECT ... WHERE id = $1", event_id)

Why not an ORM: the hot paths (read an event, book a seat) must cost tens of microseconds,
and the invariants are written as guarded SQL statements anyway.
"""

from __future__ import annotations

from altegio_server.db.base import Connection, Database, IntegrityError, Waits, open_database

__all__ = ["Connection", "Database", "IntegrityError", "Waits", "open_database"]
