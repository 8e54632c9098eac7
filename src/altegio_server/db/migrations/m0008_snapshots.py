"""The sandbox's snapshots (behaviour 19.3): one row per snapshot, its tables copied beside.

A snapshot's rows live in copies of the domain tables inside the same database, named
`sandbox_snap_<id>_<table>`, so that saving and restoring are statements of the database
itself. `tables` lists the copied tables (JSON), `size` counts their rows. The baseline
(the state after the last `seed demo` or `load`) is the snapshot named `(baseline)`, a name
no request may use.
"""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
CREATE TABLE sandbox_snapshots (
    id {pk},
    name TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    size BIGINT NOT NULL DEFAULT 0,
    tables TEXT NOT NULL DEFAULT '[]'
);
CREATE UNIQUE INDEX sandbox_snapshots_name ON sandbox_snapshots (name)
"""


def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
