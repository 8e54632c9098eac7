"""Settings, read from the environment; command-line flags override them."""

from __future__ import annotations

import os
from dataclasses import dataclass, replace

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
    # Per-process memory and refusals (docs/behaviour.md, section 9).
    auth_cache_seconds: float = 1.0
    auth_cache_entries: int = 4096
    header_cache_bytes: int = 256 * 1024
    event_cache_bytes: int = 16 * 1024 * 1024
    login_attempts: int = 10
    login_address_attempts: int = 100
    login_window_seconds: float = 60.0
    login_throttle_entries: int = 10_000

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
            auth_cache_seconds=float(env.get("ALTEGIO_AUTH_CACHE_SECONDS", cls.auth_cache_seconds)),
            auth_cache_entries=int(env.get("ALTEGIO_AUTH_CACHE_ENTRIES", cls.auth_cache_entries)),
            header_cache_bytes=int(env.get("ALTEGIO_HEADER_CACHE_BYTES", cls.header_cache_bytes)),
            event_cache_bytes=int(env.get("ALTEGIO_EVENT_CACHE_BYTES", cls.event_cache_bytes)),
            login_attempts=int(env.get("ALTEGIO_LOGIN_ATTEMPTS", cls.login_attempts)),
            login_address_attempts=int(env.get("ALTEGIO_LOGIN_ADDRESS_ATTEMPTS", cls.login_address_attempts)),
            login_window_seconds=float(env.get("ALTEGIO_LOGIN_WINDOW_SECONDS", cls.login_window_seconds)),
            login_throttle_entries=int(env.get("ALTEGIO_LOGIN_THROTTLE_ENTRIES", cls.login_throttle_entries)),
        )

    def with_overrides(self, **values: object) -> Settings:
        """A copy with every non-None value applied (how CLI flags win over the environment)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})
