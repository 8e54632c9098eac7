"""A person's path through the console in a real browser (behaviour 21): signing in, the
week, an event's page with booking and cancelling, two browsers racing for the last seat,
the sandbox's clock, signing out, and what a read-only user sees and may do.

Each test makes its own event in the Prague demo location on a day of its own."""

from __future__ import annotations

import re
from typing import Any


from tests.browser.conftest import (WEEK_START, book, event_path, make_event, reset_clock, sign_in,
                                    skip_without_playwright, week_path)
from tests.conftest import PRAGUE
from tests.console.conftest import VIEWER
from tests.live_server import LiveServer
from tests.sandbox.conftest import live_api, live_control

skip_without_playwright()
from playwright.sync_api import Page, expect  # noqa: E402

ADVANCE_A_WEEK = "Advance 1 week"
CLOCK_BUTTONS = ("Advance 1 hour", "Advance 1 day", ADVANCE_A_WEEK, "Back to real time")


def event_link(page: Page, day: str, time: str) -> Any:
    """The link of the event at `time` in the week's column for `day` (e.g. "Tue 12 Jan")."""
    return page.get_by_role("region", name=day).get_by_role("link", name=re.compile(time))


def book_in_form(page: Page, phone: str, name: str, seats: int = 1) -> None:
    form = page.get_by_role("form", name="Book a client")
    form.get_by_label("Phone").fill(phone)
    form.get_by_label("Name").fill(name)
    form.get_by_label("Seats").fill(str(seats))
    form.get_by_role("button", name="Book").click()


def test_owner_signs_in_and_sees_the_weeks_event_with_its_seats(server: LiveServer, new_session):
    make_event(server, PRAGUE, date="2027-01-12 10:00:00", capacity=2)
    page = sign_in(new_session())
    expect(page).to_have_url(re.compile(week_path(PRAGUE)))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Demo Studio Prague")
    expect(page.get_by_role("heading", level=1)).to_contain_text("11 January 2027")
    link = event_link(page, "Tue 12 Jan", "10:00")
    expect(link).to_contain_text("0/2")
    expect(link).to_contain_text("Morning yoga")


def test_booking_shows_the_new_seat_count_and_the_last_seat_goes_to_one_browser_only(server: LiveServer,
                                                                                        new_session):
    event = make_event(server, PRAGUE, date="2027-01-13 10:00:00", capacity=2)
    first = sign_in(new_session())
    event_link(first, "Wed 13 Jan", "10:00").click()
    expect(first).to_have_url(re.compile(event_path(PRAGUE, event["id"]) + "$"))
    seats = first.locator("#seats")
    expect(seats).to_have_text("0/2")
    book_in_form(first, "+420777100001", "Alice Tester")
    expect(seats).to_have_text("1/2")
    expect(first.get_by_role("button", name="Cancel the appointment of Alice Tester")).to_be_visible()

    second = sign_in(new_session())  # another browser takes the last seat
    second.goto(event_path(PRAGUE, event["id"]))
    book_in_form(second, "+420777100002", "Bob Second")
    expect(second.locator("#seats")).to_have_text("2/2")
    expect(second.get_by_text("Full", exact=True).first).to_be_visible()

    book_in_form(first, "+420777100003", "Carol Late")  # the first page still says 1/2
    alert = first.get_by_role("form", name="Book a client").get_by_role("alert")
    expect(alert).to_have_text("Not enough free seats in the event: 0 left")
    expect(first.locator("#seats")).to_have_text("2/2")

    first.get_by_role("button", name="Cancel the appointment of Alice Tester").click()
    expect(first.locator("#seats")).to_have_text("1/2")
    expect(first.get_by_role("button", name="Cancel the appointment of Alice Tester")).to_have_count(0)
    expect(first.get_by_role("button", name="Cancel the appointment of Bob Second")).to_be_visible()


