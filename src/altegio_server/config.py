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
    # Hostile traffic (behaviour 8): limits on what one connection may hold or take.
    max_header_bytes: int = 16 * 1024  # one header line, the request line included
    max_head_bytes: int = 64 * 1024  # the request line and all headers of one request
    max_header_count: int = 100
    header_timeout: float = 10.0  # seconds from a request's first byte (or the connection) to its last header
    body_timeout: float = 30.0  # seconds from the end of the headers to the last byte of the body
    keep_alive_timeout: float = 5.0  # seconds an idle connection is kept between requests
    send_timeout: float = 30.0  # seconds an answer may wait for a client that takes none of it
    max_connections: int = 1000  # open connections per server process; more are closed at once

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
            max_header_bytes=int(env.get("ALTEGIO_MAX_HEADER_BYTES", cls.max_header_bytes)),
            max_head_bytes=int(env.get("ALTEGIO_MAX_HEAD_BYTES", cls.max_head_bytes)),
            max_header_count=int(env.get("ALTEGIO_MAX_HEADER_COUNT", cls.max_header_count)),
            header_timeout=float(env.get("ALTEGIO_HEADER_TIMEOUT", cls.header_timeout)),
            body_timeout=float(env.get("ALTEGIO_BODY_TIMEOUT", cls.body_timeout)),
            keep_alive_timeout=float(env.get("ALTEGIO_KEEP_ALIVE_TIMEOUT", cls.keep_alive_timeout)),
            send_timeout=float(env.get("ALTEGIO_SEND_TIMEOUT", cls.send_timeout)),
            max_connections=int(env.get("ALTEGIO_MAX_CONNECTIONS", cls.max_connections)),
        )

    def connection_env(self) -> dict[str, str]:
        """The connection limits as environment variables, for the worker processes to read."""
        names = ("max_header_bytes", "max_head_bytes", "max_header_count", "header_timeout", "body_timeout",
                 "keep_alive_timeout", "send_timeout", "max_connections")
        return {f"ALTEGIO_{name.upper()}": str(getattr(self, name)) for name in names}

    def with_overrides(self, **values: object) -> Settings:
        """A copy with every non-None value applied (how CLI flags win over the environment)."""
        return replace(self, **{k: v for k, v in values.items() if v is not None})
