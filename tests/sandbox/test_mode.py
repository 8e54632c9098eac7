"""Sandbox mode: off by default, and then nothing of it answers; on, behind its token (behaviour 19.1)."""

from __future__ import annotations

import asyncio

import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.config import Settings
from altegio_server.db import open_database
from altegio_server.sandbox import state
from tests.conftest import error
from tests.sandbox.conftest import SANDBOX_AUTH, Sandboxed

CONTROLS = [("GET", "clock"), ("PUT", "clock"), ("POST", "clock/advance"), ("DELETE", "clock"),
            ("POST", "reset"), ("GET", "snapshots"), ("GET", "requests"), ("GET", "rate_limit"), ("GET", "faults")]


@pytest.mark.parametrize("method, path", CONTROLS)
def test_without_sandbox_mode_every_control_is_an_unknown_path(api, method, path):
    r = api.request(method, f"/_sandbox/{path}", json={}, auth=SANDBOX_AUTH, accept=None)
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_without_sandbox_mode_the_openapi_document_has_no_sandbox_operation(api):
    paths = api.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith("/_sandbox")]


def test_the_sandbox_operations_are_documented_under_their_own_tag(sandbox):
    doc = sandbox.get("/openapi.json").json()
    clock = doc["paths"]["/_sandbox/clock"]
    assert set(clock) == {"get", "put", "delete"}
    assert clock["get"]["tags"] == ["Sandbox"]
    assert clock["get"]["security"] == [{"SandboxToken": []}]


@pytest.mark.parametrize("auth", [None, "", "Bearer", "Bearer wrong-token", "Bearer sandbox-test-token, User x",
                                  "Basic c2FuZGJveA==", "Bearer " + "x" * 5000])
def test_a_control_without_the_sandbox_token_is_401(sandbox: Sandboxed, auth):
    r = sandbox.control("GET", "clock", auth=auth)
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))


def test_the_api_tokens_do_not_open_the_sandbox(sandbox: Sandboxed):
    from tests.conftest import AUTH, DEMO

    for auth in (AUTH, f"Bearer {DEMO['partner_token']}", f"Bearer {DEMO['user_token']}"):
        r = sandbox.control("GET", "clock", auth=auth)
        assert (r.status_code, r.json()) == (401, error("Authentication needed."))


def test_an_unknown_control_is_404_and_a_wrong_method_405(sandbox: Sandboxed):
    r = sandbox.control("GET", "nothing-here")
    assert (r.status_code, r.json()) == (404, error("Not found"))
    r = sandbox.control("PATCH", "clock", json={})
    assert (r.status_code, r.json()) == (405, error("Method not allowed"))
    assert r.headers["allow"] == "DELETE, GET, PUT"


def test_the_api_answers_as_usual_in_sandbox_mode(sandbox: Sandboxed):
    r = sandbox.get("/api/v2/locations/101/tags")
    assert r.status_code == 200 and r.json()["data"]


def test_without_a_configured_token_the_database_one_opens_the_sandbox(database_url, clock):
    app = create_app(Settings(database_url=database_url, sandbox=True), clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        made = asyncio.run(_token(database_url))  # made at start, as `seed demo` would have
        assert made and made.startswith("sandbox-")
        api = Sandboxed(client)
        assert api.control("GET", "clock", auth=f"Bearer {made}").status_code == 200
        assert api.control("GET", "clock", auth=SANDBOX_AUTH).status_code == 401


async def _token(url: str) -> str | None:
    db = open_database(url, pool_size=1)
    await db.connect()
    try:
        async with db.transaction() as conn:
            return await state.token(conn)
    finally:
        await db.close()
