"""POST /api/v1/auth (behaviour 7.1): a login and password, with the partner token alone."""

from __future__ import annotations

import re
from typing import Any, Awaitable, Callable

import pytest

from altegio_server.auth import partner_tokens
from altegio_server.clock import FixedClock
from altegio_server.db import open_database
from altegio_server.deps import Deps
from altegio_server.users import service as users
from tests.conftest import DEMO, NOW, PRAGUE, error
from tests.databases import run

PARTNER = f"Bearer {DEMO['partner_token']}"
OWNER = {"id": 1, "name": "Demo Owner", "phone": "+10000000001", "email": "owner@demo.example", "avatar": "",
         "is_approved": True, "is_email_confirmed": True}
VIEWER = {"id": 2, "name": "Demo Viewer", "phone": "", "email": "viewer@demo.example", "avatar": "",
          "is_approved": True, "is_email_confirmed": True}
INCORRECT = error("Incorrect login or password")
TAGS = f"/api/v2/locations/{PRAGUE['id']}/tags"


def log_in(api, login: Any, password: Any = "demo-password", auth: str | None = PARTNER, **kw: Any):
    return api.post("/api/v1/auth", json={"login": login, "password": password}, auth=auth, accept=None, **kw)


def logged_in(user: dict[str, Any], login: str, token: str) -> dict[str, Any]:
    return {"success": True, "data": {**user, "login": login, "user_token": token}, "meta": []}


def token_of(response) -> str:
    assert response.status_code == 201, response.text
    token = response.json()["data"]["user_token"]
    assert re.fullmatch(r"[0-9a-f]{32}", token)
    return token


def as_user(token: str) -> str:
    return f"{PARTNER}, User {token}"


def with_service(database_url: str, work: Callable[[Deps], Awaitable[Any]]) -> Any:
    """Run a service command against the test's database, as the command line would."""
    async def go() -> Any:
        db = open_database(database_url, pool_size=1)
        await db.connect()
        try:
            return await work(Deps(db, FixedClock(NOW)))
        finally:
            await db.close()

    return run(go())


def test_login_by_email_gives_201_with_the_user_and_a_new_token(api):
    r = log_in(api, "owner@demo.example")
    assert r.status_code == 201
    assert r.json() == logged_in(OWNER, "owner@demo.example", token_of(r))


def test_email_login_ignores_case_and_answers_the_login_as_stored(api):
    r = log_in(api, "  Owner@Demo.EXAMPLE ")
    assert r.json() == logged_in(OWNER, "owner@demo.example", token_of(r))


@pytest.mark.parametrize("phone", ["+10000000001", "10000000001", "+1 (000) 000-00-01", "1 000 000 0001",
                                   "+1.000.000.0001"])
def test_login_by_phone_ignores_its_punctuation_and_answers_the_stored_phone(api, phone):
    r = log_in(api, phone)
    assert r.json() == logged_in(OWNER, "+10000000001", token_of(r))


def test_the_login_answered_is_the_one_matched_with_its_stored_case(api, database_url):
    with_service(database_url, lambda deps: users.create_user(
        deps, "Anna", "Anna.Novak@Example.COM", "+420 601 000 009", "anna-password", []))
    by_email = log_in(api, "anna.novak@example.com", "anna-password")
    assert by_email.json()["data"]["login"] == "Anna.Novak@Example.COM"
    by_phone = log_in(api, "420-601-000-009", "anna-password")
    assert by_phone.json()["data"]["login"] == "+420601000009"


def test_a_user_without_a_phone_gets_an_empty_string_not_null(api):
    r = log_in(api, "viewer@demo.example", "viewer-password")
    assert r.json() == logged_in(VIEWER, "viewer@demo.example", token_of(r))


def test_wrong_password_is_401(api):
    r = log_in(api, "owner@demo.example", "demo-password!")
    assert (r.status_code, r.json()) == (401, INCORRECT)


@pytest.mark.parametrize("login", ["nobody@demo.example", "+1 000 000 0002", "+()", "owner"])
def test_unknown_login_is_401_like_a_wrong_password(api, login):
    r = log_in(api, login)
    assert (r.status_code, r.json()) == (401, INCORRECT)


def test_missing_fields_are_422_with_field_errors(api):
    r = api.post("/api/v1/auth", json={}, auth=PARTNER, accept=None)
    missing = {"login": ["This field is missing."], "password": ["This field is missing."]}
    assert (r.status_code, r.json()) == (422, error("This field is missing.", missing))


def test_a_missing_password_alone_is_named(api):
    r = api.post("/api/v1/auth", json={"login": "owner@demo.example"}, auth=PARTNER, accept=None)
    assert (r.status_code, r.json()) == (422, error("This field is missing.",
                                                    {"password": ["This field is missing."]}))


def test_wrong_types_are_422(api):
    r = log_in(api, 10000000001, ["demo-password"])
    wrong = {"login": ["This value should be of type string."], "password": ["This value should be of type string."]}
    assert (r.status_code, r.json()) == (422, error("This value should be of type string.", wrong))


