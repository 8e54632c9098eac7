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
        )

    def with_overrides(self, **values: Any) -> Settings:
        """A copy with every non-None value applied (how CLI flags win over the environment)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})
