"""The sandbox's clock: the server's own clock, moved by an offset or frozen (behaviour 19.2).

The state is the database's (`sandbox_state`), so that every server process tells the same
time; each request reads it before it runs (`Sandbox.refresh`), and this clock answers from
what was read. Pure arithmetic lives here; the reading and writing in `state.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from altegio_server.clock import Clock


@dataclass(frozen=True)
class ClockState:
    offset: int = 0  # seconds added to the base clock while time runs
    frozen_at: int | None = None  # the instant time stands at, when frozen

    @property
    def frozen(self) -> bool:
        return self.frozen_at is not None

    def now(self, base: int) -> int:
        """The sandbox's "now" (Unix seconds) when the base clock says `base`."""
        return self.frozen_at if self.frozen_at is not None else base + self.offset

    def offset_from(self, base: int) -> int:
        """How far the sandbox's "now" is from the base clock's, frozen or not."""
        return self.now(base) - base


def set_to(at: int, frozen: bool, base: int) -> ClockState:
    """The state whose "now" is `at`: standing there, or running on from there."""
    return ClockState(frozen_at=at) if frozen else ClockState(offset=at - base)


def advanced(state: ClockState, seconds: int) -> ClockState:
    """The state `seconds` later, frozen or running as before."""
    if state.frozen_at is not None:
        return ClockState(frozen_at=state.frozen_at + seconds)
    return ClockState(offset=state.offset + seconds)


class SandboxClock(Clock):
    """The server's clock seen through the sandbox's state; `base` is real time, or the fixed
    instant of `ALTEGIO_FROZEN_TIME`."""

    def __init__(self, base: Clock) -> None:
        self.base = base
        self.state = ClockState()

    def timestamp(self) -> int:
        return self.state.now(self.base.timestamp())


def shown(state: ClockState, base: int) -> dict[str, Any]:
    """The clock as `GET /_sandbox/clock` and `sandbox clock get` show it, the base clock saying `base`."""
    now = datetime.fromtimestamp(state.now(base), tz=timezone.utc)
    return {"now": now.isoformat(), "frozen": state.frozen, "offset_seconds": state.offset_from(base)}


MAX_ADVANCE = 100 * 366 * 86400  # a century either way keeps every date inside what the API accepts
MIN_YEAR, MAX_YEAR = 1970, 9998
INSTANT_FORMAT = "ISO 8601 with an offset, e.g. 2027-01-15T09:00:00+01:00"


def parse_instant(text: str) -> int | None:
    """Unix seconds of an ISO 8601 date-time with an offset (fractions dropped); None if it is not one."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return None
    if at.tzinfo is None or not MIN_YEAR <= at.year <= MAX_YEAR:
        return None
    return int(at.timestamp())
