"""The sandbox's rate limit, like the vendor's: per second and per minute, per address or token (behaviour 19.5)."""

from __future__ import annotations

import time
from typing import Any, Iterator

import httpx
import pytest
from starlette.testclient import TestClient
from starlette.types import Receive, Scope, Send

from altegio_server.api.app import create_app
from altegio_server.clock import FixedClock
from altegio_server.config import Settings
from altegio_server.security import token_digest
from tests.conftest import AUTH, DEMO, NOW, V2, error
from tests.event_factories import run_sql
from tests.live_server import LiveServer
from tests.sandbox.conftest import SANDBOX_TOKEN, Sandboxed

OFF = {"enabled": False, "per_second": 5, "per_minute": 200, "key": "ip"}
TAGS = "/api/v2/locations/101/tags"
MINUTE = 1_800_000_000  # a real-time instant at the start of a minute, for the limiter's windows


def too_many(seconds: int) -> dict[str, Any]:
    return error(f"Превышен лимит запросов, попробуйте повторить запрос через {seconds} секунд.")


class Addressed:
    """The server, seeing each request come from the address in its `X-Test-Address` header."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            given = dict(scope["headers"]).get(b"x-test-address")
            if given:
                scope = dict(scope, client=(given.decode(), 40000))
        await self.app(scope, receive, send)


@pytest.fixture
def limited(database_url: str, clock: FixedClock) -> Iterator[tuple[Sandboxed, FixedClock]]:
    """A sandbox server whose rate limiter reads a clock the test moves (the limiter's own, real time)."""
    app = create_app(Settings(database_url=database_url, sandbox=True, sandbox_token=SANDBOX_TOKEN), clock=clock)
    real = FixedClock(MINUTE)
    app.sandbox.limits.clock = real  # type: ignore[attr-defined]
    with TestClient(Addressed(app), raise_server_exceptions=False) as client:
        yield Sandboxed(client), real


def from_(address: str) -> dict[str, str]:
    return {"X-Test-Address": address}


def test_the_rate_limit_is_off_until_set(sandbox: Sandboxed):
    r = sandbox.control("GET", "rate_limit")
    assert (r.status_code, r.json()) == (200, OFF)
    assert all(sandbox.get(TAGS).status_code == 200 for _ in range(8))


def test_set_without_numbers_takes_the_vendors_limits(sandbox: Sandboxed):
    r = sandbox.control("PUT", "rate_limit", json={"enabled": True})
    on = {"enabled": True, "per_second": 5, "per_minute": 200, "key": "ip"}
    assert (r.status_code, r.json()) == (200, on)
    assert sandbox.control("GET", "rate_limit").json() == on


def test_delete_turns_it_off_again(limited):
    api, _ = limited
    api.control("PUT", "rate_limit", json={"per_second": 1, "per_minute": 1})
    assert api.get(TAGS).status_code == 200
    assert api.get(TAGS).status_code == 429
    r = api.control("DELETE", "rate_limit")
    assert (r.status_code, r.json()) == (200, OFF)
    assert api.get(TAGS).status_code == 200


def test_over_the_per_second_limit_is_429_until_the_next_second(limited):
    api, real = limited
    api.control("PUT", "rate_limit", json={"per_second": 3, "per_minute": 100})
    assert [api.get(TAGS).status_code for _ in range(3)] == [200, 200, 200]
    r = api.get(TAGS)
    assert (r.status_code, r.json(), r.headers["retry-after"]) == (429, too_many(1), "1")
    real.advance(1)
    assert api.get(TAGS).status_code == 200


def test_over_the_per_minute_limit_is_429_with_the_seconds_left_in_the_minute(limited):
    api, real = limited
    api.control("PUT", "rate_limit", json={"per_second": 100, "per_minute": 4})
    real.advance(18)
    assert [api.get(TAGS).status_code for _ in range(4)] == [200] * 4
    r = api.get(TAGS)
    assert (r.status_code, r.json(), r.headers["retry-after"]) == (429, too_many(42), "42")
    real.advance(41)
    assert api.get(TAGS).json() == too_many(1)
    real.advance(1)
    assert api.get(TAGS).status_code == 200


def test_a_refused_request_does_not_run_and_takes_nothing_from_either_window(limited, database_url):
    api, real = limited
    api.control("PUT", "rate_limit", json={"per_second": 1, "per_minute": 2})
    body = {"title": "Limited", "color": "#ff2828", "entity": 1}
    assert api.post(TAGS, json=body).status_code == 200
    r = api.post(TAGS, json=body)  # refused by the second's window
    assert (r.status_code, r.json()) == (429, too_many(1))
    assert run_sql(database_url, "SELECT COUNT(*) AS n FROM tags WHERE title = 'Limited'") == [{"n": 1}]
    counts = run_sql(database_url, "SELECT count, second_count FROM sandbox_rate_counts")
    assert counts == [{"count": 1, "second_count": 1}]
    real.advance(1)
    assert api.get(TAGS).status_code == 200  # the minute's second request: the refusal took none
    real.advance(1)
    assert api.get(TAGS).json() == too_many(58)


def test_counts_of_minutes_long_past_are_deleted(limited, database_url):
    api, real = limited
    api.control("PUT", "rate_limit", json={"per_second": 100, "per_minute": 100})
    assert api.get(TAGS, headers=from_("10.0.0.1")).status_code == 200
    real.advance(60)
    assert api.get(TAGS, headers=from_("10.0.0.2")).status_code == 200
    real.advance(120)  # the first minute began 180 s ago, the second 120 s ago: kept
    assert api.get(TAGS, headers=from_("10.0.0.3")).status_code == 200
    rows = run_sql(database_url, "SELECT key, window_start FROM sandbox_rate_counts ORDER BY window_start")
    assert rows == [{"key": "ip:10.0.0.2", "window_start": MINUTE + 60},
                    {"key": "ip:10.0.0.3", "window_start": MINUTE + 180}]


def test_each_address_has_its_own_count(limited):
    api, _ = limited
    api.control("PUT", "rate_limit", json={"per_second": 2, "per_minute": 100, "key": "ip"})
    assert [api.get(TAGS, headers=from_("10.0.0.1")).status_code for _ in range(3)] == [200, 200, 429]
    assert [api.get(TAGS, headers=from_("10.0.0.2")).status_code for _ in range(3)] == [200, 200, 429]


def test_by_ip_every_token_from_one_address_shares_the_count(limited):
    api, _ = limited
    api.control("PUT", "rate_limit", json={"per_second": 2, "per_minute": 100, "key": "ip"})
    assert api.get(TAGS).status_code == 200
    assert api.get(TAGS, auth="Bearer someone-else, User x").status_code == 401  # counted all the same
    assert api.get(TAGS).status_code == 429


def test_by_partner_token_each_token_has_its_own_count_whatever_the_address(limited, database_url):
    api, _ = limited
    r = api.control("PUT", "rate_limit", json={"per_second": 2, "per_minute": 100, "key": "partner_token"})
    assert r.json() == {"enabled": True, "per_second": 2, "per_minute": 100, "key": "partner_token"}
    assert api.get(TAGS, headers=from_("10.0.0.1")).status_code == 200
    assert api.get(TAGS, headers=from_("10.0.0.2")).status_code == 200
    assert api.get(TAGS, headers=from_("10.0.0.3")).json() == too_many(1)
    other = api.get(TAGS, auth="Bearer another-partner, User x")
    assert other.status_code == 401  # its own count: not refused for the demo token's requests
    keys = {row["key"] for row in run_sql(database_url, "SELECT key FROM sandbox_rate_counts")}
    assert keys == {"token:" + token_digest(DEMO["partner_token"]), "token:" + token_digest("another-partner")}


def test_by_partner_token_a_request_without_one_counts_against_its_address(limited):
    api, _ = limited
    api.control("PUT", "rate_limit", json={"per_second": 1, "per_minute": 100, "key": "partner_token"})
    assert api.get(TAGS, auth=None).status_code == 401
    r = api.get(TAGS, auth=None)
    assert (r.status_code, r.json()) == (429, too_many(1))
    assert api.get(TAGS).status_code == 200  # the token's count is another


def test_enabled_false_keeps_the_numbers_but_limits_nothing(limited):
    api, _ = limited
    r = api.control("PUT", "rate_limit", json={"enabled": False, "per_second": 1, "per_minute": 1})
    assert r.json() == {"enabled": False, "per_second": 1, "per_minute": 1, "key": "ip"}
    assert [api.get(TAGS).status_code for _ in range(3)] == [200] * 3


def test_setting_the_limit_again_starts_counting_afresh(limited):
    api, _ = limited
    api.control("PUT", "rate_limit", json={"per_second": 1, "per_minute": 1})
    assert [api.get(TAGS).status_code for _ in range(2)] == [200, 429]
    api.control("PUT", "rate_limit", json={"per_second": 1, "per_minute": 1})
    assert api.get(TAGS).status_code == 200


def test_the_sandbox_controls_are_not_limited(limited):
    api, _ = limited
    api.control("PUT", "rate_limit", json={"per_second": 1, "per_minute": 1})
    assert [api.control("GET", "rate_limit").status_code for _ in range(3)] == [200] * 3


def test_head_over_the_limit_is_429_without_a_body(limited):
    api, _ = limited
    api.control("PUT", "rate_limit", json={"per_second": 1, "per_minute": 100})
    assert api.get(TAGS).status_code == 200
    r = api.request("HEAD", TAGS)
    assert (r.status_code, r.content, r.headers["retry-after"]) == (429, b"", "1")


@pytest.mark.parametrize("body, errors", [
    ({"per_second": 0}, {"per_second": ["This value should be between 1 and 1000000."]}),
    ({"per_minute": "200"}, {"per_minute": ["This value should be of type integer."]}),
    ({"key": "user"}, {"key": ["The value you selected is not a valid choice."]}),
    ({"enabled": 1, "burst": 3}, {"enabled": ["This value should be of type bool."],
                                  "burst": ["This field was not expected."]}),
    ([], {"body": ["This value should be of type object."]}),
])
def test_bad_settings_are_422_and_change_nothing(sandbox: Sandboxed, body, errors):
    r = sandbox.control("PUT", "rate_limit", json=body)
    assert (r.status_code, r.json()) == (422, error(next(iter(errors.values()))[0], errors))
    assert sandbox.control("GET", "rate_limit").json() == OFF


# --- several server processes over one PostgreSQL database ---------------------------------------

def test_the_limit_is_shared_by_every_server_process(postgres_template):
    url = postgres_template.fresh()
    env = {"ALTEGIO_SANDBOX": "1", "ALTEGIO_SANDBOX_TOKEN": SANDBOX_TOKEN}
    with LiveServer(url, workers=2, frozen_time=NOW, env=env) as one, LiveServer(url, frozen_time=NOW, env=env) as two:
        control = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
        r = httpx.put(f"{one.url}/_sandbox/rate_limit", json={"per_second": 1000, "per_minute": 6}, headers=control)
        assert r.status_code == 200
        _not_at_the_end_of_a_minute()
        # Six requests spread over three processes: counted per process, none would reach the limit.
        statuses = [_tags(server).status_code for server in (one, two, one, two, one, two)]
        assert statuses == [200] * 6
        for server in (one, two, one):
            r = _tags(server)
            seconds = int(r.headers["retry-after"])
            assert (r.status_code, r.json()) == (429, too_many(seconds)) and 1 <= seconds <= 60


def _tags(server: LiveServer) -> httpx.Response:
    return httpx.get(server.url + TAGS, headers={"Authorization": AUTH, "Accept": V2}, timeout=10)


def _not_at_the_end_of_a_minute() -> None:
    """The servers count in windows of real time: start a test of one minute's count well inside one."""
    left = 60 - time.time() % 60
    if left < 15:
        time.sleep(left + 0.1)
