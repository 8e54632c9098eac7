"""A sandbox server for an integrator's own tests (behaviour 19.7).

    from altegio_server.testing import Sandbox

    with Sandbox() as sandbox:
        requests.get(f"{sandbox.base_url}/api/v2/locations/{sandbox.location_id}/events",
                     headers=sandbox.headers, params=...)
        sandbox.clock.advance(days=7)
        sandbox.reset()

A real server (real HTTP, the real rules) runs in a background thread on a free port of
127.0.0.1, in sandbox mode, over a temporary SQLite database with the demo data, or over
the database a URL names. The controls are plain methods calling `/_sandbox/...`.
"""

from __future__ import annotations

import asyncio
import secrets
import socket
import tempfile
import threading
import time
import urllib.parse
from datetime import datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any

from altegio_server.testing.controls import Controls, SandboxError

__all__ = ["Sandbox", "SandboxClock", "SandboxError"]

START_TIMEOUT = 30.0
V2_ACCEPT = "application/vnd.api.v2+json"


class SandboxClock:
    """The sandbox's clock, moved from a test."""

    def __init__(self, controls: Controls) -> None:
        self._controls = controls

    def now(self) -> datetime:
        return datetime.fromisoformat(self._controls.call("GET", "clock")["now"])

    def get(self) -> dict[str, Any]:
        """`{"now", "frozen", "offset_seconds"}` as the server answers them."""
        return self._controls.call("GET", "clock")

    def set(self, now: datetime | str, frozen: bool = True) -> dict[str, Any]:
        """Stand at `now` (an aware datetime or ISO 8601 with an offset), or run on from it."""
        if isinstance(now, datetime):
            if now.tzinfo is None:
                raise ValueError("the sandbox clock needs an aware datetime (with tzinfo)")
            now = now.isoformat()
        return self._controls.call("PUT", "clock", {"now": now, "frozen": frozen})

    def advance(self, seconds: float | timedelta = 0, *, minutes: float = 0, hours: float = 0,
                days: float = 0) -> dict[str, Any]:
        """Move "now" on (whole seconds; negative moves back)."""
        step = seconds if isinstance(seconds, timedelta) else timedelta(seconds=seconds)
        step += timedelta(minutes=minutes, hours=hours, days=days)
        return self._controls.call("POST", "clock/advance", {"seconds": int(step.total_seconds())})

    def real(self) -> dict[str, Any]:
        """Back to the server's own clock."""
        return self._controls.call("DELETE", "clock")


