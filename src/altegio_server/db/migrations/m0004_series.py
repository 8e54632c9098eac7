"""Duplication strategies of group events (behaviour 17.1): a location's saved repeat rules.

`days` holds the chosen weekdays (0 Sunday .. 6 Saturday) as comma-joined digits, "" for none:
the rule is read whole whenever it is used, never searched by day.
"""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
CREATE TABLE duplication_strategies (
    id {pk},
    location_id BIGINT NOT NULL REFERENCES locations(id),
    title TEXT NOT NULL,
    repeat_mode_id INTEGER NOT NULL CHECK (repeat_mode_id BETWEEN 1 AND 7),
    days TEXT NOT NULL DEFAULT '',
    repeat_interval INTEGER NOT NULL DEFAULT 0 CHECK (repeat_interval >= 0),
    content_type INTEGER NOT NULL DEFAULT 1 CHECK (content_type IN (1, 2)),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX duplication_strategies_by_location ON duplication_strategies (location_id, id)
"""


def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
