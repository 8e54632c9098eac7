"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL tests skip with the reason when no server answers at $ALTEGIO_TEST_PG_URL
(default postgresql://postgres@127.0.0.1:5432/postgres), unless ALTEGIO_REQUIRE_POSTGRES=1,
which CI sets so that they fail instead.
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any, Iterator

import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.clock import FixedClock
from altegio_server.config import Settings
from altegio_server.provisioning import demo
from tests import databases
from tests.live_server import LiveServer

# "Now" for every test unless it moves the clock: a Sunday in January 2027.
NOW = datetime(2027, 1, 10, 12, 0, 0, tzinfo=timezone.utc)
V2 = "application/vnd.api.v2+json"
DEMO = demo.summary()
AUTH = f"Bearer {DEMO['partner_token']}, User {DEMO['user_token']}"
READONLY_AUTH = f"Bearer {DEMO['partner_token']}, User {DEMO['readonly_user_token']}"
PRAGUE, NEW_YORK = DEMO["locations"]


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> databases.SQLiteTemplate:
    return databases.SQLiteTemplate(tmp_path_factory.mktemp("sqlite"))


@pytest.fixture(scope="session")
def postgres_template() -> Iterator[databases.PostgresTemplate]:
    reason = databases.postgres_available()
    if reason:
        if databases.REQUIRE_PG:
            pytest.fail(f"PostgreSQL is required here (ALTEGIO_REQUIRE_POSTGRES is set): {reason}")
        pytest.skip(reason)
    template = databases.PostgresTemplate()
    yield template
    template.drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> str:
    """A freshly seeded database of each kind."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_template").fresh()
    return request.getfixturevalue("postgres_template").fresh()


@pytest.fixture
def servers(database_url: str) -> Iterator[list[LiveServer]]:
    """Two real server processes over one database: on PostgreSQL the first with two workers;
    on SQLite one worker each (SQLite queues writers on the file lock across processes)."""
    workers = 2 if database_url.startswith("postgresql") else 1
    with LiveServer(database_url, workers=workers, frozen_time=NOW) as one, \
            LiveServer(database_url, frozen_time=NOW) as two:
        yield [one, two]


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


class Api:
    """A client that sends the demo tokens and the v2 Accept header unless told otherwise."""

    def __init__(self, client: TestClient) -> None:
        self.client = client

    def request(self, method: str, path: str, *, json: Any = None, auth: str | None = AUTH,
                accept: str | None = V2, headers: dict[str, str] | None = None, **kw: Any):
        h = dict(headers or {})
        if auth is not None:
            h["Authorization"] = auth
        if accept is not None:
            h["Accept"] = accept
        return self.client.request(method, path, json=json, headers=h, **kw)

    def get(self, path: str, **kw: Any):
        return self.request("GET", path, **kw)

    def post(self, path: str, json: Any = None, **kw: Any):
        return self.request("POST", path, json=json, **kw)

    def put(self, path: str, json: Any = None, **kw: Any):
        return self.request("PUT", path, json=json, **kw)

    def patch(self, path: str, json: Any = None, **kw: Any):
        return self.request("PATCH", path, json=json, **kw)

    def delete(self, path: str, **kw: Any):
        return self.request("DELETE", path, **kw)


@pytest.fixture
def api(database_url: str, clock: FixedClock) -> Iterator[Api]:
    app = create_app(Settings(database_url=database_url), clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client)


def error(message: str, errors: dict[str, list[str]] | None = None) -> dict[str, Any]:
    """The error envelope of behaviour 1.4, for comparing whole bodies."""
    body: dict[str, Any] = {"success": False, "data": None, "meta": {"message": message}}
    if errors:
        body["meta"]["errors"] = errors
        body["errors"] = errors
    return body
