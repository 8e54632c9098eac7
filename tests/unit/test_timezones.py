"""Wall-clock text in a location's zone <-> Unix seconds, across daylight-saving changes."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from altegio_server.timezones import iso_offset, iso_offset_colon, local_date, local_text, parse_date, parse_local


def utc(*parts: int) -> int:
    return int(datetime(*parts, tzinfo=timezone.utc).timestamp())


@pytest.mark.parametrize("text, tz, expected", [
    ("2027-01-15 09:00:00", "Europe/Prague", utc(2027, 1, 15, 8)),
    ("2027-07-15 09:00:00", "Europe/Prague", utc(2027, 7, 15, 7)),
    ("2027-01-15 09:00:00", "America/New_York", utc(2027, 1, 15, 14)),
    ("2027-01-15T09:00:00", "UTC", utc(2027, 1, 15, 9)),
    (" 2027-01-15 09:00:00 ", "UTC", utc(2027, 1, 15, 9)),
    ("2028-02-29 23:59:59", "Asia/Tokyo", utc(2028, 2, 29, 14, 59, 59)),
])
def test_local_text_is_read_in_the_zone(text, tz, expected):
    assert parse_local(text, tz) == expected


def test_minutes_only_when_allowed():
    assert parse_local("2027-01-15 09:00", "UTC") is None
    assert parse_local("2027-01-15 09:00", "UTC", allow_minutes=True) == utc(2027, 1, 15, 9)


@pytest.mark.parametrize("text", ["", "2027-13-01 00:00:00", "2027-02-30 10:00:00", "2027-01-15 24:00:00",
                                  "2027-01-15 09:60:00", "15.01.2027 09:00:00", "2027-01-15", None, 20270115,
                                  "2027-01-15 09:00:00+02:00", "0000-01-01 00:00:00"])
def test_malformed_text_is_none(text):
    assert parse_local(text, "Europe/Prague") is None


def test_a_time_skipped_by_the_spring_change_uses_the_offset_before_it():
    # Prague jumps from 02:00 CET to 03:00 CEST on 2027-03-28.
    assert parse_local("2027-03-28 02:30:00", "Europe/Prague") == utc(2027, 3, 28, 1, 30)
    assert local_text(utc(2027, 3, 28, 1, 30), "Europe/Prague") == "2027-03-28 03:30:00"


def test_a_time_repeated_by_the_autumn_change_means_the_first_one():
    # New York repeats 01:00-02:00 on 2027-11-07 (EDT, then EST).
    assert parse_local("2027-11-07 01:30:00", "America/New_York") == utc(2027, 11, 7, 5, 30)


def test_an_event_on_the_day_clocks_change_keeps_its_wall_clock_start():
    ts = parse_local("2027-03-28 09:00:00", "Europe/Prague")
    assert ts == utc(2027, 3, 28, 7)
    assert iso_offset(ts, "Europe/Prague") == "2027-03-28T09:00:00+0200"
    assert iso_offset(utc(2027, 3, 27, 8), "Europe/Prague") == "2027-03-27T09:00:00+0100"


def test_formats():
    ts = utc(2027, 1, 15, 8)
    assert local_text(ts, "Europe/Prague") == "2027-01-15 09:00:00"
    assert local_date(ts, "America/New_York") == "2027-01-15"
    assert iso_offset(ts, "America/New_York") == "2027-01-15T03:00:00-0500"
    assert iso_offset_colon(ts, "Europe/Prague") == "2027-01-15T09:00:00+01:00"
    assert iso_offset(ts, "Asia/Kolkata") == "2027-01-15T13:30:00+0530"


def test_dates_start_at_local_midnight():
    assert parse_date("2027-01-15", "Europe/Prague") == utc(2027, 1, 14, 23)
    assert parse_date("2027-02-30", "UTC") is None
    assert parse_date("2027-01-15 00:00:00", "UTC") is None
