"""A location's week in the console (behaviour 21.3)."""

from __future__ import annotations

import re

from tests.conftest import NEW_YORK, PRAGUE
from tests.console.conftest import Browser
from tests.factories import execute, make_event

WEEK = "/console/locations/101/week"


def _day(html: str, index: int) -> str:
    """The markup of one day's column (0 = Monday)."""
    found = re.search(rf'<section class="day[^"]*" aria-labelledby="day-{index}">(.*?)</section>', html, re.S)
    assert found, f"no day {index}"
    return found.group(1)


def _events(html: str) -> list[str]:
    """Each event's visible text, squeezed to single spaces."""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", e)).strip().replace(" –", "–")
            for e in re.findall(r'<li class="event[^"]*".*?</li>', html, re.S)]


def test_the_week_shows_each_event_in_its_day_in_the_locations_zone(owner: Browser, database_url: str) -> None:
    # NOW is Sunday 2027-01-10 12:00 UTC: this week runs Monday 4 to Sunday 10 January.
    execute(database_url, "UPDATE events SET deleted = TRUE")
    yoga = make_event(database_url, start="2027-01-05 09:00:00", capacity=12, clients_count=7)
    full = make_event(database_url, start="2027-01-10 18:30:00", capacity=2, clients_count=2, length=5400)
    gone = make_event(database_url, start="2027-01-10 07:00:00", capacity=5, deleted=True)
    r = owner.get(WEEK)
    assert r.status_code == 200
    assert "<title>Week of 2027-01-04 — Demo Studio Prague · Altegio server console</title>" in r.text
    assert "Times are in <strong>Europe/Prague</strong>, the location's time zone." in r.text
    staff, service = PRAGUE["team"][0]["name"], PRAGUE["services"][0]["title"]
    assert _events(_day(r.text, 1)) == [f"09:00–10:00 Seats: 7/12 {service} {staff} Past"]
    assert _events(_day(r.text, 6)) == [f"07:00–08:00 Seats: 0/5 {service} {staff} Deleted",
                                        f"18:30–20:00 Seats: 2/2 {service} {staff} Full"]
    for event_id in (yoga, full, gone):
        assert f'href="/console/locations/101/events/{event_id}"' in r.text
    assert "No events" in _day(r.text, 0)
    assert re.findall(r'<li class="([^"]*)"', r.text) == ["event past", "event deleted past", "event full"]


def test_each_event_is_in_its_colour_and_a_colour_is_never_anything_else(owner: Browser, database_url: str) -> None:
    event_id = make_event(database_url, start="2027-01-07 10:00:00")
    execute(database_url, "UPDATE events SET color = '#1e88e5', font_color = '#ffffff' WHERE id = $1", event_id)
    dark = make_event(database_url, start="2027-01-07 14:00:00")
    execute(database_url, "UPDATE events SET color = '#14213d' WHERE id = $1", dark)
    other = make_event(database_url, start="2027-01-07 12:00:00")
    execute(database_url, "UPDATE events SET color = 'red;background:url(x)' WHERE id = $1", other)
    r = owner.get(WEEK)
    # The text is black or white by contrast, not the API's font_color (white on this blue is 3.7:1).
    assert "--event: #1e88e5; --event-text: #000000;" in r.text
    assert "--event: #14213d; --event-text: #ffffff;" in r.text
    assert "url(x)" not in r.text


def test_overlapping_events_share_the_column(owner: Browser, database_url: str) -> None:
    execute(database_url, "UPDATE events SET deleted = TRUE")
    make_event(database_url, start="2027-01-06 09:00:00", staff_id=PRAGUE["staff_ids"][0])
    make_event(database_url, start="2027-01-06 09:30:00", staff_id=PRAGUE["staff_ids"][1])
    day = _day(owner.get(WEEK).text, 2)
    assert day.count("left: 0.00%; width: 50.00%;") == 1 and day.count("left: 50.00%; width: 50.00%;") == 1


def test_start_picks_the_week_holding_it_and_the_links_move_a_week(owner: Browser, database_url: str) -> None:
    make_event(database_url, start="2027-01-20 09:00:00")
    r = owner.get(WEEK + "?start=2027-01-21")
    assert "Week of 2027-01-18" in r.text
    assert 'href="?start=2027-01-11" rel="prev"' in r.text and 'href="?start=2027-01-25" rel="next"' in r.text
    assert 'href="?">Today</a>' in r.text
    assert len(_events(_day(r.text, 2))) == 1


def test_a_start_that_is_no_date_is_named_next_to_its_field(owner: Browser) -> None:
    for bad in ("2027-02-30", "tomorrow", "2027-1-5"):
        r = owner.get(WEEK + "?start=" + bad)
        assert r.status_code == 400
        assert '<p class="field-error" id="start-error">Enter a date as YYYY-MM-DD.</p>' in r.text
        assert "Week of 2027-01-04" in r.text  # this week instead


def test_filters_by_team_member_and_service_and_the_links_keep_them(owner: Browser, database_url: str) -> None:
    execute(database_url, "UPDATE events SET deleted = TRUE")
    first, second = PRAGUE["staff_ids"][:2]
    make_event(database_url, start="2027-01-05 09:00:00", staff_id=first)
    make_event(database_url, start="2027-01-05 11:00:00", staff_id=second)
    r = owner.get(f"{WEEK}?staff_id={second}")
    assert [e[:5] for e in _events(r.text)] == ["11:00"]
    assert f'<option value="{second}" selected>' in r.text
    assert f'href="?start=2027-01-11&amp;staff_id={second}" rel="next"' in r.text
    service = PRAGUE["group_service_ids"][0]
    assert len(_events(owner.get(f"{WEEK}?service_id={service}").text)) == 2
    # Another location's team member, or no id at all, filters nothing.
    for junk in (NEW_YORK["staff_ids"][0], "abc", "99999999999999999999999"):
        assert len(_events(owner.get(f"{WEEK}?staff_id={junk}").text)) == 2


def test_another_locations_events_stay_out(owner: Browser, database_url: str) -> None:
    execute(database_url, "UPDATE events SET deleted = TRUE")
    make_event(database_url, location_id=NEW_YORK["id"], staff_id=NEW_YORK["staff_ids"][0],
               service_id=NEW_YORK["group_service_ids"][0], start="2027-01-05 09:00:00")
    assert _events(owner.get(WEEK).text) == []
    assert len(_events(owner.get("/console/locations/102/week").text)) == 1


def test_names_holding_html_are_shown_as_text(owner: Browser, database_url: str) -> None:
    make_event(database_url, start="2027-01-05 09:00:00")
    execute(database_url, "UPDATE services SET title = '<script>alert(1)</script>' WHERE id = $1",
            PRAGUE["group_service_ids"][0])
    execute(database_url, "UPDATE staff SET name = '<img src=x onerror=alert(2)>' WHERE id = $1",
            PRAGUE["staff_ids"][0])
    r = owner.get(WEEK)
    assert "<script>alert(1)" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in r.text and "&lt;img src=x onerror=alert(2)&gt;" in r.text
