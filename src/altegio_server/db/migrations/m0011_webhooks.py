"""Webhooks (behaviour 20): each location's settings, the outbox of changes waiting to be
sent, and the bounded log of deliveries.

An outbox row is written in the transaction of the change it announces (20.3), so a change
that rolls back leaves none. It holds what changed, not the body: the body is rendered when
the notification is sent. The outbox's times, `created_at` and `claimed_until`, are real
seconds (the wall clock, behaviour 20.4), not the API's clock, which a sandbox may stop.
"""

from __future__ import annotations

from altegio_server.db.migrations import split_ddl

TABLES = """
CREATE TABLE webhook_settings (
    location_id BIGINT PRIMARY KEY REFERENCES locations(id),
    urls TEXT NOT NULL,
    active BOOLEAN NOT NULL,
    signing_secret TEXT,
    updated_at BIGINT NOT NULL
);
CREATE TABLE webhook_flags (
    location_id BIGINT NOT NULL REFERENCES webhook_settings(location_id) ON DELETE CASCADE,
    flag TEXT NOT NULL,
    PRIMARY KEY (location_id, flag)
);
CREATE TABLE webhook_outbox (
    id {pk},
    location_id BIGINT NOT NULL,
    resource TEXT NOT NULL,
    resource_id BIGINT NOT NULL,
    status TEXT NOT NULL,
    created_at DOUBLE PRECISION NOT NULL,
    claimed_until DOUBLE PRECISION NOT NULL DEFAULT 0
);
CREATE INDEX webhook_outbox_by_resource ON webhook_outbox (location_id, resource, resource_id, id);
CREATE INDEX webhook_outbox_by_age ON webhook_outbox (created_at);
CREATE TABLE webhook_deliveries (
    id {pk},
    delivery_id TEXT NOT NULL UNIQUE,
    location_id BIGINT NOT NULL,
    resource TEXT NOT NULL,
    resource_id BIGINT NOT NULL,
    event_status TEXT NOT NULL,
    url TEXT NOT NULL,
    body TEXT NOT NULL,
    outcome TEXT NOT NULL,
    http_status INTEGER,
    attempts INTEGER NOT NULL,
    latency_ms INTEGER,
    error TEXT,
    sent_at BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_by_location ON webhook_deliveries (location_id, id)
"""


def statements(dialect: str) -> list[str]:
    return split_ddl(TABLES, dialect)
