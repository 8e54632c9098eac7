"""Logins: tokens issued by `POST /api/v1/auth`, and logins found however they are spelled.

A user keeps the one token in `users.token_hash` (set when the user is created, rotated on a
password change) and may hold several more in `user_tokens`, one per password login, so that
logging in from a second client does not log the first one out. Only digests are stored.

A phone login matches whatever its punctuation (`+7 (999) 123-45-67` is `79991234567`) and an
e-mail login whatever its case, so both are unique in that form too. The expressions here are
repeated verbatim in users/repository.py: an index serves a query only if they are equal.
"""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
CREATE TABLE user_tokens (
    id {pk},
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX user_tokens_hash ON user_tokens (token_hash);
CREATE INDEX user_tokens_by_user ON user_tokens (user_id, id);
CREATE UNIQUE INDEX users_email_login ON users (lower(email)) WHERE email IS NOT NULL;
CREATE UNIQUE INDEX users_phone_login
    ON users (replace(replace(replace(replace(replace(replace(phone, '+', ''), ' ', ''), '-', ''), '(', ''), ')', ''), '.', ''))
    WHERE phone IS NOT NULL
"""

def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
