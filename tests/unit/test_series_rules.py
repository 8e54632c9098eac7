"""The dates a repeat rule gives (behaviour 17.3), and the bound on a series (17.4)."""

from __future__ import annotations

from datetime import date

from altegio_server.series.models import RepeatRule
from altegio_server.series.rules import MAX_SERIES, period_errors, series_dates


def days(*texts: str) -> list[date]:
    return [date.fromisoformat(t) for t in texts]


def test_the_vendors_weekly_example_repeats_monday_and_thursday_of_every_third_week():
    rule = RepeatRule(5, (1, 4), 2)
    assert series_dates(rule, date(2027, 1, 11), date(2027, 2, 5), None) == \
        days("2027-01-11", "2027-01-14", "2027-02-01", "2027-02-04")


def test_weekly_without_days_repeats_on_the_weekday_of_from_and_never_before_it():
    assert series_dates(RepeatRule(5), date(2027, 1, 15), None, 3) == days("2027-01-15", "2027-01-22", "2027-01-29")
    assert series_dates(RepeatRule(5, (1, 5)), date(2027, 1, 13), None, 3) == \
        days("2027-01-15", "2027-01-18", "2027-01-22")


def test_fixed_weekday_modes_ignore_the_interval():
    assert series_dates(RepeatRule(2, (), 5), date(2027, 1, 15), date(2027, 1, 19), None) == \
        days("2027-01-15", "2027-01-18", "2027-01-19")
    assert series_dates(RepeatRule(3), date(2027, 1, 12), None, 3) == days("2027-01-13", "2027-01-15", "2027-01-18")
    assert series_dates(RepeatRule(4), date(2027, 1, 12), None, 3) == days("2027-01-12", "2027-01-14", "2027-01-19")


def test_daily_leaves_interval_days_out_between_repeats():
    assert series_dates(RepeatRule(1, (), 2), date(2027, 1, 30), None, 3) == days("2027-01-30", "2027-02-02",
                                                                                 "2027-02-05")


def test_a_month_or_year_without_the_day_is_left_out_not_moved():
    assert series_dates(RepeatRule(6), date(2027, 1, 31), date(2027, 6, 30), None) == \
        days("2027-01-31", "2027-03-31", "2027-05-31")
    assert series_dates(RepeatRule(7), date(2028, 2, 29), None, 2) == days("2028-02-29", "2032-02-29")


def test_the_first_end_reached_stops_the_series():
    assert series_dates(RepeatRule(1), date(2027, 1, 1), date(2027, 1, 3), 10) == \
        days("2027-01-01", "2027-01-02", "2027-01-03")
    assert series_dates(RepeatRule(1), date(2027, 1, 1), date(2027, 1, 30), 2) == days("2027-01-01", "2027-01-02")


def test_more_dates_than_a_series_may_have_is_none_and_a_far_end_is_walked_only_that_far():
    assert len(series_dates(RepeatRule(1), date(2027, 1, 1), None, MAX_SERIES) or []) == MAX_SERIES
    assert series_dates(RepeatRule(1), date(2027, 1, 1), date(2999, 12, 31), None) is None
    sparse = series_dates(RepeatRule(7, (), 365), date(2027, 1, 1), date(2999, 12, 31), None)
    assert sparse == days("2027-01-01", "2393-01-01", "2759-01-01")


def test_a_period_needs_a_readable_start_an_end_in_order_and_some_end():
    assert period_errors("2027-01-01", "", 3) == {}
    assert period_errors("2027-01-01", "2026-12-31", None) == {
        "till": ["The end of the period must not be earlier than its start"]}
    assert set(period_errors("1969-12-31", "", None)) == {"from", "till"}
