"""The sandbox's console pages (behaviour 21.5): each shows what its `/_sandbox/...` control
shows, and each control changes what that control then answers."""

from __future__ import annotations

import asyncio
import re
from html import unescape
from typing import Any, Iterator

import httpx
import pytest

from altegio_server.clock import FixedClock
from altegio_server.sandbox import journal_repository as journal
from altegio_server.sandbox import snapshots
from altegio_server.sandbox.journal_repository import COLUMNS
from tests import factories as f
from tests.conftest import NEW_YORK, NOW, Api
from tests.console.conftest import OWNER, SANDBOX_TOKEN, VIEWER, Browser, browser, console_app
from tests.event_factories import create_event, events_path
from tests.sql import execute, in_transaction, value
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_delivery import book, hook, wait_logged

DAY = 86400
NOW_TS = int(NOW.timestamp())
FAST = {"webhook_poll": 0.05, "webhook_retry_interval": 0.05, "webhook_timeout": 2.0}
PAGES = ("/console/sandbox", "/console/sandbox/requests", "/console/sandbox/requests/1",
         "/console/sandbox/deliveries", "/console/sandbox/clock", "/console/sandbox/state")
CONTROLS = {  # every control, with fields that would change something
    "/console/sandbox/clock": {"at": "2027-03-01T10:00", "zone": "UTC", "mode": "frozen"},
    "/console/sandbox/clock/advance": {"seconds": "86400"},
    "/console/sandbox/clock/real": {},
    "/console/sandbox/reset": {},
    "/console/sandbox/snapshots": {"name": "new"},
    "/console/sandbox/snapshots/restore": {"name": "kept"},
    "/console/sandbox/snapshots/delete": {"name": "kept"},
    "/console/sandbox/journal": {"enabled": "0"},
    "/console/sandbox/requests/clear": {},
    "/console/sandbox/deliveries/1/replay": {},
}


def control(b: Browser, method: str, path: str, json: Any = None) -> httpx.Response:
    """A `/_sandbox/...` control, as an integrator's test calls it."""
    headers = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
    return b.client.request(method, f"/_sandbox/{path}", json=json, headers=headers)


def api(b: Browser) -> Api:
    return Api(b.client)


def text(r: httpx.Response) -> str:
    """The page's text without its tags, spaces folded: what a reader sees."""
    return re.sub(r" ([.,:])", r"\1", " ".join(unescape(re.sub(r"<[^>]+>", " ", r.text)).split()))


def post_forms(r: httpx.Response) -> list[str]:
    return re.findall(r'<form method="post" action="([^"]*)"', r.text)


def title(r: httpx.Response) -> str:
    found = re.search(r"<title>(.*?)</title>", r.text)
    assert found
    return unescape(found.group(1))


def submit(b: Browser, page: str, action: str, fields: dict[str, str] | None = None) -> httpx.Response:
    return b.submit(page, action, fields or {})


def clock_now(b: Browser) -> dict[str, Any]:
    r = control(b, "GET", "clock")
    assert r.status_code == 200
    return r.json()


@pytest.fixture
def owner_sandbox(database_url: str, clock: FixedClock) -> Iterator[Browser]:
    """The demo owner, signed in, on a server in sandbox mode that sends webhooks at once."""
    with console_app(database_url, clock, sandbox=True, sandbox_max_snapshots=2, **FAST) as client:
        b = Browser(client)
        assert b.sign_in(*OWNER).status_code == 303
        yield b


@pytest.fixture
def viewer(owner_sandbox: Browser) -> Browser:
    """The demo viewer (read-only on both locations), signed in on the same server."""
    b = browser(owner_sandbox.client)
    assert b.sign_in(*VIEWER).status_code == 303
    return b


# Who sees what

def test_without_sandbox_mode_every_sandbox_path_is_unknown(owner: Browser):
    for path in PAGES:
        assert owner.get(path).status_code == 404, path
    token = owner.csrf("/console/logout")
    for path, fields in CONTROLS.items():
        assert owner.post(path, {"csrf_token": token, **fields}).status_code == 404, path
    assert "/console/sandbox" not in owner.get("/console/locations/101/week").text


