"""Settings, read from the environment; command-line flags override them."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

from altegio_server.webhooks.rules import Policy

DEFAULT_DATABASE_URL = "sqlite:///altegio.sqlite3"


@dataclass(frozen=True)
class Settings:
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    # Fixed "now" (ISO 8601 with offset, e.g. 2027-01-15T09:00:00+00:00) for sandboxes and tests.
    frozen_time: str | None = None
    # Sandbox mode (behaviour 19): the /_sandbox controls, a movable clock, the request journal.
    sandbox: bool = False
    sandbox_token: str | None = None  # else the one the database holds (made by `seed demo`)
    # The request journal (behaviour 19.4): entries kept over all processes, and bytes kept of each body.
    journal_entries: int = 10_000
    journal_body_bytes: int = 16 * 1024  # at most 64 KiB is ever kept, whatever this says
    sandbox_max_snapshots: int = 20  # named snapshots a database may hold (behaviour 19.3)
    # The web console (behaviour 21): on unless switched off; how long a sign-in lasts, in real seconds.
    console: bool = True
    console_session_seconds: int = 12 * 3600
    console_secure_cookies: bool = False  # Secure on every console cookie, e.g. behind a proxy that ends TLS
    # Hostile traffic (behaviour 8): limits on what one connection may hold or take.
    max_header_bytes: int = 16 * 1024  # one header line, the request line included
    max_head_bytes: int = 64 * 1024  # the request line and all headers of one request
    max_header_count: int = 100
    header_timeout: float = 10.0  # seconds from a request's first byte (or the connection) to its last header
    body_timeout: float = 30.0  # seconds from the end of the headers to the last byte of the body
    keep_alive_timeout: float = 5.0  # seconds an idle connection is kept between requests
    send_timeout: float = 30.0  # seconds an answer may wait for a client that takes none of it
    max_connections: int = 1000  # open connections per server process; more are closed at once
    # Bounded waits (behaviour 11.1): seconds, each answered 503 with Retry-After when it runs out.
    db_pool_size: int = 16  # PostgreSQL connections per process
    db_acquire_timeout: float = 5.0  # for a pooled PostgreSQL connection
    db_lock_timeout: float = 5.0  # for a row lock (PostgreSQL) or the writer lock (SQLite)
    db_statement_timeout: float = 10.0  # for one PostgreSQL statement, lock waits included
    health_timeout: float = 2.0  # for the readiness check's query (behaviour 11.2)
    log_repeat_seconds: float = 10.0  # the same database alarm at most once per this (behaviour 11.4)
    # Per-process memory and refusals (docs/behaviour.md, section 9).
    auth_cache_seconds: float = 1.0
    auth_cache_entries: int = 4096
    header_cache_bytes: int = 256 * 1024
    event_cache_bytes: int = 16 * 1024 * 1024
    login_attempts: int = 10
    login_address_attempts: int = 100
    login_window_seconds: float = 60.0
    login_throttle_entries: int = 10_000
    # Webhook delivery (behaviour 20.4): seconds, and the delivery log's length.
    webhook_delay: float | None = None  # after the change; None: 5, or 0 in sandbox mode
    webhook_timeout: float = 10.0  # for one attempt
    webhook_retries: int = 2  # further attempts after a transport error, 429 or 5xx
    webhook_retry_interval: float = 1.5
    webhook_poll: float = 0.5  # how often each process looks for due notifications
    webhook_log_entries: int = 5000  # deliveries kept in the log, newest first
    webhook_retention: float = 7 * 86400.0  # notifications never sent are forgotten after this

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        return cls(
            database_url=env.get("ALTEGIO_DATABASE_URL", DEFAULT_DATABASE_URL),
            host=env.get("ALTEGIO_HOST", cls.host),
            port=int(env.get("ALTEGIO_PORT", cls.port)),
            workers=int(env.get("ALTEGIO_WORKERS", cls.workers)),
            log_level=env.get("ALTEGIO_LOG_LEVEL", cls.log_level),
            frozen_time=env.get("ALTEGIO_FROZEN_TIME") or None,
            sandbox=env.get("ALTEGIO_SANDBOX", "") not in ("", "0", "false", "no"),
            sandbox_token=env.get("ALTEGIO_SANDBOX_TOKEN") or None,
            journal_entries=int(env.get("ALTEGIO_JOURNAL_ENTRIES", cls.journal_entries)),
            journal_body_bytes=int(env.get("ALTEGIO_JOURNAL_BODY_BYTES", cls.journal_body_bytes)),
            sandbox_max_snapshots=int(env.get("ALTEGIO_SANDBOX_MAX_SNAPSHOTS", cls.sandbox_max_snapshots)),
            console=env.get("ALTEGIO_CONSOLE", "1") not in ("", "0", "false", "no"),
            console_session_seconds=int(env.get("ALTEGIO_CONSOLE_SESSION_SECONDS", cls.console_session_seconds)),
            console_secure_cookies=env.get("ALTEGIO_CONSOLE_SECURE_COOKIES", "") not in ("", "0", "false", "no"),
            max_header_bytes=int(env.get("ALTEGIO_MAX_HEADER_BYTES", cls.max_header_bytes)),
            max_head_bytes=int(env.get("ALTEGIO_MAX_HEAD_BYTES", cls.max_head_bytes)),
            max_header_count=int(env.get("ALTEGIO_MAX_HEADER_COUNT", cls.max_header_count)),
            header_timeout=float(env.get("ALTEGIO_HEADER_TIMEOUT", cls.header_timeout)),
            body_timeout=float(env.get("ALTEGIO_BODY_TIMEOUT", cls.body_timeout)),
            keep_alive_timeout=float(env.get("ALTEGIO_KEEP_ALIVE_TIMEOUT", cls.keep_alive_timeout)),
            send_timeout=float(env.get("ALTEGIO_SEND_TIMEOUT", cls.send_timeout)),
            max_connections=int(env.get("ALTEGIO_MAX_CONNECTIONS", cls.max_connections)),
            db_pool_size=int(env.get("ALTEGIO_DB_POOL_SIZE", cls.db_pool_size)),
            db_acquire_timeout=float(env.get("ALTEGIO_DB_ACQUIRE_TIMEOUT", cls.db_acquire_timeout)),
            db_lock_timeout=float(env.get("ALTEGIO_DB_LOCK_TIMEOUT", cls.db_lock_timeout)),
            db_statement_timeout=float(env.get("ALTEGIO_DB_STATEMENT_TIMEOUT", cls.db_statement_timeout)),
            health_timeout=float(env.get("ALTEGIO_HEALTH_TIMEOUT", cls.health_timeout)),
            log_repeat_seconds=float(env.get("ALTEGIO_LOG_REPEAT_SECONDS", cls.log_repeat_seconds)),
            auth_cache_seconds=float(env.get("ALTEGIO_AUTH_CACHE_SECONDS", cls.auth_cache_seconds)),
            auth_cache_entries=int(env.get("ALTEGIO_AUTH_CACHE_ENTRIES", cls.auth_cache_entries)),
            header_cache_bytes=int(env.get("ALTEGIO_HEADER_CACHE_BYTES", cls.header_cache_bytes)),
            event_cache_bytes=int(env.get("ALTEGIO_EVENT_CACHE_BYTES", cls.event_cache_bytes)),
            login_attempts=int(env.get("ALTEGIO_LOGIN_ATTEMPTS", cls.login_attempts)),
            login_address_attempts=int(env.get("ALTEGIO_LOGIN_ADDRESS_ATTEMPTS", cls.login_address_attempts)),
            login_window_seconds=float(env.get("ALTEGIO_LOGIN_WINDOW_SECONDS", cls.login_window_seconds)),
            login_throttle_entries=int(env.get("ALTEGIO_LOGIN_THROTTLE_ENTRIES", cls.login_throttle_entries)),
            webhook_delay=float(env["ALTEGIO_WEBHOOK_DELAY"]) if env.get("ALTEGIO_WEBHOOK_DELAY") else None,
            webhook_timeout=float(env.get("ALTEGIO_WEBHOOK_TIMEOUT", cls.webhook_timeout)),
            webhook_retries=int(env.get("ALTEGIO_WEBHOOK_RETRIES", cls.webhook_retries)),
            webhook_retry_interval=float(env.get("ALTEGIO_WEBHOOK_RETRY_INTERVAL", cls.webhook_retry_interval)),
            webhook_poll=float(env.get("ALTEGIO_WEBHOOK_POLL", cls.webhook_poll)),
            webhook_log_entries=int(env.get("ALTEGIO_WEBHOOK_LOG_ENTRIES", cls.webhook_log_entries)),
            webhook_retention=float(env.get("ALTEGIO_WEBHOOK_RETENTION", cls.webhook_retention)),
        )

    def webhook_policy(self) -> Policy:
        """How this server times and retries webhook deliveries (behaviour 20.4)."""
        delay = self.webhook_delay if self.webhook_delay is not None else (0.0 if self.sandbox else 5.0)
        return Policy(delay=delay, timeout=self.webhook_timeout, retries=self.webhook_retries,
                      retry_interval=self.webhook_retry_interval, poll=self.webhook_poll,
                      log_entries=self.webhook_log_entries, retention=self.webhook_retention)

    def connection_env(self) -> dict[str, str]:
        """The connection limits as environment variables, for the worker processes to read."""
        names = ("max_header_bytes", "max_head_bytes", "max_header_count", "header_timeout", "body_timeout",
                 "keep_alive_timeout", "send_timeout", "max_connections")
        return {f"ALTEGIO_{name.upper()}": str(getattr(self, name)) for name in names}

    def waits_env(self) -> dict[str, str]:
        """The bounded-wait settings as environment variables, for the worker processes of `serve`."""
        return {
            "ALTEGIO_DB_POOL_SIZE": str(self.db_pool_size),
            "ALTEGIO_DB_ACQUIRE_TIMEOUT": str(self.db_acquire_timeout),
            "ALTEGIO_DB_LOCK_TIMEOUT": str(self.db_lock_timeout),
            "ALTEGIO_DB_STATEMENT_TIMEOUT": str(self.db_statement_timeout),
            "ALTEGIO_HEALTH_TIMEOUT": str(self.health_timeout),
            "ALTEGIO_LOG_REPEAT_SECONDS": str(self.log_repeat_seconds),
        }

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with every non-None value applied (how CLI flags win over the environment)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})
