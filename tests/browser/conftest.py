"""The console in a real browser: a sandbox-mode server process over each database, frozen at
a known time, and the system's Chromium driven by Playwright.

One Chromium serves every test of this package; each "browser session" of a test is a new
context (cookies of its own). One server per database serves each module; every test makes
its own events, on days of its own, so that tests need not run in any order.

The tests skip with the reason when Chromium (/usr/bin/chromium, or $ALTEGIO_CHROMIUM) or the
`playwright` package is missing, unless ALTEGIO_REQUIRE_BROWSER=1, which makes them fail
instead. Playwright downloads no browser here: it drives the one the system has.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, TypeVar

import pytest

from tests.console.conftest import OWNER
from tests.event_factories import event_body
from tests.live_server import ROOT, LiveServer
from tests.sandbox.conftest import SANDBOX_TOKEN, live_api, live_control

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page

CHROMIUM = os.environ.get("ALTEGIO_CHROMIUM", "/usr/bin/chromium")
REQUIRE_BROWSER = os.environ.get("ALTEGIO_REQUIRE_BROWSER", "") not in ("", "0", "false")
UPDATE_SCREENSHOTS = os.environ.get("ALTEGIO_UPDATE_SCREENSHOTS", "") not in ("", "0", "false")
DOCS = ROOT / "docs"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
# The browser tests' "now": Monday 11 January 2027, 07:00 in Prague, 01:00 in New York; the
# week shown by default is 11-17 January in both locations.
FROZEN = datetime(2027, 1, 11, 6, 0, tzinfo=timezone.utc)
WEEK_START = "2027-01-11"
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
T = TypeVar("T")


def playwright_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install -e '.[dev]')"
    return None


def browser_missing() -> str | None:
    """None if the browser tests can run here; otherwise why not."""
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        return f"no Chromium at {CHROMIUM} (make browser installs it; ALTEGIO_CHROMIUM names another path)"
    return playwright_missing()


def off_the_browser_loop(work: Callable[[], T]) -> T:
    """Run `work` in another thread. Playwright's sync API keeps an event loop marked running
    in this thread, and the test databases are made with `asyncio.run`, which refuses to
    start inside a running loop."""
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(work).result()


def skip_without(reason: str | None, module: bool = False) -> None:
    """Skip with the reason, or fail when the browser is required."""
    if reason:
        if REQUIRE_BROWSER:
            pytest.fail(f"the browser is required here (ALTEGIO_REQUIRE_BROWSER is set): {reason}")
        pytest.skip(reason, allow_module_level=module)


def skip_without_playwright() -> None:
    """At the top of a test module, before it imports Playwright."""
    skip_without(playwright_missing(), module=True)


@pytest.fixture(scope="package")
def chromium() -> Iterator[Browser]:
    skip_without(browser_missing())
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """A freshly seeded database of each kind, for one module's server."""
    template = {"sqlite": "sqlite_template", "postgresql": "postgres_template"}[request.param]
    return off_the_browser_loop(lambda: request.getfixturevalue(template).fresh())


@pytest.fixture(scope="module")
def server(database_url: str) -> Iterator[LiveServer]:
    """The server in sandbox mode over the module's database, its clock frozen at FROZEN."""
    env = {"ALTEGIO_SANDBOX": "1", "ALTEGIO_SANDBOX_TOKEN": SANDBOX_TOKEN}
    with LiveServer(database_url, frozen_time=FROZEN, env=env) as live:
        yield live


@pytest.fixture
def new_session(chromium: Browser, server: LiveServer) -> Iterator[Callable[..., Page]]:
    """`new_session(viewport=PHONE)`: a page in a browser session of its own (own cookies), on the server."""
    contexts: list[BrowserContext] = []

    def open_page(viewport: dict[str, int] = WIDE, storage_state: Any = None) -> Page:
        context = chromium.new_context(base_url=server.url, viewport=viewport, storage_state=storage_state)
        context.set_default_timeout(5_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture(scope="module")
def _sign_ins(server: LiveServer) -> dict[tuple[str, str], Any]:
    """The cookies of each user's one sign-in through the form, per module."""
    return {}


@pytest.fixture
def signed_in(new_session: Callable[..., Page], _sign_ins: dict[tuple[str, str], Any]) -> Callable[..., Page]:
    """`signed_in(who=VIEWER, viewport=PHONE)`: a page in a new browser session, already signed in.
    The user signs in through the form once per module; later sessions start with those cookies,
    as the same browser opened again would (each sign-in costs the password's hashing)."""

    def open_page(who: tuple[str, str] = OWNER, viewport: dict[str, int] = WIDE) -> Page:
        if who in _sign_ins:
            return new_session(viewport, _sign_ins[who])
        page = sign_in(new_session(viewport), who)
        _sign_ins[who] = page.context.storage_state()
        return page

    return open_page


def sign_in(page: Page, who: tuple[str, str] = OWNER) -> Page:
    """Sign in through the form, as a person would; the page then shows the first location's week."""
    page.goto("/console/login")
    page.get_by_label("E-mail or phone").fill(who[0])
    page.get_by_label("Password").fill(who[1])
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/console/locations/\d+/week"))
    return page


def week_path(location: dict[str, Any], start: str = "") -> str:
    return f"/console/locations/{location['id']}/week" + (f"?start={start}" if start else "")


def event_path(location: dict[str, Any], event_id: int | str) -> str:
    return f"/console/locations/{location['id']}/events/{event_id}"


def make_event(server: LiveServer, location: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """An event made through the API; its `data` resource."""
    body = event_body(location, **overrides)
    r = live_api(server, "POST", f"/api/v2/locations/{location['id']}/events", body)
    assert r.status_code == 201, r.text
    return r.json()["data"]


def book(server: LiveServer, location: dict[str, Any], event_id: int | str, name: str, phone: str,
         seats: int = 1) -> dict[str, Any]:
    """An appointment made through the API; its `data` resource."""
    first, _, last = name.partition(" ")
    client = {"name": first, "surname": last, "phone": phone, "email": "", "gender": 0}
    r = live_api(server, "POST", f"/api/v2/locations/{location['id']}/events/{event_id}/appointments",
                 {"client": client, "clients_count": seats})
    assert r.status_code == 201, r.text
    return r.json()["data"]


def delete_event(server: LiveServer, location: dict[str, Any], event_id: int | str) -> None:
    r = live_api(server, "DELETE", f"/api/v2/locations/{location['id']}/events/{event_id}")
    assert r.status_code == 204, r.text


def reset_clock(server: LiveServer) -> None:
    """Back to the server's own clock, FROZEN."""
    r = live_control(server, "DELETE", "clock")
    assert r.status_code == 200, r.text


def screenshot(page: Page, name: str, tmp_path: Path, full_page: bool = True) -> Path:
    """A PNG of the page: into docs/ with ALTEGIO_UPDATE_SCREENSHOTS=1, else into the test's tmp_path."""
    path = (DOCS if UPDATE_SCREENSHOTS else tmp_path) / name
    page.screenshot(path=str(path), full_page=full_page)
    data = path.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 1000, f"{path} is not a PNG worth looking at"
    return path
