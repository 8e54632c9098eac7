"""The sandbox's rate limit counts and its injected faults (behaviour 19.5, 19.6).

`sandbox_rate_counts` holds one row per key (a client address, or a partner token's digest,
never the token) and minute of real time (`window_start`, Unix seconds): the minute's count,
and the count of its latest second (`second`, `second_count`), so that one statement takes
from both. Minutes long past are deleted.

`sandbox_faults` holds the faults set through `/_sandbox/faults`: `path` as given (a
template or a prefix), `status` NULL for a fault that only delays, `times` the firings left
(NULL: unlimited; 0: spent, still listed).
"""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
CREATE TABLE sandbox_rate_counts (
    key TEXT NOT NULL,
    window_start BIGINT NOT NULL,
    count INTEGER NOT NULL,
    second BIGINT NOT NULL,
    second_count INTEGER NOT NULL,
    PRIMARY KEY (key, window_start)
);
CREATE INDEX sandbox_rate_counts_age ON sandbox_rate_counts (window_start);
CREATE TABLE sandbox_faults (
    id {pk},
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER CHECK (status BETWEEN 400 AND 599),
    delay_ms INTEGER NOT NULL CHECK (delay_ms >= 0),
    probability DOUBLE PRECISION NOT NULL CHECK (probability >= 0 AND probability <= 1),
    times INTEGER CHECK (times >= 0)
)
"""


def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
