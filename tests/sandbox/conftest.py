"""A server in sandbox mode over each database, and a client for its controls; and two real
sandbox server processes over one database, with helpers to call them."""

from __future__ import annotations

import contextlib
from typing import Any, Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.clock import FixedClock
from altegio_server.config import Settings
from tests.conftest import AUTH, NOW, V2, Api
from tests.live_server import LiveServer

SANDBOX_TOKEN = "sandbox-test-token"
SANDBOX_AUTH = f"Bearer {SANDBOX_TOKEN}"


class Sandboxed(Api):
    """The API client of tests/conftest.py, plus `control` for `/_sandbox/...` with the sandbox token."""

    def control(self, method: str, path: str, json: Any = None, auth: str | None = SANDBOX_AUTH, **kw: Any):
        return self.request(method, f"/_sandbox/{path}", json=json, auth=auth, accept=None, **kw)


@contextlib.contextmanager
def sandboxed(database_url: str, clock: FixedClock, **settings: Any) -> Iterator[Sandboxed]:
    """The server in sandbox mode, in process, with these settings besides."""
    app = create_app(Settings(database_url=database_url, sandbox=True, sandbox_token=SANDBOX_TOKEN, **settings),
                     clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Sandboxed(client)


@pytest.fixture
def sandbox(database_url: str, clock: FixedClock) -> Iterator[Sandboxed]:
    with sandboxed(database_url, clock) as api:
        yield api


@pytest.fixture
def sandbox_servers(database_url: str) -> Iterator[list[LiveServer]]:
    """Two sandbox servers over one database; on PostgreSQL the first runs two workers."""
    env = {"ALTEGIO_SANDBOX": "1", "ALTEGIO_SANDBOX_TOKEN": SANDBOX_TOKEN}
    workers = 2 if database_url.startswith("postgresql") else 1
    with LiveServer(database_url, workers=workers, frozen_time=NOW, env=env) as one, \
            LiveServer(database_url, frozen_time=NOW, env=env) as two:
        yield [one, two]


def live_api(server: LiveServer, method: str, path: str, body: Any = None) -> httpx.Response:
    """An API request to a live server with the demo user's tokens."""
    return httpx.request(method, server.url + path, json=body, headers={"Authorization": AUTH, "Accept": V2},
                         timeout=60)


def live_control(server: LiveServer, method: str, path: str, body: Any = None) -> httpx.Response:
    """A `/_sandbox/...` request to a live sandbox server."""
    return httpx.request(method, f"{server.url}/_sandbox/{path}", json=body, headers={"Authorization": SANDBOX_AUTH},
                         timeout=60)