def test_without_a_session_pages_send_to_sign_in_and_controls_are_refused(owner_sandbox: Browser):
    stranger = browser(owner_sandbox.client)
    r = stranger.get("/console/sandbox/clock")
    assert (r.status_code, r.headers["location"]) == (303, "/console/login?next=/console/sandbox/clock")
    before = clock_now(owner_sandbox)
    r = stranger.post("/console/sandbox/clock/advance", {"seconds": "86400", "csrf_token": "x"})
    assert r.status_code == 403 and "Your session has ended" in text(r)
    assert clock_now(owner_sandbox) == before


def test_a_form_without_the_right_csrf_token_is_refused_and_changes_nothing(owner_sandbox: Browser):
    before = clock_now(owner_sandbox)
    for fields in ({"seconds": "86400"}, {"seconds": "86400", "csrf_token": "not-the-token"}):
        r = owner_sandbox.post("/console/sandbox/clock/advance", fields)
        assert r.status_code == 403 and "This form has expired" in text(r)
    assert clock_now(owner_sandbox) == before


def test_a_user_without_every_location_has_no_sandbox_pages(owner_sandbox: Browser, database_url: str):
    execute(database_url, ("DELETE FROM user_locations WHERE user_id = 2 AND location_id = $1", NEW_YORK["id"]))
    b = browser(owner_sandbox.client)
    assert b.sign_in(*VIEWER).status_code == 303
    assert '<a href="/console/sandbox"' not in b.get("/console/locations/101/week").text
    for path in PAGES:
        assert b.get(path).status_code == 404, path
    assert b.submit("/console/logout", "/console/sandbox/clock/advance", {"seconds": "1"}).status_code == 404


def test_a_read_only_user_sees_every_page_without_controls_and_is_refused_each_one(
        owner_sandbox: Browser, viewer: Browser, database_url: str):
    with Receiver() as receiver:
        hook(api(owner_sandbox), receiver.url)
        book(api(owner_sandbox), f.make_event(database_url, capacity=5))
        wait_logged(database_url, 1)
    assert submit(owner_sandbox, "/console/sandbox/state", "/console/sandbox/snapshots",
                  {"name": "kept"}).status_code == 303
    for path in PAGES:
        r = viewer.get(path)
        assert r.status_code == 200, path
        assert post_forms(r) == ["/console/logout"], path
    clock, journal = clock_now(owner_sandbox), control(owner_sandbox, "GET", "journal").json()
    token = viewer.csrf("/console/sandbox")
    for path, fields in CONTROLS.items():
        r = viewer.post(path, {"csrf_token": token, **fields})
        assert r.status_code == 403, path
        assert "Your access is read-only: the sandbox's controls change every location." in text(r)
    assert clock_now(owner_sandbox) == clock
    assert control(owner_sandbox, "GET", "journal").json()["enabled"] == journal["enabled"]
    assert [s["name"] for s in control(owner_sandbox, "GET", "snapshots").json()["data"]] == ["kept"]
    assert value(database_url, "SELECT COUNT(*) FROM webhook_deliveries") == 1


# The overview

def test_the_overview_shows_the_clock_and_the_journal_and_links_every_page(owner_sandbox: Browser):
    api(owner_sandbox).get(events_path())
    r = owner_sandbox.get("/console/sandbox")
    assert r.status_code == 200 and title(r) == "Sandbox · Altegio server console"
    assert "Now: 2027-01-10 12:00:00 UTC, running, on the server's own clock." in text(r)
    assert "On: every API request is recorded. It holds 1 entry" in text(r)
    for path in PAGES[1:]:
        if path != "/console/sandbox/requests/1":
            assert f'href="{path}"' in r.text


# The clock

