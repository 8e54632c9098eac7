"""Signing in and out of the console, its session cookie, CSRF and throttle (behaviour 21.1, 21.2)."""

from __future__ import annotations

import re

import pytest

from altegio_server.clock import FixedClock
from tests.console.conftest import OWNER, SANDBOX_TOKEN, VIEWER, Browser, browser, console_app
from tests.factories import execute, fetch

INCORRECT = "Incorrect login or password."


def _error(html: str) -> str | None:
    found = re.search(r'<p class="error" role="alert" id="form-error">([^<]*)</p>', html)
    return found.group(1) if found else None


def _cookie_header(response, name: str) -> str:
    headers = [h for h in response.headers.get_list("set-cookie") if h.startswith(name + "=")]
    assert len(headers) == 1, response.headers.get_list("set-cookie")
    return headers[0]


def test_the_form_has_a_csrf_field_and_its_secret_in_an_http_only_cookie(console: Browser) -> None:
    r = console.get("/console/login")
    assert r.status_code == 200
    assert "<title>Sign in · Altegio server console</title>" in r.text
    assert re.search(r'<input type="hidden" name="csrf_token" value="[0-9a-f]{64}">', r.text)
    for label, field in (("E-mail or phone", "login"), ("Password", "password")):
        assert f'<label for="{field}">{label}</label>' in r.text
    cookie = _cookie_header(r, "altegio_console_login").lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/console" in cookie


def test_signing_in_sets_an_http_only_lax_session_cookie_that_expires(console: Browser) -> None:
    r = console.sign_in(*OWNER)
    assert (r.status_code, r.headers["location"]) == (303, "/console")
    cookie = _cookie_header(r, "altegio_console").lower()
    assert "httponly" in cookie and "samesite=lax" in cookie and "path=/console" in cookie
    assert "max-age=43200" in cookie and "secure" not in cookie  # plain http here
    home = console.get("/console")
    assert (home.status_code, home.headers["location"]) == (303, "/console/locations/101/week")
    week = console.get("/console/locations/101/week")
    assert week.status_code == 200 and "Demo Owner" in week.text


def test_a_wrong_password_and_an_unknown_login_read_the_same(console: Browser) -> None:
    wrong_password = console.sign_in(OWNER[0], "not-the-password")
    unknown_login = console.sign_in("nobody@example.com", OWNER[1])
    for r in (wrong_password, unknown_login):
        assert r.status_code == 401
        assert _error(r.text) == INCORRECT
        assert "altegio_console=" not in "".join(r.headers.get_list("set-cookie"))
    # The login typed is kept; the password never is.
    assert f'value="{OWNER[0]}"' in wrong_password.text and OWNER[1] not in unknown_login.text


def test_empty_fields_are_named_next_to_them(console: Browser) -> None:
    r = console.sign_in("", "")
    assert r.status_code == 400
    assert '<p class="field-error" id="login-error">Enter your e-mail or phone.</p>' in r.text
    assert '<p class="field-error" id="password-error">Enter your password.</p>' in r.text
    assert 'aria-describedby="login-error"' in r.text


@pytest.mark.parametrize("token", [None, "", "0" * 64])
def test_a_sign_in_without_the_forms_csrf_token_is_refused(console: Browser, token: str | None) -> None:
    console.get("/console/login")
    fields = {"login": OWNER[0], "password": OWNER[1]}
    if token is not None:
        fields["csrf_token"] = token
    r = console.post("/console/login", fields)
    assert r.status_code == 403
    assert _error(r.text) == "This form had expired. Please sign in again."
    assert console.get("/console/locations/101/week").status_code == 303  # not signed in


def test_a_token_from_another_browsers_form_does_not_sign_in(console: Browser) -> None:
    other = browser(console.client)
    token = other.csrf("/console/login")
    console.get("/console/login")  # this browser's own secret differs
    r = console.post("/console/login", {"csrf_token": token, "login": OWNER[0], "password": OWNER[1]})
    assert r.status_code == 403


def test_failed_sign_ins_are_throttled_and_then_even_the_right_password_waits(
        database_url: str, clock: FixedClock) -> None:
    with console_app(database_url, clock, login_attempts=3) as client:
        b = Browser(client)
        for _ in range(3):
            assert b.sign_in(OWNER[0], "wrong").status_code == 401
        r = b.sign_in(*OWNER)
        assert r.status_code == 429
        assert int(r.headers["retry-after"]) >= 1
        assert _error(r.text) == f"Too many sign-in attempts. Try again in {r.headers['retry-after']} seconds."


def test_signing_in_goes_on_to_the_page_asked_for_and_never_off_the_console(console: Browser) -> None:
    page = "/console/locations/102/week?start=2027-01-20&staff_id=4"
    r = console.get(page)
    assert (r.status_code, r.headers["location"]) == (
        303, "/console/login?next=/console/locations/102/week%3Fstart%3D2027-01-20%26staff_id%3D4")
    form = console.get(r.headers["location"]).text
    assert f'name="next" value="{page.replace("&", "&amp;")}"' in form
    for target, expected in ((page, page),
                             ("https://evil.example/", "/console"), ("//evil.example", "/console"),
                             ("/console//evil.example", "/console")):
        console.client.cookies.clear()
        token = console.csrf("/console/login")
        r = console.post("/console/login", {"csrf_token": token, "login": OWNER[0], "password": OWNER[1],
                                            "next": target})
        assert (r.status_code, r.headers["location"]) == (303, expected)


def test_without_a_session_pages_send_to_sign_in_and_forms_change_nothing(console: Browser) -> None:
    for path in ("/console", "/console/locations/101/week", "/console/logout"):
        r = console.get(path)
        assert r.status_code == 303 and r.headers["location"].startswith("/console/login?next=")
    r = console.post("/console/logout", {"csrf_token": "x"})
    assert r.status_code == 403
    assert "Your session has ended." in r.text


