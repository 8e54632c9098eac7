"""A server in sandbox mode over each database, and a client for its controls."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.clock import FixedClock
from altegio_server.config import Settings
from tests.conftest import Api

SANDBOX_TOKEN = "sandbox-test-token"
SANDBOX_AUTH = f"Bearer {SANDBOX_TOKEN}"


class Sandboxed(Api):
    """The API client of tests/conftest.py, plus `control` for `/_sandbox/...` with the sandbox token."""

    def control(self, method: str, path: str, json: Any = None, auth: str | None = SANDBOX_AUTH, **kw: Any):
        return self.request(method, f"/_sandbox/{path}", json=json, auth=auth, accept=None, **kw)


@pytest.fixture
def sandbox(database_url: str, clock: FixedClock) -> Iterator[Sandboxed]:
    app = create_app(Settings(database_url=database_url, sandbox=True, sandbox_token=SANDBOX_TOKEN), clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Sandboxed(client)
