"""POST /api/v1/auth is throttled per login and per client address (behaviour 9.5): the
vendor's 429 envelope, its wording with the real number of seconds, and `Retry-After`."""

from __future__ import annotations

import time
from typing import Iterator

import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.config import Settings
from tests.api.v1.test_auth import INCORRECT, VIEWER, log_in, logged_in, token_of
from tests.conftest import Api, error


def throttled(seconds: int) -> dict:
    return error(f"Превышен лимит запросов, попробуйте повторить запрос через {seconds} секунд.")


def assert_throttled(r, window: float) -> int:
    """The 429 envelope; the seconds it names, which `Retry-After` repeats."""
    seconds = int(r.headers["retry-after"])
    assert 1 <= seconds <= window
    assert (r.status_code, r.json()) == (429, throttled(seconds))
    return seconds


@pytest.fixture
def make_api(database_url: str, clock) -> Iterator:
    clients: list[TestClient] = []

    def make(**settings: float) -> Api:
        client = TestClient(create_app(Settings(database_url=database_url, **settings), clock=clock),
                            raise_server_exceptions=False)
        clients.append(client.__enter__())
        return Api(client)

    yield make
    for client in clients:
        client.__exit__(None, None, None)


def test_a_login_tried_too_often_is_429_even_with_the_right_password(make_api):
    api = make_api(login_attempts=3, login_address_attempts=100, login_window_seconds=3600)
    for _ in range(3):
        r = log_in(api, "owner@demo.example", "wrong-password")
        assert (r.status_code, r.json()) == (401, INCORRECT)
    assert_throttled(log_in(api, "owner@demo.example"), 3600)
    assert_throttled(log_in(api, "OWNER@Demo.Example "), 3600)  # the same account, however spelled
    r = log_in(api, "viewer@demo.example", "viewer-password")  # another login is not held back
    assert (r.status_code, r.json()) == (201, logged_in(VIEWER, "viewer@demo.example", token_of(r)))


def test_a_phone_login_counts_once_whatever_its_punctuation(make_api):
    api = make_api(login_attempts=2, login_address_attempts=100, login_window_seconds=3600)
    assert log_in(api, "+1 000 000 0001", "wrong-password").status_code == 401
    assert log_in(api, "1(000)000-00-01", "wrong-password").status_code == 401
    assert_throttled(log_in(api, "+10000000001"), 3600)


def test_one_client_address_trying_many_logins_is_429(make_api):
    api = make_api(login_attempts=100, login_address_attempts=4, login_window_seconds=3600)
    for i in range(4):
        r = log_in(api, f"guess{i}@demo.example", "wrong-password")
        assert (r.status_code, r.json()) == (401, INCORRECT)
    assert_throttled(log_in(api, "owner@demo.example"), 3600)


def test_the_window_ends_and_attempts_are_allowed_again(make_api):
    api = make_api(login_attempts=1, login_address_attempts=100, login_window_seconds=1)
    token_of(log_in(api, "owner@demo.example"))
    assert assert_throttled(log_in(api, "owner@demo.example"), 1) == 1
    time.sleep(1.05)
    token_of(log_in(api, "owner@demo.example"))


def test_refused_attempts_do_not_extend_the_wait(make_api):
    api = make_api(login_attempts=1, login_address_attempts=100, login_window_seconds=1.5)
    token_of(log_in(api, "owner@demo.example"))
    for _ in range(5):
        assert_throttled(log_in(api, "owner@demo.example"), 2)
    time.sleep(1.55)
    token_of(log_in(api, "owner@demo.example"))


def test_zero_limits_turn_the_throttle_off(make_api):
    api = make_api(login_attempts=0, login_address_attempts=0)
    for _ in range(30):
        assert log_in(api, "owner@demo.example", "wrong-password").status_code == 401
    token_of(log_in(api, "owner@demo.example"))


def test_the_throttle_is_on_by_default_at_10_attempts_a_minute_per_login(api):
    for _ in range(10):
        assert log_in(api, "owner@demo.example", "wrong-password").status_code == 401
    assert_throttled(log_in(api, "owner@demo.example"), 60)


def test_without_the_partner_token_nothing_is_counted(make_api):
    api = make_api(login_attempts=1, login_address_attempts=1, login_window_seconds=3600)
    for _ in range(5):
        r = log_in(api, "owner@demo.example", auth=None)
        assert (r.status_code, r.json()) == (401, error("Authentication needed."))
    token_of(log_in(api, "owner@demo.example"))