def test_signing_out_ends_the_session_everywhere(owner: Browser, database_url: str) -> None:
    cookie = owner.client.cookies.get("altegio_console")
    page = owner.get("/console/logout")
    assert page.status_code == 200 and "<title>Sign out · Altegio server console</title>" in page.text
    r = owner.submit("/console/logout", "/console/logout", {})
    assert (r.status_code, r.headers["location"]) == (303, "/console/login?signed_out=1")
    assert "altegio_console=" in _cookie_header(r, "altegio_console") and "max-age=0" in _cookie_header(
        r, "altegio_console").lower()
    assert 'You have signed out.' in owner.get("/console/login?signed_out=1").text
    # The old cookie, sent again, is no session any more.
    owner.client.cookies.set("altegio_console", cookie, path="/console")
    assert owner.get("/console/locations/101/week").status_code == 303
    assert fetch(database_url, "SELECT COUNT(*) AS n FROM console_sessions")[0]["n"] == 0


def test_signing_out_needs_the_csrf_token(owner: Browser) -> None:
    r = owner.post("/console/logout", {"csrf_token": "forged"})
    assert r.status_code == 403
    assert "This form has expired." in r.text
    assert owner.get("/console/locations/101/week").status_code == 200


def test_a_changed_password_or_an_expired_session_signs_out(owner: Browser, database_url: str) -> None:
    execute(database_url, "UPDATE console_sessions SET expires_at = 1")
    assert owner.get("/console/locations/101/week").status_code == 303
    assert owner.sign_in(*OWNER).status_code == 303
    assert owner.get("/console/locations/101/week").status_code == 200
    execute(database_url, "UPDATE users SET password_hash = password_hash || 'x' WHERE id = 1")
    assert owner.get("/console/locations/101/week").status_code == 303


def test_a_user_keeps_at_most_twenty_sessions(database_url: str, clock: FixedClock) -> None:
    with console_app(database_url, clock, login_attempts=100) as client:
        first = Browser(client)
        assert first.sign_in(*OWNER).status_code == 303
        for _ in range(20):
            assert browser(client).sign_in(*OWNER).status_code == 303
        assert fetch(database_url, "SELECT COUNT(*) AS n FROM console_sessions")[0]["n"] == 20
        assert first.get("/console/locations/101/week").status_code == 303  # the oldest went


def test_a_user_sees_only_the_locations_granted(owner: Browser, database_url: str) -> None:
    execute(database_url, "DELETE FROM user_locations WHERE user_id = 1 AND location_id = 102")
    week = owner.get("/console/locations/101/week")
    assert "Demo Studio Prague" in week.text and "Demo Studio New York" not in week.text
    for path in ("/console/locations/102/week", "/console/locations/999/week",
                 "/console/locations/99999999999999999999/week"):
        r = owner.get(path)
        assert r.status_code == 404, path
        assert "There is nothing here, or you have no access to it." in r.text


def test_a_read_only_user_signs_in_and_sees_their_locations_marked(console: Browser) -> None:
    assert console.sign_in(*VIEWER).status_code == 303
    week = console.get("/console/locations/102/week")
    assert week.status_code == 200
    assert week.text.count('<span class="pill">read-only</span>') == 2


def test_every_answer_carries_the_security_headers(owner: Browser) -> None:
    for path in ("/console/login", "/console/locations/101/week", "/console/locations/999/week"):
        headers = owner.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert "frame-ancestors 'none'" in headers["content-security-policy"]
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["cache-control"] == "no-store"


def test_forms_are_bounded_and_url_encoded(owner: Browser) -> None:
    token = owner.csrf("/console/logout")
    big = owner.post("/console/logout", {"csrf_token": token, "pad": "x" * 20_000})
    assert big.status_code == 413 and "The form is too large." in big.text
    as_json = owner.client.post("/console/logout", json={"csrf_token": token}, follow_redirects=False)
    assert as_json.status_code == 415
    assert owner.get("/console/locations/101/week").status_code == 200


def test_the_console_can_be_switched_off(database_url: str, clock: FixedClock) -> None:
    with console_app(database_url, clock, console=False) as client:
        assert client.get("/console/login").status_code == 404
        assert client.get("/console").status_code == 404


def test_a_signed_in_user_asking_for_the_form_goes_on(owner: Browser) -> None:
    r = owner.get("/console/login?next=/console/locations/102/week")
    assert (r.status_code, r.headers["location"]) == (303, "/console/locations/102/week")


def test_a_sandbox_reset_or_a_moved_clock_signs_no_one_out(sandbox_console: Browser) -> None:
    auth = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
    assert sandbox_console.client.post("/_sandbox/reset", headers=auth).status_code == 200
    assert sandbox_console.client.post("/_sandbox/clock/advance", json={"seconds": 30 * 86400},
                                       headers=auth).status_code == 200
    week = sandbox_console.get("/console/locations/101/week")
    assert week.status_code == 200
    assert "Week of 2027-02-08" in week.text  # the sandbox's clock, 30 days on from Sunday 10 January


@pytest.mark.parametrize("path", ["/console/nothing", "/console/locations/abc/week", "/console/locations/101"])
def test_an_unknown_console_path_is_a_page_too(console: Browser, path: str) -> None:
    r = console.get(path)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")
    assert "There is no such page in the console." in r.text


def test_cookies_can_be_marked_secure_behind_a_proxy_that_ends_tls(database_url: str, clock: FixedClock) -> None:
    with console_app(database_url, clock, console_secure_cookies=True) as client:
        b = Browser(client)
        assert "; secure" in _cookie_header(b.get("/console/login"), "altegio_console_login").lower()
