"""The sandbox's request journal (behaviour 19.4): one row per API request, shared by every
server process over the database, at most `ALTEGIO_JOURNAL_ENTRIES` rows (the oldest go first).

No foreign keys: an entry keeps the ids of the tokens it was made with after they are gone.
Bodies are text, already redacted and cut to the configured size (`*_bytes` hold the size as
received or sent, `*_cut` whether the text stops short); `at` is Unix seconds of the sandbox's
clock, `duration_us` microseconds.
"""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
CREATE TABLE sandbox_requests (
    id {pk},
    at BIGINT NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    query TEXT NOT NULL,
    location_id BIGINT,
    status INTEGER NOT NULL,
    duration_us BIGINT NOT NULL,
    partner_token_id BIGINT,
    user_id BIGINT,
    user_token_id BIGINT,
    request_body TEXT,
    request_bytes BIGINT NOT NULL,
    request_cut BOOLEAN NOT NULL,
    response_body TEXT,
    response_bytes BIGINT NOT NULL,
    response_cut BOOLEAN NOT NULL
)
"""


def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