def test_blank_and_null_fields_are_422(api):
    r = log_in(api, "", None)
    errors = {"login": ["This value should not be blank."], "password": ["This value should not be null."]}
    assert (r.status_code, r.json()) == (422, error("This value should not be blank.", errors))


def test_a_body_that_is_not_an_object_is_422(api):
    r = api.post("/api/v1/auth", json=["owner@demo.example", "demo-password"], auth=PARTNER, accept=None)
    errors = {"body": ["This value should be of type object."]}
    assert (r.status_code, r.json()) == (422, error("This value should be of type object.", errors))


def test_a_body_that_is_not_json_is_400(api):
    r = api.post("/api/v1/auth", content=b"login=owner", auth=PARTNER, accept=None)
    assert (r.status_code, r.json()) == (400, error("Invalid JSON"))


def test_fields_beyond_login_and_password_are_ignored(api):
    r = api.post("/api/v1/auth", json={"login": "owner@demo.example", "password": "demo-password", "remember": 1},
                 auth=PARTNER, accept=None)
    assert r.json() == logged_in(OWNER, "owner@demo.example", token_of(r))


@pytest.mark.parametrize("auth", [None, "Bearer not-a-partner-token", "Bearer",
                                  "User demo-user-token-1b7e4a92c6f8d035"])
def test_missing_or_unknown_partner_token_is_401_before_the_body_is_read(api, auth):
    r = api.post("/api/v1/auth", json={}, auth=auth, accept=None)
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))


def test_a_revoked_partner_token_is_401(api, database_url):
    with_service(database_url, lambda deps: partner_tokens.revoke(deps, DEMO["partner_token"]))
    r = log_in(api, "owner@demo.example")
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))


@pytest.mark.parametrize("accept", ["text/html", "application/vnd.api.v2+json", "*/*"])
def test_any_accept_header_will_do(api, accept):
    r = log_in(api, "owner@demo.example", headers={"Accept": accept})
    assert r.status_code == 201


def test_a_trailing_slash_is_the_same_operation(api):
    r = api.post("/api/v1/auth/", json={"login": "owner@demo.example", "password": "demo-password"},
                 auth=PARTNER, accept=None)
    assert r.json() == logged_in(OWNER, "owner@demo.example", token_of(r))


def test_the_token_works_on_v2_at_once_with_the_users_own_rights(api):
    owner = token_of(log_in(api, "owner@demo.example"))
    viewer = token_of(log_in(api, "viewer@demo.example", "viewer-password"))
    assert api.get(TAGS, auth=as_user(owner)).status_code == 200
    assert api.get(TAGS, auth=as_user(viewer)).status_code == 200
    r = api.post(TAGS, json={"title": "New", "color": "#000000"}, auth=as_user(viewer))
    assert (r.status_code, r.json()) == (403, error("Access denied."))


def test_logging_in_twice_gives_two_tokens_that_both_work(api):
    first = token_of(log_in(api, "owner@demo.example"))
    second = token_of(log_in(api, "+10000000001"))
    assert first != second
    assert api.get(TAGS, auth=as_user(first)).status_code == 200
    assert api.get(TAGS, auth=as_user(second)).status_code == 200
    assert api.get(TAGS).status_code == 200  # the user's main token still works too


def test_beyond_the_limit_each_login_retires_the_oldest_login_token(api, monkeypatch):
    monkeypatch.setattr(users, "MAX_LOGIN_TOKENS", 2)
    tokens = [token_of(log_in(api, "owner@demo.example")) for _ in range(3)]
    assert [api.get(TAGS, auth=as_user(t)).status_code for t in tokens] == [401, 200, 200]


def test_a_password_change_refuses_every_earlier_token_and_the_old_password(api, database_url):
    logins = [token_of(log_in(api, "owner@demo.example")) for _ in range(2)]
    issued = with_service(database_url, lambda deps: users.set_password(deps, "owner@demo.example", "new-password"))

    for old in [DEMO["user_token"], *logins]:
        r = api.get(TAGS, auth=as_user(old))
        assert (r.status_code, r.json()) == (401, error("Authentication needed."))
    r = log_in(api, "owner@demo.example", "demo-password")
    assert (r.status_code, r.json()) == (401, INCORRECT)

    assert api.get(TAGS, auth=as_user(issued.token)).status_code == 200
    fresh = log_in(api, "owner@demo.example", "new-password")
    assert api.get(TAGS, auth=as_user(token_of(fresh))).status_code == 200


def test_another_users_password_change_leaves_this_users_tokens_alone(api, database_url):
    token = token_of(log_in(api, "owner@demo.example"))
    with_service(database_url, lambda deps: users.set_password(deps, "viewer@demo.example", "new-password"))
    assert api.get(TAGS, auth=as_user(token)).status_code == 200
    assert api.get(TAGS).status_code == 200
