"""Wall-clock time in a location's zone <-> Unix seconds (behaviour 1.5). Pure functions."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

_LOCAL = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})[ T]([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")  # ASCII digits only
_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


@lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def parse_local(text: str, tz: str, allow_minutes: bool = False) -> int | None:
    """Unix seconds for `YYYY-MM-DD HH:MM:SS` (and `HH:MM` if allowed) in zone `tz`; None if malformed.

    A wall-clock time skipped by a daylight-saving jump is read with the offset before the jump;
    a repeated one means its first occurrence.
    """
    match = _LOCAL.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match or (match.group(6) is None and not allow_minutes):
        return None
    year, month, day, hour, minute = (int(match.group(i)) for i in range(1, 6))
    second = int(match.group(6) or 0)
    try:
        local = datetime(year, month, day, hour, minute, second, tzinfo=zone(tz))
    except ValueError:
        return None
    return int(local.timestamp())


def parse_date(text: str, tz: str) -> int | None:
    """Unix seconds of local midnight starting `YYYY-MM-DD`; None if malformed."""
    match = _DATE.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match:
        return None
    try:
        local = datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)), tzinfo=zone(tz))
    except ValueError:
        return None
    return int(local.timestamp())


def local(ts: int, tz: str) -> datetime:
    return datetime.fromtimestamp(ts, tz=timezone.utc).astimezone(zone(tz))


@lru_cache(maxsize=8192)
def local_text(ts: int, tz: str) -> str:
    """`YYYY-MM-DD HH:MM:SS` in the zone, no offset."""
    return local(ts, tz).strftime("%Y-%m-%d %H:%M:%S")


@lru_cache(maxsize=8192)
def local_date(ts: int, tz: str) -> str:
    return local(ts, tz).strftime("%Y-%m-%d")


@lru_cache(maxsize=8192)
def iso_offset(ts: int, tz: str) -> str:
    """`2027-01-15T09:00:00+0200`: local time with a colon-less offset (v2 event `date`)."""
    return local(ts, tz).strftime("%Y-%m-%dT%H:%M:%S%z")


@lru_cache(maxsize=8192)
def iso_offset_colon(ts: int, tz: str) -> str:
    """`2027-01-15T09:00:00+02:00`: ISO 8601 with a colon in the offset (v1 event `date`)."""
    return local(ts, tz).isoformat()
