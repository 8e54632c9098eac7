"""The web console's sign-in sessions (behaviour 21.2).

Only a digest of the session's cookie is stored, as for tokens. `password_mark` is a digest of
the user's password hash when they signed in: a changed password ends every session. No
foreign key to users: a sandbox restore may replace the users table while sessions are kept
(the table is left out of snapshots, as partner tokens are).
"""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
CREATE TABLE console_sessions (
    id {pk},
    token_hash TEXT NOT NULL UNIQUE,
    user_id BIGINT NOT NULL,
    password_mark TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX console_sessions_by_user ON console_sessions (user_id, id)
"""


def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
