"""Clients that can be deleted, and client phones in their one stored spelling.

A deleted client keeps their row, their phone and their appointments (behaviour 16.7); the
phone stays unique per location among all rows, so `clients_phone_per_location` and every
`ON CONFLICT (location_id, phone) WHERE phone <> ''` are unchanged.

Phones stored before this migration as digits without `+` get it (behaviour 16.5), unless
the location already has that phone with `+`: that row stays as it was rather than merge two
clients.
"""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
ALTER TABLE clients ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE clients SET phone = '+' || phone
    WHERE phone <> '' AND phone NOT LIKE '+%'
      AND NOT EXISTS (SELECT 1 FROM clients other
                      WHERE other.location_id = clients.location_id AND other.phone = '+' || clients.phone)
"""


def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