def test_the_clock_page_shows_now_in_utc_and_in_each_location(owner_sandbox: Browser):
    r = owner_sandbox.get("/console/sandbox/clock")
    assert r.status_code == 200 and title(r) == "Clock — Sandbox · Altegio server console"
    page = text(r)
    assert "2027-01-10 12:00:00 UTC Running. The same as the server's own clock." in page
    assert "Demo Studio Prague Europe/Prague 2027-01-10 13:00:00" in page
    assert "Demo Studio New York America/New_York 2027-01-10 07:00:00" in page
    for label in ("Advance 1 hour", "Advance 1 day", "Advance 1 week", "Back to real time", "Set the clock"):
        assert f">{label}</button>" in r.text
    for field in ("seconds", "at", "zone"):
        assert f'<label for="{field}">' in r.text and f'id="{field}"' in r.text


def test_advancing_a_day_moves_the_apis_clock_by_86400_seconds(owner_sandbox: Browser):
    r = submit(owner_sandbox, "/console/sandbox/clock", "/console/sandbox/clock/advance", {"seconds": "86400"})
    assert (r.status_code, r.headers["location"]) == (303, "/console/sandbox/clock?done=advanced")
    assert clock_now(owner_sandbox) == {"now": "2027-01-11T12:00:00+00:00", "frozen": False, "offset_seconds": DAY}
    page = owner_sandbox.get(r.headers["location"])
    assert "The clock has moved." in text(page)
    assert "2027-01-11 12:00:00 UTC Running. 1 day ahead of the server's own clock." in text(page)
    submit(owner_sandbox, "/console/sandbox/clock", "/console/sandbox/clock/advance", {"seconds": "-90061"})
    assert clock_now(owner_sandbox)["offset_seconds"] == -3661
    assert "1 hour 1 minute 1 second behind" in text(owner_sandbox.get("/console/sandbox/clock"))


def test_setting_the_clock_in_a_locations_zone_frozen_or_running_and_back_to_real_time(owner_sandbox: Browser):
    fields = {"at": "2027-03-01T10:00", "zone": "Europe/Prague", "mode": "frozen"}
    r = submit(owner_sandbox, "/console/sandbox/clock", "/console/sandbox/clock", fields)
    assert (r.status_code, r.headers["location"]) == (303, "/console/sandbox/clock?done=set")
    assert clock_now(owner_sandbox) == {"now": "2027-03-01T09:00:00+00:00", "frozen": True,
                                        "offset_seconds": 4309200}
    assert "Frozen: time stands still" in text(owner_sandbox.get("/console/sandbox/clock"))
    submit(owner_sandbox, "/console/sandbox/clock", "/console/sandbox/clock",
           {"at": "2027-01-10T13:00:30", "zone": "UTC", "mode": "running"})
    assert clock_now(owner_sandbox) == {"now": "2027-01-10T13:00:30+00:00", "frozen": False, "offset_seconds": 3630}
    r = submit(owner_sandbox, "/console/sandbox/clock", "/console/sandbox/clock/real")
    assert r.headers["location"] == "/console/sandbox/clock?done=real"
    assert clock_now(owner_sandbox) == {"now": NOW.isoformat(), "frozen": False, "offset_seconds": 0}


def test_a_bad_clock_form_is_named_next_to_its_field_and_changes_nothing(owner_sandbox: Browser):
    cases = [
        ("/console/sandbox/clock/advance", {"seconds": "a day"}, "seconds",
         "Enter a whole number of seconds, at most 3162240000 either way."),
        ("/console/sandbox/clock/advance", {"seconds": "3162240001"}, "seconds",
         "Enter a whole number of seconds, at most 3162240000 either way."),
        ("/console/sandbox/clock", {"at": "tomorrow", "zone": "UTC", "mode": "frozen"}, "at",
         "Enter a date and time as YYYY-MM-DDTHH:MM, seconds optional."),
        ("/console/sandbox/clock", {"at": "9999-01-01T00:00", "zone": "UTC", "mode": "frozen"}, "at",
         "Choose a time between the years 1970 and 9998."),
        ("/console/sandbox/clock", {"at": "2027-03-01T10:00", "zone": "Mars/Base", "mode": "frozen"}, "zone",
         "Choose one of the time zones listed."),
        ("/console/sandbox/clock", {"at": "2027-03-01T10:00", "zone": "UTC", "mode": "sideways"}, "mode",
         "Choose frozen or running."),
    ]
    for action, fields, field, message in cases:
        r = submit(owner_sandbox, "/console/sandbox/clock", action, fields)
        assert r.status_code == 400, fields
        assert f'<p class="field-error" id="{field}-error">{message}</p>' in r.text, fields
        assert clock_now(owner_sandbox)["offset_seconds"] == 0


