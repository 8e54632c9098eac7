"""The one source of "now". Services take a clock; nothing else calls datetime.now()."""

from __future__ import annotations

import time
from datetime import datetime, timezone


class Clock:
    """The system clock."""

    def timestamp(self) -> int:
        return int(time.time())

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.timestamp(), tz=timezone.utc)


class FixedClock(Clock):
    """A clock that stands still until moved; for tests and sandboxes."""

    def __init__(self, at: datetime | int) -> None:
        self.set(at)

    def set(self, at: datetime | int) -> None:
        if isinstance(at, datetime):
            if at.tzinfo is None:
                raise ValueError("FixedClock needs an aware datetime")
            at = int(at.timestamp())
        self._ts = int(at)

    def advance(self, seconds: int) -> None:
        self._ts += seconds

    def timestamp(self) -> int:
        return self._ts


def clock_from_setting(frozen_time: str | None) -> Clock:
    if not frozen_time:
        return Clock()
    return FixedClock(datetime.fromisoformat(frozen_time))


def wall_time() -> float:
    """Real seconds since the epoch, for timers that run in real time whatever the API's clock
    says (a frozen or moved clock must not stop webhook deliveries, behaviour 20.4)."""
    return time.time()
