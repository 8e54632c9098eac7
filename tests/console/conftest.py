"""The console in process over each database, with a browser-like client: it keeps cookies,
reads each form's CSRF token and posts forms as a browser does."""

from __future__ import annotations

import contextlib
import re
from html import unescape
from typing import Any, Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.clock import FixedClock
from altegio_server.config import Settings
from altegio_server.provisioning import demo

OWNER = (demo.USER["login"], demo.USER["password"])
VIEWER = ("viewer@demo.example", "viewer-password")
SANDBOX_TOKEN = "console-sandbox-token"
_CSRF = re.compile(r'name="csrf_token" value="([^"]*)"')


class Browser:
    """One browser: its own cookies, forms posted url-encoded, redirects not followed unless asked."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def get(self, path: str, follow: bool = False, **kw: Any) -> httpx.Response:
        return self.client.get(path, follow_redirects=follow, **kw)

    def post(self, path: str, data: dict[str, str] | None = None, follow: bool = False, **kw: Any) -> httpx.Response:
        return self.client.post(path, data=data or {}, follow_redirects=follow, **kw)

    def csrf(self, page: str) -> str:
        """The CSRF token a page's forms carry."""
        found = _CSRF.search(self.get(page, follow=True).text)
        assert found, f"no CSRF field on {page}"
        return unescape(found.group(1))

    def submit(self, page: str, action: str, fields: dict[str, str], follow: bool = False) -> httpx.Response:
        """Post a form of `page` to `action` with the page's CSRF token, as a browser would."""
        return self.post(action, {"csrf_token": self.csrf(page), **fields}, follow=follow)

    def sign_in(self, login: str, password: str) -> httpx.Response:
        return self.submit("/console/login", "/console/login", {"login": login, "password": password})


@contextlib.contextmanager
def console_app(database_url: str, clock: FixedClock, sandbox: bool = False,
                **settings: Any) -> Iterator[TestClient]:
    extra: dict[str, Any] = {"sandbox": True, "sandbox_token": SANDBOX_TOKEN} if sandbox else {}
    app = create_app(Settings(database_url=database_url, **extra, **settings), clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def browser(client: TestClient) -> Browser:
    """A second browser on the same server: a client with a cookie jar of its own."""
    other = TestClient(client.app, raise_server_exceptions=False)
    other.portal = client.portal  # the first client's event loop, which the database pool belongs to
    return Browser(other)


@pytest.fixture
def console(database_url: str, clock: FixedClock) -> Iterator[Browser]:
    """A browser, not signed in, on a server (sandbox mode off) over a fresh demo database."""
    with console_app(database_url, clock) as client:
        yield Browser(client)


@pytest.fixture
def owner(console: Browser) -> Browser:
    """The demo owner, signed in: full access to both demo locations."""
    assert console.sign_in(*OWNER).status_code == 303
    return console


@pytest.fixture
def sandbox_console(database_url: str, clock: FixedClock) -> Iterator[Browser]:
    """The demo owner, signed in, on a server in sandbox mode."""
    with console_app(database_url, clock, sandbox=True) as client:
        b = Browser(client)
        assert b.sign_in(*OWNER).status_code == 303
        yield b