# Reset and snapshots

def test_reset_puts_back_an_event_deleted_since_the_baseline(owner_sandbox: Browser, database_url: str):
    event_id = int(create_event(api(owner_sandbox))["id"])
    asyncio.run(in_transaction(database_url, lambda conn: snapshots.record_baseline(conn, 0)))
    assert api(owner_sandbox).delete(events_path(event_id=event_id)).status_code == 204
    assert value(database_url, "SELECT deleted FROM events WHERE id = $1", event_id) in (1, True)
    r = submit(owner_sandbox, "/console/sandbox/state", "/console/sandbox/reset")
    assert (r.status_code, r.headers["location"]) == (303, "/console/sandbox/state?done=reset")
    assert value(database_url, "SELECT deleted FROM events WHERE id = $1", event_id) in (0, False)
    assert "The state is back at the baseline." in text(owner_sandbox.get(r.headers["location"]))


def test_reset_without_a_baseline_says_so(owner_sandbox: Browser, database_url: str):
    execute(database_url, "DELETE FROM sandbox_snapshots")
    r = submit(owner_sandbox, "/console/sandbox/state", "/console/sandbox/reset")
    assert r.status_code == 409
    assert "There is no baseline to reset to" in text(r)


def test_snapshots_are_saved_listed_restored_and_deleted(owner_sandbox: Browser, database_url: str):
    r = submit(owner_sandbox, "/console/sandbox/state", "/console/sandbox/snapshots", {"name": "before.v1"})
    assert (r.status_code, r.headers["location"]) == (303, "/console/sandbox/state?done=saved")
    [saved] = control(owner_sandbox, "GET", "snapshots").json()["data"]
    assert saved["name"] == "before.v1" and saved["created_at"] == NOW.isoformat()
    page = owner_sandbox.get("/console/sandbox/state")
    assert title(page) == "Reset and snapshots — Sandbox · Altegio server console"
    assert f"before.v1 2027-01-10 12:00:00 UTC {saved['size']} Restore before.v1 Delete before.v1" in text(page)
    event = create_event(api(owner_sandbox))
    r = submit(owner_sandbox, "/console/sandbox/state", "/console/sandbox/snapshots/restore", {"name": "before.v1"})
    assert (r.status_code, r.headers["location"]) == (303, "/console/sandbox/state?done=restored")
    assert api(owner_sandbox).get(events_path(event_id=event["id"])).status_code == 404
    r = submit(owner_sandbox, "/console/sandbox/state", "/console/sandbox/snapshots/delete", {"name": "before.v1"})
    assert (r.status_code, r.headers["location"]) == (303, "/console/sandbox/state?done=deleted")
    assert control(owner_sandbox, "GET", "snapshots").json()["data"] == []
    assert "No snapshots saved." in text(owner_sandbox.get("/console/sandbox/state"))


def test_a_restore_from_the_console_does_not_wait_for_its_own_request(database_url: str, clock: FixedClock):
    with console_app(database_url, clock, sandbox=True, db_lock_timeout=1.0) as client:
        b = Browser(client)
        b.sign_in(*OWNER)
        submit(b, "/console/sandbox/state", "/console/sandbox/snapshots", {"name": "one"})
        r = submit(b, "/console/sandbox/state", "/console/sandbox/snapshots/restore", {"name": "one"})
        assert r.status_code == 303  # not 503 after waiting for itself
        assert b.get("/console/sandbox/state").status_code == 200  # the gate is open again


