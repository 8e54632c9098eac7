"""The sandbox's shared state (behaviour 19): one row that every server process reads.

It holds the sandbox token made at seed time (kept in the clear, so that `seed demo` can
print it again: it guards a test environment, never a business), the movable clock, whether
the request journal records, the rate limit's settings (JSON, NULL when off) and a counter
that moves whenever the faults change. `version` moves with every change of the row.
"""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
CREATE TABLE sandbox_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    token TEXT,
    clock_offset BIGINT NOT NULL DEFAULT 0,
    clock_frozen_at BIGINT,
    journal_enabled BOOLEAN NOT NULL DEFAULT TRUE,
    rate_limit TEXT,
    faults_version BIGINT NOT NULL DEFAULT 0,
    version BIGINT NOT NULL DEFAULT 0
)
"""


def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
