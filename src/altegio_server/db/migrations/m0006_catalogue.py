"""Service categories are deleted softly, as team members and services are: an event made
with a service of a deleted category still shows the category's title (behaviour 15.8)."""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
ALTER TABLE service_categories ADD COLUMN deleted BOOLEAN NOT NULL DEFAULT FALSE
"""


def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
