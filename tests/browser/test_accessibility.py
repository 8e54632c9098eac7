"""The console's pages in a real browser, for people who use a keyboard, a screen reader or a
phone (behaviour 21.7): accessible names, tab order, contrast, phone width and titles."""

from __future__ import annotations

import re
from typing import Any, Callable

import pytest

from tests.browser.conftest import (PHONE, WEEK_START, book, event_path, make_event, skip_without_playwright,
                                    week_path)
from tests.browser.page_checks import MIN_CONTRAST, contrasts, low_contrast, unnamed_controls
from tests.conftest import PRAGUE
from tests.console.conftest import OWNER
from tests.live_server import LiveServer

skip_without_playwright()
from playwright.sync_api import Page, expect  # noqa: E402


@pytest.fixture(scope="module")
def event(server: LiveServer) -> dict[str, Any]:
    """An event of this week with two appointments, so that every control of its page shows."""
    made = make_event(server, PRAGUE, date="2027-01-13 18:00:00", capacity=6, color="#1565c0")
    book(server, PRAGUE, made["id"], "Ivana Kralova", "+420777200001", seats=2)
    book(server, PRAGUE, made["id"], "Petr Maly", "+420777200002")
    return made


@pytest.fixture
def open_page(new_session: Callable[..., Page], signed_in: Callable[..., Page],
              event: dict[str, Any]) -> Callable[[str], Page]:
    """`open_page("event")`: that page, in a new browser session (signed in but for "login")."""

    def open_(name: str) -> Page:
        if name == "login":
            page = new_session()
            page.goto("/console/login")
            return page
        page = signed_in()
        page.goto(PAGES[name](event))
        return page

    return open_


PAGES: dict[str, Callable[[dict[str, Any]], str]] = {
    "login": lambda event: "/console/login",
    "week": lambda event: week_path(PRAGUE, WEEK_START),
    "event": lambda event: event_path(PRAGUE, event["id"]),
    "clock": lambda event: "/console/sandbox/clock",
}
# What each page's <title> must say: where the user is.
TITLES = {"login": r"^Sign in · ", "week": r"^Week of 2027-01-11 — Demo Studio Prague · ",
          "event": r"^Morning yoga\b.*13 Jan.*Demo Studio Prague · ", "clock": r"^Clock\b.*Sandbox · "}


@pytest.mark.parametrize("name", PAGES)
def test_every_control_has_an_accessible_name(name: str, open_page):
    page = open_page(name)
    assert unnamed_controls(page) == []


@pytest.mark.parametrize("name", PAGES)
def test_each_pages_title_says_where_you_are(name: str, open_page):
    page = open_page(name)
    expect(page).to_have_title(re.compile(TITLES[name] + "Altegio server console$"))


@pytest.mark.parametrize("name", ["week", "event"])
def test_every_visible_text_contrasts_with_its_background(name: str, open_page):
    page = open_page(name)
    assert len(contrasts(page)) > 10
    assert low_contrast(page) == [], f"text below {MIN_CONTRAST}:1"


def test_tab_reaches_the_sign_in_fields_then_the_button_and_enter_signs_in(new_session, event):
    page = new_session()
    page.goto("/console/login")
    skip = page.get_by_role("link", name="Skip to content")  # the page's first stop
    skip.focus()
    order = []
    for _ in range(8):
        page.keyboard.press("Tab")
        order.append(page.evaluate("""() => { const e = document.activeElement;
            return (e.labels && e.labels.length ? e.labels[0].textContent : e.textContent).trim(); }"""))
    first = order.index("E-mail or phone")
    assert order[first:first + 3] == ["E-mail or phone", "Password", "Sign in"], order

    skip.focus()
    for _ in range(first + 1):
        page.keyboard.press("Tab")
    page.keyboard.type(OWNER[0])
    page.keyboard.press("Tab")
    page.keyboard.type(OWNER[1])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(week_path(PRAGUE)))


def test_at_phone_width_the_week_has_no_horizontal_scroll_and_shows_its_events(signed_in, event):
    page = signed_in(viewport=PHONE)
    page.goto(week_path(PRAGUE, WEEK_START))
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
    link = page.get_by_role("region", name="Wed 13 Jan").get_by_role("link", name=re.compile("18:00"))
    link.scroll_into_view_if_needed()
    expect(link).to_be_visible()
    box = link.bounding_box()
    assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]


# Problems the browser found once, kept from coming back.
@pytest.fixture(scope="module")
def crowded_week(server: LiveServer) -> str:
    """The week of 18 January: two classes that overlap, of an hour and of 45 minutes, a longer
    one, and an hour's class alone, in colours of a common palette, white text on which would
    be hard to read."""
    staff, services, rooms = PRAGUE["staff_ids"], PRAGUE["group_service_ids"], PRAGUE["resource_instance_ids"]
    for i, (when, length, color) in enumerate((("2027-01-18 09:00:00", 3600, "#2196f3"),
                                               ("2027-01-18 09:30:00", 2700, "#4caf50"),
                                               ("2027-01-19 10:00:00", 5400, "#f44336"),
                                               ("2027-01-20 10:00:00", 3600, "#ffcc80"))):
        make_event(server, PRAGUE, date=when, length=length, color=color, staff_id=staff[i % 3],
                   service_id=services[i % 3], resource_instance_ids=[rooms[i % 3]])
    return week_path(PRAGUE, "2027-01-18")


def test_event_text_is_readable_on_the_colours_of_a_common_palette(signed_in, crowded_week: str):
    page = signed_in()
    page.goto(crowded_week)
    assert low_contrast(page) == []


def test_every_event_of_the_week_shows_all_its_lines_at_desktop_width(signed_in, crowded_week: str):
    page = signed_in()
    page.goto(crowded_week)
    links = page.get_by_role("region", name=re.compile(r"^(Mon|Tue|Wed) ")).get_by_role("link")
    expect(links).to_have_count(4)
    clipped = links.evaluate_all("links => links.filter(a => a.scrollHeight > a.clientHeight + 1)"
                                 ".map(a => a.textContent.replace(/\\s+/g, ' ').trim())")
    assert clipped == []


def test_at_phone_width_the_event_page_has_no_horizontal_scroll(signed_in, event):
    page = signed_in(viewport=PHONE)
    page.goto(event_path(PRAGUE, event["id"]))
    assert page.evaluate("document.scrollingElement.scrollWidth <= window.innerWidth")
