"""Every 401 and 403 answers with the vendor's fixed body and logs its reason at info level, on
`altegio_server.auth`, in one bounded line that holds no token and no part of a bad header
(behaviour 13.3). Read from a real server process's stderr."""

from __future__ import annotations

import httpx
import pytest

from tests import sql
from tests.conftest import DEMO, NOW, PRAGUE, READONLY_AUTH, V2, error
from tests.live_server import LiveServer

PARTNER, USER, READONLY = DEMO["partner_token"], DEMO["user_token"], DEMO["readonly_user_token"]
WRONG_PARTNER, WRONG_USER = "wrong-partner-7f3a9c", "wrong-user-0b8d2e"
BAD_HEADER = "Token s3cr3t-malformed-header-value"
HUGE_HEADER = "Basic " + "h" * 10_000
# Tokens, passwords, logins and any part of a bad header: none may reach the log.
SECRETS = [PARTNER, USER, READONLY, WRONG_PARTNER, WRONG_USER, DEMO["user"]["password"], "not-the-password",
           DEMO["user"]["login"], "nobody@demo.example", "s3cr3t-malformed", "hhhhhhhh"]
PREFIX = "altegio_server.auth: "
MAX_LINE = 300

TAGS = f"/api/v2/locations/{PRAGUE['id']}/tags"
NEW_YORK_TAGS = "/api/v2/locations/102/tags"
NEEDED, DENIED = error("Authentication needed."), error("Access denied.")
NOT_CHANGEABLE = error("Category cannot be changed")

# (method, path, Authorization header or None, JSON body, status, answer, the reason logged)
CASES = [
    ("GET", TAGS, None, None, 401, NEEDED, f"401 GET {TAGS}: no Authorization header"),
    ("GET", TAGS, "", None, 401, NEEDED, f"401 GET {TAGS}: empty Authorization header"),
    ("GET", TAGS, BAD_HEADER, None, 401, NEEDED,
     f"401 GET {TAGS}: malformed Authorization header ({len(BAD_HEADER)} characters), "
     "not 'Bearer <partner token>, User <user token>'"),
    ("GET", TAGS, f"Bearer {PARTNER}", None, 401, NEEDED,
     f"401 GET {TAGS}: no user token in the Authorization header, only a partner token"),
    ("GET", TAGS, f"Bearer {WRONG_PARTNER}, User {USER}", None, 401, NEEDED,
     f"401 GET {TAGS}: unknown or revoked partner token (the user token is user 1's)"),
    ("GET", TAGS, f"Bearer {PARTNER}, User {WRONG_USER}", None, 401, NEEDED, f"401 GET {TAGS}: unknown user token"),
    ("GET", TAGS, f"Bearer {WRONG_PARTNER}, User {WRONG_USER}", None, 401, NEEDED,
     f"401 GET {TAGS}: unknown or revoked partner token, and unknown user token"),
    ("GET", NEW_YORK_TAGS, READONLY_AUTH, None, 403, DENIED,
     f"403 GET {NEW_YORK_TAGS}: user 2 has no access to location 102"),
    ("POST", TAGS, READONLY_AUTH, {"title": "Logged", "color": "#123456"}, 403, DENIED,
     f"403 POST {TAGS}: user 2 has read-only access to location 101"),
    ("DELETE", f"{TAGS}/{PRAGUE['readonly_tag_id']}", f"Bearer {PARTNER}, User {USER}", None, 403, NOT_CHANGEABLE,
     f"403 DELETE {TAGS}/{PRAGUE['readonly_tag_id']}: tag {PRAGUE['readonly_tag_id']} is not editable"),
    ("POST", "/api/v1/auth", None, {"login": "x", "password": "y"}, 401, NEEDED,
     "401 POST /api/v1/auth: no Authorization header"),
    ("POST", "/api/v1/auth", f"Bearer {WRONG_PARTNER}", {"login": "x", "password": "y"}, 401, NEEDED,
     "401 POST /api/v1/auth: unknown or revoked partner token"),
    ("POST", "/api/v1/auth", f"Bearer {PARTNER}", {"login": DEMO["user"]["login"], "password": "not-the-password"},
     401, error("Incorrect login or password"), "401 POST /api/v1/auth: wrong password for user 1"),
    ("POST", "/api/v1/auth", f"Bearer {PARTNER}", {"login": "nobody@demo.example", "password": "not-the-password"},
     401, error("Incorrect login or password"), "401 POST /api/v1/auth: unknown login"),
]


def _send(server: LiveServer, method: str, path: str, authorization: str | None, body: object) -> httpx.Response:
    headers = {"Accept": V2}
    if authorization is not None:
        headers["Authorization"] = authorization
    return httpx.request(method, server.url + path, headers=headers, json=body)


def _refusal_lines(log: str) -> list[str]:
    return [line.split(PREFIX, 1)[1] for line in log.splitlines() if PREFIX in line]


@pytest.fixture
def server(database_url):
    # The read-only demo user keeps access to Prague only, so New York is a location it may not see.
    sql.execute(database_url, "DELETE FROM user_locations WHERE user_id = 2 AND location_id = 102")
    with LiveServer(database_url, frozen_time=NOW, env={"ALTEGIO_LOG_LEVEL": "info"}) as live:
        yield live


def test_each_refusal_answers_the_vendors_body_and_logs_its_reason_without_a_token(server):
    for method, path, authorization, body, status, answer, _ in CASES:
        r = _send(server, method, path, authorization, body)
        assert (r.status_code, r.json()) == (status, answer), (method, path)
    server.stop()  # every line written
    log = server.log()
    assert _refusal_lines(log) == [reason for *_, reason in CASES]
    assert [s for s in SECRETS if s in log] == []


def test_a_refusal_line_stays_short_whatever_the_path_and_header(server):
    path = f"/api/v2/locations/{'9' * 5000}/tags"
    r = _send(server, "GET", path, HUGE_HEADER, None)
    assert (r.status_code, r.json()) == (401, NEEDED)
    server.stop()
    log = server.log()
    [line] = [line for line in log.splitlines() if PREFIX in line]
    reason = f"malformed Authorization header ({len(HUGE_HEADER)} characters)"
    assert line.split(PREFIX, 1)[1] == f"401 GET /api/v2/locations/{'9' * 101}…: {reason}, not 'Bearer <partner " \
                                       "token>, User <user token>'"
    assert len(line) <= MAX_LINE + len("INFO:     ") + len(PREFIX)
    assert "hhhhhhhh" not in log


def test_successful_requests_log_no_refusal(server):
    r = _send(server, "GET", TAGS, f"Bearer {PARTNER}, User {USER}", None)
    assert r.status_code == 200
    server.stop()
    assert _refusal_lines(server.log()) == []