class Sandbox:
    """A server in sandbox mode for the length of a `with` block.

    `database_url` None: a new SQLite file in a temporary folder, removed afterwards. Given,
    the database is migrated and the demo added unless it is there. `frozen_time` fixes the
    server's own clock (what `clock.real()` returns to); `schedule=False` leaves the demo's
    classes out, so that ids and bodies do not depend on the day.
    """

    def __init__(self, database_url: str | None = None, *, frozen_time: datetime | None = None,
                 schedule: bool = True, token: str | None = None) -> None:
        if frozen_time is not None and frozen_time.tzinfo is None:
            raise ValueError("frozen_time needs an aware datetime (with tzinfo)")
        self.database_url = database_url
        self.frozen_time, self.schedule = frozen_time, schedule
        self.sandbox_token = token or "sandbox-" + secrets.token_urlsafe(24)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self._thread: threading.Thread | None = None
        self._server: Any = None
        self._failure: BaseException | None = None
        self.summary: dict[str, Any] = {}
        self.base_url = ""
        self.controls = Controls("", self.sandbox_token)
        self.clock = SandboxClock(self.controls)

    # The demo's tokens and ids -------------------------------------------------------------

    @property
    def partner_token(self) -> str:
        return str(self.summary["partner_token"])

    @property
    def user_token(self) -> str:
        return str(self.summary["user_token"])

    @property
    def readonly_user_token(self) -> str:
        return str(self.summary["readonly_user_token"])

    @property
    def authorization(self) -> str:
        """The Authorization header of the demo's full-access user."""
        return f"Bearer {self.partner_token}, User {self.user_token}"

    @property
    def headers(self) -> dict[str, str]:
        """Headers for API requests: the demo user's Authorization and the v2 Accept."""
        return {"Authorization": self.authorization, "Accept": V2_ACCEPT}

    @property
    def locations(self) -> list[dict[str, Any]]:
        """Each demo location's ids: team, services, rooms, tags, a client (as `seed demo --json`)."""
        return list(self.summary["locations"])

    @property
    def location_id(self) -> int:
        return int(self.summary["locations"][0]["id"])

    # The controls ------------------------------------------------------------------------

    def reset(self) -> None:
        """Every table back to the demo's state (the baseline); ids go on after the largest given."""
        self.controls.call("POST", "reset")

    def fresh(self) -> None:
        """A clean start for the next test: reset, the server's own clock, no faults, no rate
        limit, an empty journal."""
        self.reset()
        self.clock.real()
        self.controls.call("DELETE", "faults")
        self.controls.call("DELETE", "rate_limit")
        self.controls.call("DELETE", "requests")

    def snapshot(self, name: str) -> dict[str, Any]:
        return self.controls.call("POST", "snapshots", {"name": name})

    def snapshots(self) -> list[dict[str, Any]]:
        return list(self.controls.call("GET", "snapshots")["data"])

    def restore(self, name: str) -> dict[str, Any]:
        return self.controls.call("POST", f"snapshots/{urllib.parse.quote(name, safe='')}/restore")

    def delete_snapshot(self, name: str) -> None:
        self.controls.call("DELETE", f"snapshots/{urllib.parse.quote(name, safe='')}")

    def requests(self, **filters: Any) -> list[dict[str, Any]]:
        """The journal's entries, newest first; filters as `GET /_sandbox/requests` takes them
        (method, path, status, location_id, since, limit, offset)."""
        query = urllib.parse.urlencode({k: v for k, v in filters.items() if v is not None})
        return list(self.controls.call("GET", "requests" + (f"?{query}" if query else ""))["data"])

    def fault(self, method: str, path: str, status: int | None = 500, *, delay_ms: int = 0,
              probability: float = 1.0, times: int | None = None) -> dict[str, Any]:
        """Answer matching requests with `status` (and/or delay them) until `times` runs out."""
        body = {"method": method, "path": path, "status": status, "delay_ms": delay_ms,
                "probability": probability, "times": times}
        return self.controls.call("POST", "faults", body)

    def rate_limit(self, per_second: int = 5, per_minute: int = 200, key: str = "ip") -> dict[str, Any]:
        """Throttle API requests as the vendor does; `rate_limit(...)` then `controls.call('DELETE', 'rate_limit')`."""
        return self.controls.call("PUT", "rate_limit", {"enabled": True, "per_second": per_second,
                                                        "per_minute": per_minute, "key": key})

    # Starting and stopping ---------------------------------------------------------------

    def __enter__(self) -> Sandbox:
        self.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.stop()

    def start(self) -> Sandbox:
        import uvicorn

        from altegio_server.api.app import create_app
        from altegio_server.clock import FixedClock
        from altegio_server.config import Settings
        from altegio_server.serving.protocol import GuardedHttpToolsProtocol

        if self.database_url is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="altegio-sandbox-")
            self.database_url = f"sqlite:///{Path(self._tmp.name) / 'sandbox.sqlite3'}"
        self.summary = asyncio.run(_prepare(self.database_url, self.frozen_time, self.schedule))
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        self.base_url = f"http://127.0.0.1:{port}"
        self.controls.base_url = self.base_url
        settings = Settings(database_url=self.database_url, sandbox=True, sandbox_token=self.sandbox_token,
                            host="127.0.0.1", port=port)
        clock = FixedClock(self.frozen_time) if self.frozen_time is not None else None
        config = uvicorn.Config(create_app(settings, clock=clock), http=GuardedHttpToolsProtocol, lifespan="on",
                                log_level="warning", access_log=False, server_header=False)
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._serve, args=(sock,), name="altegio-sandbox", daemon=True)
        self._thread.start()
        self._wait_until_started()
        return self

    def _serve(self, sock: socket.socket) -> None:
        try:
            self._server.run(sockets=[sock])
        except BaseException as exc:  # reported by start() or stop(), in the test's own thread
            self._failure = exc

    def _wait_until_started(self) -> None:
        assert self._thread is not None
        for _ in range(int(START_TIMEOUT * 20)):
            if self._server.started:
                return
            if not self._thread.is_alive():
                break
            time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"the sandbox server did not start: {self._failure!r}")

    def stop(self) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self._server = None
        if self._tmp is not None:
            self._tmp.cleanup()
            self._tmp = None
            self.database_url = None


async def _prepare(url: str, frozen_time: datetime | None, schedule: bool) -> dict[str, Any]:
    """Migrate, add the demo unless it is there (recording it as the baseline), and describe it."""
    from altegio_server.clock import Clock, FixedClock
    from altegio_server.db import open_database
    from altegio_server.db.migrate import upgrade
    from altegio_server.provisioning import demo
    from altegio_server.sandbox.runtime import deps_on_sandbox_clock

    db = open_database(url, pool_size=2)
    await db.connect()
    try:
        await upgrade(db)
        # The demo's timetable around the sandbox's today, if the database's clock was moved (behaviour 19.2).
        deps = await deps_on_sandbox_clock(db, FixedClock(frozen_time) if frozen_time else Clock())
        await demo.seed(deps, schedule=schedule)
        return demo.summary()
    finally:
        await db.close()
