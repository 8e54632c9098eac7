"""Rules of series of group events (behaviour 17): repeat modes, the dates a rule gives, and
the bound on a series. Pure functions: no I/O, no clock."""

from __future__ import annotations

import re
from datetime import date, timedelta
from itertools import islice
from typing import Iterator

from altegio_server.errors import FieldErrors
from altegio_server.events.rules import MAX_YEAR, MIN_YEAR
from altegio_server.series.models import RepeatRule

# The most events one request may create (behaviour 17.4): a year of daily classes.
MAX_SERIES = 366
MAX_INTERVAL = 365
DAILY, WEEKDAYS, MON_WED_FRI, TUE_THU, WEEKLY, MONTHLY, YEARLY = range(1, 8)
REPEAT_MODES = {DAILY: "Daily", WEEKDAYS: "Weekdays", MON_WED_FRI: "Mon Wed Fri", TUE_THU: "Tue Thu",
                WEEKLY: "Every week", MONTHLY: "Every month", YEARLY: "Every year"}
# Fixed weekdays of modes 2-4, in Python's numbering (Monday 0 .. Sunday 6).
_FIXED_DAYS = {WEEKDAYS: (0, 1, 2, 3, 4), MON_WED_FRI: (0, 2, 4), TUE_THU: (1, 3)}
WITHOUT_APPOINTMENTS, WITH_APPOINTMENTS = 1, 2

DAY_FORMAT = "Expected YYYY-MM-DD, a local date of the location."
DAY_INVALID = f"This value is not a valid date. {DAY_FORMAT}"
TILL_BEFORE_FROM = "The end of the period must not be earlier than its start"
END_MISSING = "Give the end of the period (till) or the number of events (count)"
TOO_MANY = f"A series may have at most {MAX_SERIES} events"
NO_DATES = "No date of the period matches the repeat rule"
HOW_MISSING = "Give dates, duplication_strategy_id or repeat_mode_id"

_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def read_day(text: str) -> date | None:
    """A `YYYY-MM-DD` within the years events may have; None if it is not one."""
    if not _DAY.fullmatch(text):
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if MIN_YEAR <= day.year <= MAX_YEAR else None


def period_errors(first: str, last: str, count: int | None) -> FieldErrors:
    """Problems of a rule's period: `from` and (if given) `till` readable and in order, and an end."""
    errors: FieldErrors = {}
    start, end = read_day(first), read_day(last) if last else None
    if start is None:
        errors["from"] = [DAY_INVALID]
    if last and end is None:
        errors["till"] = [DAY_INVALID]
    elif start is not None and end is not None and end < start:
        errors["till"] = [TILL_BEFORE_FROM]
    if not last and count is None:
        errors["till"] = [END_MISSING]
    return errors


def series_dates(rule: RepeatRule, first: date, last: date | None, count: int | None) -> list[date] | None:
    """The dates the rule gives from `first` to `last` (both included), at most `count` of them;
    None if there are more than MAX_SERIES."""
    wanted = MAX_SERIES + 1 if count is None else min(count, MAX_SERIES + 1)
    days = _candidates(rule, first)
    found = list(islice(days if last is None else _until(days, last), wanted))
    return None if len(found) > MAX_SERIES else found


def _until(days: Iterator[date], last: date) -> Iterator[date]:
    for day in days:
        if day > last:
            return
        yield day


def _candidates(rule: RepeatRule, first: date) -> Iterator[date]:
    """Every date the rule gives from `first` on, in order, up to the last year events may have."""
    step = rule.interval + 1
    if rule.mode == DAILY:
        yield from _stepped(first, timedelta(days=step))
    elif rule.mode == MONTHLY:
        yield from _monthly(first, step)
    elif rule.mode == YEARLY:
        yield from _monthly(first, 12 * step)
    else:
        weekdays = _FIXED_DAYS.get(rule.mode) or tuple(sorted({(d - 1) % 7 for d in rule.days})) \
            or (first.weekday(),)
        yield from _weekly(first, weekdays, step if rule.mode == WEEKLY else 1)


def _stepped(first: date, step: timedelta) -> Iterator[date]:
    day = first
    while day.year <= MAX_YEAR:
        yield day
        if (date.max - day) < step:
            return
        day += step


def _weekly(first: date, weekdays: tuple[int, ...], step: int) -> Iterator[date]:
    """The weekdays of every `step`-th week (Monday to Sunday), counted from `first`'s week."""
    for monday in _stepped(first - timedelta(days=first.weekday()), timedelta(weeks=step)):
        for weekday in weekdays:
            day = monday + timedelta(days=weekday)
            if first <= day and day.year <= MAX_YEAR:
                yield day


def _monthly(first: date, months: int) -> Iterator[date]:
    """`first`'s day of every `months`-th month; a month without that day is left out."""
    index = first.year * 12 + first.month - 1
    while index // 12 <= MAX_YEAR:
        try:
            yield date(index // 12, index % 12 + 1, first.day)
        except ValueError:
            pass
        index += months


def local_start(day: date, hour: int, minute: int, second: int) -> str:
    """The local wall-clock text the events service reads."""
    return f"{day.isoformat()} {hour:02}:{minute:02}:{second:02}"
