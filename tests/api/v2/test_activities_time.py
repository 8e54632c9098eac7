"""v2 group events: each location's own time zone, daylight-saving changes included (behaviour 1.5)."""

from __future__ import annotations

import pytest

from tests.conftest import NEW_YORK, PRAGUE
from tests.event_factories import create_event, event_body, events_path

HOUR = 3600


@pytest.mark.parametrize("location, day, date, timestamp", [
    # Europe: clocks go forward on the last Sunday of March, back on the last Sunday of October.
    (PRAGUE, "2027-03-27", "2027-03-27T09:00:00+0100", 1806134400),
    (PRAGUE, "2027-03-28", "2027-03-28T09:00:00+0200", 1806217200),
    (PRAGUE, "2027-10-30", "2027-10-30T09:00:00+0200", 1824879600),
    (PRAGUE, "2027-10-31", "2027-10-31T09:00:00+0100", 1824969600),
    # United States: forward on the second Sunday of March, back on the first Sunday of November.
    (NEW_YORK, "2027-03-13", "2027-03-13T09:00:00-0500", 1804946400),
    (NEW_YORK, "2027-03-14", "2027-03-14T09:00:00-0400", 1805029200),
    (NEW_YORK, "2027-11-06", "2027-11-06T09:00:00-0400", 1825506000),
    (NEW_YORK, "2027-11-07", "2027-11-07T09:00:00-0500", 1825596000),
])
def test_nine_oclock_stays_nine_oclock_around_a_clock_change(api, location, day, date, timestamp):
    created = create_event(api, location, date=f"{day} 09:00:00")
    attributes = api.get(events_path(location, created["id"])).json()["data"]["attributes"]
    assert (attributes["date"], attributes["timestamp"], attributes["datetime"]) == (date, timestamp,
                                                                                      f"{day} 09:00:00")


def test_the_spring_day_is_23_hours_long_and_the_autumn_day_25(api):
    def timestamp(location, day):
        return create_event(api, location, date=f"{day} 09:00:00", force=True)["attributes"]["timestamp"]

    assert timestamp(PRAGUE, "2027-03-28") - timestamp(PRAGUE, "2027-03-27") == 23 * HOUR
    assert timestamp(PRAGUE, "2027-10-31") - timestamp(PRAGUE, "2027-10-30") == 25 * HOUR
    assert timestamp(NEW_YORK, "2027-03-14") - timestamp(NEW_YORK, "2027-03-13") == 23 * HOUR
    assert timestamp(NEW_YORK, "2027-11-07") - timestamp(NEW_YORK, "2027-11-06") == 25 * HOUR


def test_one_wall_clock_time_is_a_different_instant_in_each_location(api):
    prague = create_event(api, PRAGUE, date="2027-01-15 09:00:00")["attributes"]
    new_york = create_event(api, NEW_YORK, date="2027-01-15 09:00:00")["attributes"]
    assert (prague["date"], prague["timestamp"]) == ("2027-01-15T09:00:00+0100", 1800000000)
    assert (new_york["date"], new_york["timestamp"]) == ("2027-01-15T09:00:00-0500", 1800021600)


def test_a_time_skipped_by_the_spring_change_is_read_with_the_offset_before_it(api):
    # 02:30 does not exist in Prague on 2027-03-28; read as 02:30 +0100, it is 03:30 +0200.
    attributes = create_event(api, date="2027-03-28 02:30:00")["attributes"]
    assert (attributes["date"], attributes["timestamp"]) == ("2027-03-28T03:30:00+0200", 1806197400)


def test_a_time_repeated_by_the_autumn_change_means_its_first_occurrence(api):
    attributes = create_event(api, date="2027-10-31 02:30:00")["attributes"]
    assert (attributes["date"], attributes["timestamp"]) == ("2027-10-31T02:30:00+0200", 1824942600)


def test_an_event_over_the_autumn_change_lasts_its_real_duration(api):
    # Three hours from 01:00 +0200 end at 03:00 +0100 on the wall clock: the hour 02:00-03:00 repeats.
    create_event(api, date="2027-10-31 01:00:00", length=3 * HOUR, technical_break_duration=0)
    one_hour = {"length": HOUR, "technical_break_duration": 0}
    assert api.post(events_path(), json=event_body(date="2027-10-31 02:50:00", **one_hour)).status_code == 409
    r = api.post(events_path(), json=event_body(date="2027-10-31 03:00:00", **one_hour))
    assert (r.status_code, r.json()["data"]["attributes"]["date"]) == (201, "2027-10-31T03:00:00+0100")


def test_the_list_period_is_read_in_the_location_zone_on_a_clock_change_day(api):
    created = create_event(api, NEW_YORK, date="2027-03-14 09:00:00")
    r = api.get(events_path(NEW_YORK) + "?filter[from]=2027-03-14 00:00:00&filter[to]=2027-03-14 09:00:00")
    assert [e["id"] for e in r.json()["data"]] == [created["id"]]
    r = api.get(events_path(NEW_YORK) + "?filter[from]=2027-03-14 09:00:01&filter[to]=2027-03-14 23:59:59")
    assert r.json()["data"] == []
