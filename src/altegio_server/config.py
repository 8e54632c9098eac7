"""Settings, read from the environment; command-line flags override them."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace
from typing import Any

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
    # Bounded waits (behaviour 11.1): seconds, each answered 503 with Retry-After when it runs out.
    db_pool_size: int = 16  # PostgreSQL connections per process
    db_acquire_timeout: float = 5.0  # for a pooled PostgreSQL connection
    db_lock_timeout: float = 5.0  # for a row lock (PostgreSQL) or the writer lock (SQLite)
    db_statement_timeout: float = 10.0  # for one PostgreSQL statement, lock waits included
    health_timeout: float = 2.0  # for the readiness check's query (behaviour 11.2)
    log_repeat_seconds: float = 10.0  # the same database alarm at most once per this (behaviour 11.4)

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
            db_pool_size=int(env.get("ALTEGIO_DB_POOL_SIZE", cls.db_pool_size)),
            db_acquire_timeout=float(env.get("ALTEGIO_DB_ACQUIRE_TIMEOUT", cls.db_acquire_timeout)),
            db_lock_timeout=float(env.get("ALTEGIO_DB_LOCK_TIMEOUT", cls.db_lock_timeout)),
            db_statement_timeout=float(env.get("ALTEGIO_DB_STATEMENT_TIMEOUT", cls.db_statement_timeout)),
            health_timeout=float(env.get("ALTEGIO_HEALTH_TIMEOUT", cls.health_timeout)),
            log_repeat_seconds=float(env.get("ALTEGIO_LOG_REPEAT_SECONDS", cls.log_repeat_seconds)),
        )

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