def test_snapshot_names_and_the_bound_are_named_next_to_the_name_field(owner_sandbox: Browser):
    r = submit(owner_sandbox, "/console/sandbox/state", "/console/sandbox/snapshots", {"name": "no spaces"})
    assert r.status_code == 400
    assert ('<p class="field-error" id="name-error">A snapshot\'s name is 1 to 64 characters: letters A-Z and '
            "a-z, digits, '-', '_' and '.'.</p>") in unescape(r.text)
    assert 'value="no spaces"' in r.text
    for name in ("one", "two"):
        submit(owner_sandbox, "/console/sandbox/state", "/console/sandbox/snapshots", {"name": name})
    r = submit(owner_sandbox, "/console/sandbox/state", "/console/sandbox/snapshots", {"name": "three"})
    assert r.status_code == 409
    assert ('<p class="field-error" id="name-error">There are 2 snapshots already, as many as the server keeps: '
            "delete one first</p>") in r.text
    assert [s["name"] for s in control(owner_sandbox, "GET", "snapshots").json()["data"]] == ["one", "two"]
    for action in ("restore", "delete"):
        r = submit(owner_sandbox, "/console/sandbox/state", f"/console/sandbox/snapshots/{action}", {"name": "nope"})
        assert r.status_code == 404
        r = submit(owner_sandbox, "/console/sandbox/state", f"/console/sandbox/snapshots/{action}", {"name": ".."})
        assert r.status_code == 404
        r = submit(owner_sandbox, "/console/sandbox/state", f"/console/sandbox/snapshots/{action}", {"name": "a b"})
        assert r.status_code == 400 and "A snapshot's name is" in text(r)


# The request journal

def test_the_journal_lists_requests_newest_first_and_filters_them(owner_sandbox: Browser):
    client = api(owner_sandbox)
    client.get(events_path())
    client.get(events_path(NEW_YORK))
    client.post(events_path(), json={})  # 422
    r = owner_sandbox.get("/console/sandbox/requests")
    assert r.status_code == 200 and title(r) == "Requests — Sandbox · Altegio server console"
    rows = re.findall(r'<a href="/console/sandbox/requests/(\d+)" class="path">([^<]*)</a>', r.text)
    assert [path for _, path in rows] == ["/api/v2/locations/101/events", "/api/v2/locations/102/events",
                                          "/api/v2/locations/101/events"]
    assert "Newest first: 1 to 3 of 3." in text(r)
    assert "POST /api/v2/locations/101/events 422 Demo Studio Prague" in text(r)

    def shown(query: str) -> list[str]:
        page = owner_sandbox.get(f"/console/sandbox/requests?{query}")
        assert page.status_code == 200
        return re.findall(r'<a href="/console/sandbox/requests/(\d+)"', page.text)

    ids = [i for i, _ in rows]
    assert shown("method=post") == ids[:1]
    assert shown("method=GET&path=&status=&location_id=") == ids[1:]
    assert shown("status=422&location_id=101") == ids[:1]
    assert shown("location_id=102") == ids[1:2]
    assert shown("path=LOCATIONS/101") == [ids[0], ids[2]]
    assert shown("status=500") == []
    page = owner_sandbox.get("/console/sandbox/requests?method=GET")
    assert '<option value="GET" selected>GET</option>' in page.text
    assert shown("location_id=999") == []
    assert '<option value="999" selected>Location 999</option>' in owner_sandbox.get(
        "/console/sandbox/requests?location_id=999").text