def test_advancing_the_sandbox_clock_a_week_marks_the_event_past(server: LiveServer, signed_in):
    event = make_event(server, PRAGUE, date="2027-01-14 10:00:00", capacity=2)
    page = signed_in()
    try:
        page.goto("/console/sandbox/clock")
        page.get_by_role("button", name=ADVANCE_A_WEEK).click()
        page.goto(week_path(PRAGUE))
        expect(page.get_by_role("heading", level=1)).to_contain_text("18 January 2027")
        page.get_by_role("link", name=re.compile("Previous week")).click()
        expect(event_link(page, "Thu 14 Jan", "10:00")).to_contain_text("Past")
        page.goto(event_path(PRAGUE, event["id"]))
        expect(page.get_by_text("Past", exact=True).first).to_be_visible()

        page.goto("/console/sandbox/clock")
        page.get_by_role("button", name="Back to real time").click()
        page.goto(week_path(PRAGUE))
        expect(event_link(page, "Thu 14 Jan", "10:00")).not_to_contain_text("Past")
    finally:
        reset_clock(server)


def test_after_signing_out_a_protected_page_sends_to_sign_in(server: LiveServer, new_session):
    page = sign_in(new_session())
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("status")).to_have_text("You have signed out.")
    page.goto(week_path(PRAGUE, WEEK_START))
    expect(page).to_have_url(re.compile(r"/console/login\?next="))
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_a_read_only_user_finds_no_control_that_changes_anything(server: LiveServer, signed_in):
    event = make_event(server, PRAGUE, date="2027-01-15 10:00:00", capacity=3)
    book(server, PRAGUE, event["id"], "Dana Booked", "+420777100004")
    page = signed_in(VIEWER)
    page.goto(week_path(PRAGUE))
    expect(event_link(page, "Fri 15 Jan", "10:00")).to_contain_text("1/3")
    page.goto(event_path(PRAGUE, event["id"]))
    expect(page.locator("#seats")).to_have_text("1/3")
    expect(page.get_by_text("Dana Booked").first).to_be_visible()
    expect(page.get_by_role("form", name="Book a client")).to_have_count(0)
    for name in ("Book", "Cancel the appointment of Dana Booked", "Change seats", "Save attendance"):
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    for name in ("Edit event", "Delete event"):
        expect(page.get_by_role("link", name=name)).to_have_count(0)
        expect(page.get_by_role("button", name=name)).to_have_count(0)
    page.goto("/console/sandbox/clock")
    for name in CLOCK_BUTTONS:
        expect(page.get_by_role("button", name=name)).to_have_count(0)


def test_a_change_posted_by_a_read_only_user_is_refused(server: LiveServer, signed_in):
    event = make_event(server, PRAGUE, date="2027-01-16 10:00:00", capacity=3)
    owner = signed_in()
    owner.goto(event_path(PRAGUE, event["id"]))
    form = owner.get_by_role("form", name="Book a client")  # filled in by the owner, posted by the viewer
    for label, value in (("Phone", "+420777100005"), ("Name", "Eve Sneaky"), ("Seats", "1")):
        form.get_by_label(label).fill(value)
    action = form.get_attribute("action") or event_path(PRAGUE, event["id"])
    fields = form.evaluate("f => Object.fromEntries(new FormData(f))")
    owner.goto("/console/sandbox/clock")
    clock_form = owner.locator("form").filter(has=owner.get_by_role("button", name=ADVANCE_A_WEEK))
    clock_action = clock_form.get_attribute("action") or "/console/sandbox/clock"
    clock_fields = clock_form.evaluate("f => Object.fromEntries(new FormData(f))")

    viewer = signed_in(VIEWER)
    viewer.goto(week_path(PRAGUE))
    csrf = viewer.locator("[name=csrf_token]").first.input_value()  # the sign-out form's, as every form's
    refused = viewer.request.post(action, form={**fields, "csrf_token": csrf}, max_redirects=0)
    assert refused.status == 403
    assert "read-only" in refused.text()
    refused = viewer.request.post(clock_action, form={**clock_fields, "csrf_token": csrf}, max_redirects=0)
    assert refused.status == 403

    r = live_api(server, "GET", f"/api/v2/locations/{PRAGUE['id']}/events/{event['id']}")
    assert r.json()["data"]["attributes"]["clients_count"] == 0
    assert live_control(server, "GET", "clock").json()["offset_seconds"] == 0
