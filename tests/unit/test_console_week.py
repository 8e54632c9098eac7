"""The week grid's arithmetic (behaviour 21.3)."""

from __future__ import annotations

from datetime import date

import pytest

from altegio_server.colors import luminance, safe_color, text_color
from altegio_server.console.week import day_start, hours, lay_out, monday_of, parse_day, week_bounds
from altegio_server.timezones import parse_local

TZ = "Europe/Prague"


def _event(event_id: int, start: str, minutes: int, tz: str = TZ) -> dict:
    return {"id": event_id, "start_ts": parse_local(start, tz), "length": minutes * 60}


@pytest.mark.parametrize("text, expected", [
    ("2027-01-13", date(2027, 1, 13)), ("2024-02-29", date(2024, 2, 29)),
    ("2027-02-29", None), ("2027-1-3", None), ("", None), (None, None), ("2027-01-13T00:00", None),
    ("２０２７-01-13", None),
])
def test_parse_day(text: str | None, expected: date | None) -> None:
    assert parse_day(text) == expected


def test_a_week_runs_monday_to_monday_in_local_time() -> None:
    assert monday_of(date(2027, 1, 10)) == date(2027, 1, 4)  # a Sunday
    assert monday_of(date(2027, 1, 11)) == date(2027, 1, 11)
    start, end = week_bounds(date(2027, 1, 4), TZ)
    assert (start, end) == (parse_local("2027-01-04 00:00:00", TZ), parse_local("2027-01-11 00:00:00", TZ))
    # The week the clocks go forward is an hour short; the week they go back, an hour long.
    spring = week_bounds(date(2027, 3, 22), TZ)
    autumn = week_bounds(date(2027, 10, 25), TZ)
    assert spring[1] - spring[0] == 7 * 86400 - 3600
    assert autumn[1] - autumn[0] == 7 * 86400 + 3600
    assert day_start(date(2027, 3, 28), "America/New_York") == parse_local("2027-03-28 00:00:00", "America/New_York")


def test_events_sit_in_the_day_they_start_cut_at_midnight() -> None:
    days = lay_out([_event(1, "2027-01-05 09:15:00", 60), _event(2, "2027-01-10 23:30:00", 90),
                    _event(3, "2027-01-11 09:00:00", 60), _event(4, "2027-01-03 09:00:00", 60)],
                   date(2027, 1, 4), TZ)
    assert [[(b.event["id"], b.start, b.end) for b in day] for day in days] == [
        [], [(1, 555, 615)], [], [], [], [], [(2, 1410, 1440)]]


def test_overlapping_events_take_lanes_and_share_the_clusters_width() -> None:
    days = lay_out([_event(1, "2027-01-04 09:00:00", 60), _event(2, "2027-01-04 09:30:00", 60),
                    _event(3, "2027-01-04 10:00:00", 60), _event(4, "2027-01-04 12:00:00", 30),
                    _event(5, "2027-01-04 09:45:00", 5)], date(2027, 1, 4), TZ)
    placed = {b.event["id"]: (b.lane, b.lanes) for b in days[0]}
    # 1, 2, 5 and 3 overlap in a chain: 1 and 3 share lane 0, 2 has lane 1, 5 lane 2.
    assert placed == {1: (0, 3), 2: (1, 3), 5: (2, 3), 3: (0, 3), 4: (0, 1)}


def test_the_grid_shows_eight_to_eight_widened_to_every_event() -> None:
    assert hours([[] for _ in range(7)]) == (8, 20)
    days = lay_out([_event(1, "2027-01-04 06:30:00", 30), _event(2, "2027-01-06 21:15:00", 120)],
                   date(2027, 1, 4), TZ)
    assert hours(days) == (6, 24)


@pytest.mark.parametrize("stored, shown", [
    ("#1E88E5", "#1e88e5"), ("1e88e5", "#1e88e5"), ("", None), (None, None),
    ("red", None), ("#1e88e5;background:url(x)", None), ("#12345", None),
])
def test_only_a_hex_colour_reaches_a_style(stored: str | None, shown: str | None) -> None:
    assert safe_color(stored) == shown


def _contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.mark.parametrize("background, text", [
    ("#000000", "#ffffff"), ("#ffffff", "#000000"), ("#14213d", "#ffffff"), ("#ffeb3b", "#000000"),
    ("#2196f3", "#000000"), ("#4caf50", "#000000"), ("#f44336", "#000000"), ("#9c27b0", "#ffffff"),
])
def test_event_text_is_black_or_white_by_contrast(background: str, text: str) -> None:
    assert text_color(background) == text


def test_every_colour_gets_text_of_at_least_aa_contrast() -> None:
    steps = range(0, 256, 17)
    worst = min(_contrast(f"#{r:02x}{g:02x}{b:02x}", text_color(f"#{r:02x}{g:02x}{b:02x}"))
                for r in steps for g in steps for b in steps)
    assert worst >= 4.5
