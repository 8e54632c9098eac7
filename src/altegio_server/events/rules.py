"""Rules of group events (behaviour 4.4): durations, capacity, start time, busy messages.

Pure functions: no I/O, no clock. Field errors are keyed by the body field names that both
API versions share (`length`, `technical_break_duration`, `capacity`, `date`).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from altegio_server.colors import HEX_COLOR
from altegio_server.errors import FieldErrors
from altegio_server.timezones import parse_date, parse_local

STEP = 300
MAX_LENGTH = 86400  # the whole event, technical break included
MAX_BREAK = 3600
MAX_CAPACITY = 1_000_000
MIN_YEAR, MAX_YEAR = 1970, 2999

NOT_GROUP = "The service is not available for group event booking"
LENGTH_INVALID = f"The length must be a positive multiple of {STEP} seconds, at most {MAX_LENGTH} seconds"
LENGTH_WITH_BREAK = f"The length with the technical break added must be at most {MAX_LENGTH} seconds"
BREAK_INVALID = f"The technical break must be a multiple of {STEP} seconds from 0 to {MAX_BREAK}"
BREAK_TOO_LONG = "The technical break must be shorter than the length"
CAPACITY_INVALID = f"The capacity must be between 1 and {MAX_CAPACITY}"
COLOR_INVALID = "The color must be in #rrggbb format"
# A date-time problem names the format the server reads (behaviour 13.1).
DATE_FORMAT = "Expected YYYY-MM-DD HH:MM:SS, local time of the location."
DATE_INVALID = f"This value is not a valid datetime. {DATE_FORMAT}"
DATE_MISSING = f"This field is missing. {DATE_FORMAT}"
RESOURCE_UNKNOWN = "Resource instance not found at this location"
LABEL_UNUSABLE = "Tag not found among this location's event and common tags"
PERIOD_IN_PAST = "The start date of the period cannot be earlier than the current time"
PERIOD_ORDER = "The end date of the period must be later than the start date"

_YEAR = re.compile(r"\s*([0-9]{4})-")
_COLOR = re.compile(HEX_COLOR)


def capacity_below_booked(booked: int) -> str:
    return f"The capacity cannot be less than the {booked} seats already booked"


def parse_start(text: str, tz: str) -> int | None:
    """Unix seconds of a local `YYYY-MM-DD HH:MM[:SS]` in zone `tz`; None if malformed or absurd."""
    year = _YEAR.match(text) if isinstance(text, str) else None
    if year is None or not MIN_YEAR <= int(year.group(1)) <= MAX_YEAR:
        return None
    return parse_local(text, tz, allow_minutes=True)


def period_errors(start_from: int | None, start_to: int | None, now: int | None,
                  names: tuple[str, str]) -> FieldErrors:
    """Problems of a search period [start_from, start_to] (None: unreadable); with `now`, the
    period may not start before it. Keyed by the request's names of the two bounds."""
    name_from, name_to = names
    errors: FieldErrors = {}
    if start_from is None:
        errors[name_from] = [DATE_INVALID]
    elif now is not None and start_from < now:
        errors[name_from] = [PERIOD_IN_PAST]
    if start_to is None:
        errors[name_to] = [DATE_INVALID]
    elif start_from is not None and start_to <= start_from:
        errors[name_to] = [PERIOD_ORDER]
    return errors


def durations(length: int, technical_break: int | None, default_break: int) -> tuple[int, int, FieldErrors]:
    """(stored length, technical break, field errors) for a requested length and break.

    A given break is part of `length`; without one (None) the location's default break is
    added to it. The stored length always includes the break, so busy checks cover it.
    """
    errors: FieldErrors = {}
    if length <= 0 or length % STEP or length > MAX_LENGTH:
        errors["length"] = [LENGTH_INVALID]
    if technical_break is None:
        total, brk = length + default_break, default_break
        if not errors and total > MAX_LENGTH:
            errors["length"] = [LENGTH_WITH_BREAK]
        return total, brk, errors
    if technical_break < 0 or technical_break % STEP or technical_break > MAX_BREAK:
        errors["technical_break_duration"] = [BREAK_INVALID]
    elif not errors and technical_break >= length:
        errors["technical_break_duration"] = [BREAK_TOO_LONG]
    return length, technical_break, errors


def capacity_errors(capacity: int) -> FieldErrors:
    return {} if 1 <= capacity <= MAX_CAPACITY else {"capacity": [CAPACITY_INVALID]}


def color_errors(color: str) -> FieldErrors:
    """`#rrggbb`, or "" for no colour."""
    return {} if not color or _COLOR.fullmatch(color) else {"color": [COLOR_INVALID]}


def busy_message(staff_name: str | None, instance_titles: list[str]) -> str:
    """Names what is taken: `The team member "Eva" and the resource instance "Room A" are busy ...`."""
    parts = []
    if staff_name is not None:
        parts.append(f'the team member "{staff_name}"')
    if len(instance_titles) == 1:
        parts.append(f'the resource instance "{instance_titles[0]}"')
    elif instance_titles:
        parts.append("the resource instances " + ", ".join(f'"{t}"' for t in instance_titles))
    verb = "is" if len(parts) == 1 and len(instance_titles) <= 1 else "are"
    text = " and ".join(parts)
    return f"{text[0].upper()}{text[1:]} {verb} busy at this time"


def like_pattern(text: str) -> str:
    """A LIKE pattern matching `text` anywhere, with the user's % and _ taken literally (escape `\\`)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def local_days(first: str, count: int, tz: str) -> list[tuple[str, int, int]]:
    """`count` local dates from `first` (`YYYY-MM-DD`), each with the Unix seconds of its first
    moment and of the next day's: a day lasts 23 or 25 hours when the clocks change in it."""
    day = date.fromisoformat(first)
    days = []
    for _ in range(count):
        following = day + timedelta(days=1)
        start, end = parse_date(day.isoformat(), tz), parse_date(following.isoformat(), tz)
        assert start is not None and end is not None
        days.append((day.isoformat(), start, end))
        day = following
    return days


def title_matches(title: str, term: str) -> bool:
    """Does `term` occur in `title`, ignoring case (any alphabet) and surrounding spaces?"""
    return term.strip().casefold() in title.casefold()
