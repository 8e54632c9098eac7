"""Local days of a location (events.rules.local_days, title_matches): pure functions."""

from __future__ import annotations

from altegio_server.events.rules import local_days, title_matches


def test_a_day_is_24_hours_from_local_midnight():
    assert local_days("2027-01-15", 2, "Europe/Prague") == [
        ("2027-01-15", 1799967600, 1800054000),  # 2027-01-14 23:00 UTC .. 2027-01-15 23:00 UTC
        ("2027-01-16", 1800054000, 1800054000 + 86400),
    ]


def test_the_days_clocks_change_last_23_and_25_hours():
    spring, = local_days("2027-03-28", 1, "Europe/Prague")
    autumn, = local_days("2027-10-31", 1, "Europe/Prague")
    assert spring[2] - spring[1] == 23 * 3600
    assert autumn[2] - autumn[1] == 25 * 3600


def test_days_run_across_months_and_leap_days():
    assert [day for day, _, _ in local_days("2028-02-28", 3, "America/New_York")] == [
        "2028-02-28", "2028-02-29", "2028-03-01"]


def test_a_title_matches_in_any_case_and_alphabet():
    assert title_matches("Morning Yoga", " YOGA ")
    assert title_matches("Утренняя ЙОГА", "йога")
    assert title_matches("Anything", "")
    assert not title_matches("Pilates", "yoga")