def test_the_journal_pages_by_limit_and_offset_keeping_the_filters(owner_sandbox: Browser):
    for _ in range(5):
        api(owner_sandbox).get(events_path())
    r = owner_sandbox.get("/console/sandbox/requests?method=GET&limit=2")
    assert "Newest first: 1 to 2 of 5." in text(r)
    older = re.search(r'<a href="([^"]*)" rel="next">', r.text)
    assert older and unescape(older.group(1)) == "/console/sandbox/requests?method=GET&limit=2&offset=2"
    r = owner_sandbox.get("/console/sandbox/requests?method=GET&limit=2&offset=4")
    assert "Newest first: 5 to 5 of 5." in text(r) and 'rel="next"' not in r.text
    newer = re.search(r'<a href="([^"]*)" rel="prev">', r.text)
    assert newer and unescape(newer.group(1)) == "/console/sandbox/requests?method=GET&limit=2&offset=2"


def test_bad_journal_filters_are_named_next_to_their_fields(owner_sandbox: Browser):
    r = owner_sandbox.get("/console/sandbox/requests?method=BREW&status=99&location_id=x&path=" + "a" * 1025)
    assert r.status_code == 400
    for field, message in (("method", "This value should be one of GET, HEAD, POST, PUT, PATCH, DELETE."),
                           ("status", "This value should be between 100 and 599."),
                           ("location_id", "This value should be a non-negative integer."),
                           ("path", "This value is too long. It should have 1024 characters or less.")):
        assert f'<p class="field-error" id="{field}-error">{message}</p>' in r.text, field
        assert f'aria-describedby="{field}-error"' in r.text
    assert "Fix the filters above to see the requests." in text(r)


def test_one_request_shows_its_parts_and_pretty_json_bodies(owner_sandbox: Browser):
    create_event(api(owner_sandbox))
    entry = control(owner_sandbox, "GET", "requests").json()["data"][0]
    r = owner_sandbox.get(f"/console/sandbox/requests/{entry['id']}")
    assert r.status_code == 200 and title(r) == f"Request {entry['id']} — Sandbox · Altegio server console"
    page = text(r)
    assert "POST /api/v2/locations/101/events" in page
    assert f"Status 201 Time 2027-01-10 12:00:00 UTC Duration {entry['duration_ms']:.3f} ms" in page
    assert "Location Demo Studio Prague" in page
    assert '<pre class="body" tabindex="0">{\n  "staff_id": ' in unescape(r.text)
    assert '\n  "data": {\n' in unescape(r.text)
    assert owner_sandbox.get("/console/sandbox/requests/999999").status_code == 404
    assert owner_sandbox.get("/console/sandbox/requests/99999999999999999999").status_code == 404


def test_html_in_recorded_paths_queries_and_bodies_is_shown_as_text(owner_sandbox: Browser, database_url: str):
    attack = "<script>alert(1)</script>"
    entry = {"at": NOW_TS, "method": "GET", "path": f"/api/{attack}", "query": f"q={attack}", "location_id": None,
             "status": 200, "duration_us": 10, "partner_token_id": None, "user_id": None, "user_token_id": None,
             "request_body": attack, "request_bytes": 25, "request_cut": False,
             "response_body": f'{{"html": "{attack}"}}', "response_bytes": 36, "response_cut": False}
    asyncio.run(in_transaction(database_url, lambda conn: journal.insert(conn, [tuple(entry[c] for c in COLUMNS)])))
    [row] = control(owner_sandbox, "GET", "requests").json()["data"]
    listed = owner_sandbox.get("/console/sandbox/requests")
    one = owner_sandbox.get(f"/console/sandbox/requests/{row['id']}")
    for page in (listed, one):
        assert "<script>" not in page.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert f"GET /api/{attack}" in text(one) and f"Query q={attack}" in text(one)
    assert f'"html": "{attack}"' in text(one)


