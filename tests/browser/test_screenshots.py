"""Pictures of the console for the documentation (docs/console-*.png): a week of the New York
demo location with classes of several colours, one full and one deleted, at desktop and phone
width, and a class's page with its appointments. Written into docs/ with
ALTEGIO_UPDATE_SCREENSHOTS=1, else into the test's own directory."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import (PHONE, book, delete_event, event_path, make_event, screenshot,
                                    skip_without_playwright, week_path)
from tests.conftest import NEW_YORK
from tests.live_server import LiveServer

skip_without_playwright()
from playwright.sync_api import expect  # noqa: E402

MARIA, JAMES, LENA = NEW_YORK["staff_ids"]
YOGA, PILATES, PADEL = NEW_YORK["group_service_ids"]
ROOM_A, ROOM_B, COURT = NEW_YORK["resource_instance_ids"]
# (day and time, service, team member, room, seats, colour, seats booked per appointment); each
# class 75 minutes, then the location's 20-minute break.
CLASSES = [
    ("2027-01-11 09:00:00", YOGA, MARIA, ROOM_A, 12, "#1565c0", [2, 1, 1, 1]),
    ("2027-01-11 18:00:00", PILATES, JAMES, ROOM_B, 8, "#a5d6a7", [3, 3, 2]),  # full
    ("2027-01-12 07:00:00", PADEL, LENA, COURT, 4, "#ffcc80", [1, 1]),
    ("2027-01-12 09:00:00", YOGA, MARIA, ROOM_A, 12, "#1565c0", [1]),
    ("2027-01-12 11:30:00", PILATES, JAMES, ROOM_B, 8, "#a5d6a7", [2, 1]),
    ("2027-01-13 12:00:00", PILATES, MARIA, ROOM_B, 8, "#ce93d8", []),  # deleted below
    ("2027-01-14 10:00:00", YOGA, JAMES, ROOM_A, 12, "#6a1b9a", [1, 1, 1]),
    ("2027-01-15 17:00:00", PADEL, LENA, COURT, 4, "#2e7d32", [2, 2]),  # full
    ("2027-01-16 10:00:00", YOGA, MARIA, ROOM_A, 12, "", [1]),
]
LENGTH = 75 * 60
CLIENTS = ["Olivia Bennett", "Noah Rivera", "Emma Thompson", "Liam Chen", "Ava Patel", "Lucas Kim", "Mia Johnson",
           "Ethan Brooks", "Sofia Garcia", "Henry Walsh", "Chloe Adams", "Jack Morgan", "Grace Lee", "Owen Price",
           "Zoe Turner", "Leo Foster", "Ruby Hayes", "Max Ward", "Ivy Cole", "Sam Reed"]


@pytest.fixture(scope="module")
def week_of_classes(server: LiveServer) -> list[dict[str, Any]]:
    """The classes of CLASSES with their appointments; the one on Wednesday deleted."""
    made, names = [], iter(enumerate(CLIENTS))
    for when, service, staff, room, capacity, color, seats in CLASSES:
        event = make_event(server, NEW_YORK, date=when, service_id=service, staff_id=staff, length=LENGTH,
                           resource_instance_ids=[room], capacity=capacity, color=color)
        for count in seats:
            i, name = next(names)
            book(server, NEW_YORK, event["id"], name, f"+1212555{i:04d}", seats=count)
        made.append(event)
    delete_event(server, NEW_YORK, made[5]["id"])
    return made


def test_the_week_at_desktop_and_phone_width(server: LiveServer, signed_in, week_of_classes, tmp_path: Path):
    page = signed_in()
    page.goto(week_path(NEW_YORK))
    expect(page.get_by_role("region", name=re.compile("^Mon 11 Jan")).get_by_role("link")).to_have_count(2)
    expect(page.get_by_text("Full", exact=True)).to_have_count(2)
    expect(page.get_by_text("Deleted", exact=True)).to_have_count(1)
    screenshot(page, "console-week.png", tmp_path)

    phone = signed_in(viewport=PHONE)
    phone.goto(week_path(NEW_YORK))
    expect(phone.get_by_text("Full", exact=True).first).to_be_visible()
    screenshot(phone, "console-week-phone.png", tmp_path)


def test_a_class_with_its_appointments(server: LiveServer, signed_in, week_of_classes, tmp_path: Path):
    page = signed_in()
    page.goto(event_path(NEW_YORK, week_of_classes[0]["id"]))
    expect(page.locator("#seats")).to_have_text("5/12")
    expect(page.get_by_role("button", name=re.compile("^Cancel the appointment of"))).to_have_count(4)
    for name in ("Olivia Bennett", "Noah Rivera"):
        form = page.get_by_role("form", name=f"Attendance of {name}")
        form.get_by_role("combobox").select_option(label="Confirmed")
        form.get_by_role("button", name="Save attendance").click()
        expect(page.get_by_role("combobox", name=f"Attendance of {name}")).to_have_value("2")
    seats = page.get_by_role("form", name="Seats for Liam Chen")
    seats.get_by_role("spinbutton").fill("2")
    seats.get_by_role("button", name="Change seats").click()
    expect(page.locator("#seats")).to_have_text("6/12")
    screenshot(page, "console-event.png", tmp_path)