def test_the_journal_is_switched_off_and_on_and_cleared(owner_sandbox: Browser):
    api(owner_sandbox).get(events_path())
    r = submit(owner_sandbox, "/console/sandbox/requests", "/console/sandbox/journal", {"enabled": "0"})
    assert (r.status_code, r.headers["location"]) == (303, "/console/sandbox/requests?done=journal-off")
    assert control(owner_sandbox, "GET", "journal").json()["enabled"] is False
    page = owner_sandbox.get(r.headers["location"])
    assert "The journal is off and holds 1 entry." in text(page) and ">Turn the journal on</button>" in page.text
    submit(owner_sandbox, "/console/sandbox/requests", "/console/sandbox/journal", {"enabled": "1"})
    assert control(owner_sandbox, "GET", "journal").json()["enabled"] is True
    r = submit(owner_sandbox, "/console/sandbox/requests", "/console/sandbox/requests/clear")
    assert (r.status_code, r.headers["location"]) == (303, "/console/sandbox/requests?done=cleared")
    assert control(owner_sandbox, "GET", "journal").json()["entries"] == 0
    assert "The journal is empty. The journal is on and holds 0 entries." in text(owner_sandbox.get(
        r.headers["location"]))


# Webhook deliveries

def test_deliveries_are_listed_filtered_and_replayed(owner_sandbox: Browser, database_url: str):
    with Receiver(statuses=[400]) as receiver:
        hook(api(owner_sandbox), receiver.url)
        record = book(api(owner_sandbox), f.make_event(database_url, capacity=5))
        wait_logged(database_url, 1)
        r = owner_sandbox.get("/console/sandbox/deliveries")
        assert r.status_code == 200 and title(r) == "Webhook deliveries — Sandbox · Altegio server console"
        [d] = control(owner_sandbox, "GET", "webhooks/deliveries").json()["data"]
        assert (f"Demo Studio Prague record {record} {receiver.url} failed 400 1 " in text(r))
        assert f'"resource_id": {record}' in unescape(r.text) and "<details>" in r.text
        assert f"Body sent in delivery {d['id']} ({d['delivery_id']})" in text(r)
        assert "failed" in text(owner_sandbox.get("/console/sandbox/deliveries?status=failed&resource=record"))
        assert "No deliveries match these filters." in text(owner_sandbox.get(
            f"/console/sandbox/deliveries?location_id={NEW_YORK['id']}"))
        assert "No deliveries match" in text(owner_sandbox.get("/console/sandbox/deliveries?status=delivered"))
        r = submit(owner_sandbox, "/console/sandbox/deliveries", f"/console/sandbox/deliveries/{d['id']}/replay")
        assert (r.status_code, r.headers["location"]) == (303, "/console/sandbox/deliveries?done=replayed")
        assert len(receiver.wait(2)) == 2
    after = control(owner_sandbox, "GET", "webhooks/deliveries").json()["data"]
    assert [(x["status"], x["http_status"], x["notification"]) for x in after] == [
        ("delivered", 200, d["notification"]), ("failed", 400, d["notification"])]
    page = owner_sandbox.get("/console/sandbox/deliveries?done=replayed")
    assert "The delivery was sent once more, and is logged as a new delivery." in text(page)
    assert submit(owner_sandbox, "/console/sandbox/deliveries",
                  "/console/sandbox/deliveries/999/replay").status_code == 404


def test_bad_delivery_filters_are_named_next_to_their_fields(owner_sandbox: Browser):
    r = owner_sandbox.get("/console/sandbox/deliveries?status=lost&resource=x&location_id=a")
    assert r.status_code == 400
    for field, message in (("status", "The value you selected is not a valid choice."),
                           ("resource", "The value you selected is not a valid choice."),
                           ("location_id", "This value should be a non-negative integer.")):
        assert f'<p class="field-error" id="{field}-error">{message}</p>' in r.text, field
    assert "Fix the filters above to see the deliveries." in text(r)


def test_every_control_is_a_labelled_button_or_field(owner_sandbox: Browser):
    for path in PAGES:
        if path.endswith("/1"):
            continue
        r = owner_sandbox.get(path)
        for field in re.findall(r'<(?:input|select)(?![^>]*type="(?:hidden|radio)")[^>]*\bid="([^"]+)"', r.text):
            assert f'<label for="{field}">' in r.text, (path, field)
        assert "<button" in r.text or path == "/console/sandbox"
