"""The request journal: what it records, without secrets, filtered, bounded, switched off and on,
and shared by server processes (behaviour 19.4)."""

from __future__ import annotations

import time
from typing import Any, Iterator

import httpx
import pytest

from tests.conftest import AUTH, DEMO, NOW, error
from tests.event_factories import create_event, events_path, run_sql
from tests.live_server import LiveServer
from tests.sandbox.conftest import SANDBOX_AUTH, SANDBOX_TOKEN, Sandboxed, sandboxed

PARTNER = f"Bearer {DEMO['partner_token']}"
TAGS = "/api/v2/locations/101/tags"
BOOKING = {"client": {"phone": "+420777000111", "name": "Jo", "surname": "Doe", "email": "", "gender": 0},
           "clients_count": 1}


@pytest.fixture
def small(database_url: str, clock) -> Iterator[Sandboxed]:
    """A sandbox that keeps 3 entries and 40 bytes of each body."""
    with sandboxed(database_url, clock, journal_entries=3, journal_body_bytes=40) as api:
        yield api


def entries(sandbox: Sandboxed, query: str = "") -> list[dict[str, Any]]:
    r = sandbox.control("GET", f"requests{query}")
    assert r.status_code == 200, r.text
    return r.json()["data"]


def timeless(entry: dict[str, Any]) -> dict[str, Any]:
    """An entry without its duration, which no test can know; checked to be a sane number."""
    assert 0 <= entry["duration_ms"] < 60_000
    return {k: v for k, v in entry.items() if k != "duration_ms"}


def entry(id_: int, method: str, path: str, status: int, request: Any, response: Any, *, query: str = "",
          location_id: int | None = 101, tokens: tuple[int | None, int | None, int | None] = (1, 1, None),
          request_bytes: int | None = None, response_bytes: int | None = None) -> dict[str, Any]:
    """An entry as GET /_sandbox/requests shows it (without its duration); bodies whole, not cut."""
    import orjson

    def body(value: Any, size: int | None) -> dict[str, Any]:
        return {"body": value, "bytes": len(orjson.dumps(value)) if size is None else size, "cut": False}

    return {"id": id_, "time": "2027-01-10T12:00:00+00:00", "method": method, "path": path, "query": query,
            "location_id": location_id, "status": status, "partner_token_id": tokens[0], "user_id": tokens[1],
            "user_token_id": tokens[2], "request": body(request, request_bytes) if request is not None else
            {"body": None, "bytes": 0, "cut": False}, "response": body(response, response_bytes)}


def test_a_v2_booking_is_recorded_with_both_bodies(sandbox: Sandboxed):
    event = create_event(sandbox, date="2027-01-12 09:00:00")
    path = events_path(event_id=event["id"]) + "/appointments"
    r = sandbox.post(path, json=BOOKING)
    assert r.status_code == 201
    newest = entries(sandbox)[0]
    expected = entry(2, "POST", path, 201, BOOKING, r.json(), request_bytes=len(r.request.content),
                     response_bytes=len(r.content))
    assert timeless(newest) == expected
    got = sandbox.control("GET", "requests/2")
    assert (got.status_code, timeless(got.json())) == (200, expected)


def test_a_v1_login_keeps_no_password_and_no_token(sandbox: Sandboxed, database_url: str):
    login = {"login": "owner@demo.example", "password": "demo-password"}
    r = sandbox.post("/api/v1/auth", json=login, auth=PARTNER, accept=None)
    assert r.status_code == 201
    issued = r.json()["data"]["user_token"]
    answer = {**r.json(), "data": {**r.json()["data"], "user_token": "***"}}
    request = {"login": "owner@demo.example", "password": "***"}
    assert timeless(entries(sandbox)[0]) == entry(
        1, "POST", "/api/v1/auth", 201, request, answer, location_id=None, tokens=(1, None, None),
        request_bytes=len(r.request.content), response_bytes=len(r.content))
    # The new token works, and the request made with it names it by id only.
    assert sandbox.get(TAGS, auth=f"{PARTNER}, User {issued}").status_code == 200
    login_token = run_sql(database_url, "SELECT id FROM user_tokens")[0]["id"]
    assert entries(sandbox)[0]["user_token_id"] == login_token
    rows = run_sql(database_url, "SELECT * FROM sandbox_requests")
    assert len(rows) == 2
    text = repr(rows)
    for secret in (DEMO["partner_token"], DEMO["user_token"], issued, "demo-password"):
        assert secret not in text


def test_secrets_are_hidden_in_a_body_that_is_not_json_and_in_the_query(sandbox: Sandboxed):
    sandbox.post("/api/v1/auth", content=b'{"login": "x@y.z", "password": "hunter2 \\" x"', auth=PARTNER,
                 accept=None, headers={"Content-Type": "application/json"})
    sandbox.get(TAGS + "?password=hunter2&user_token=abc&x=1")
    query, broken = entries(sandbox)
    assert (broken["status"], broken["request"]) == (
        400, {"body": '{"login": "x@y.z", "password": "***"', "bytes": 45, "cut": False})
    assert query["query"] == "password=***&user_token=***&x=1"


def test_secrets_are_hidden_in_a_body_cut_short(small: Sandboxed, database_url: str):
    r = small.post("/api/v1/auth", json={"login": "owner@demo.example", "password": "demo-password"},
                   auth=PARTNER, accept=None)
    issued = r.json()["data"]["user_token"]
    small.post("/api/v1/auth", content=b'{"login": "x@y.z", "password": "hunter2hunter2"}', auth=PARTNER,
               accept=None, headers={"Content-Type": "application/json"})
    split, cut = entries(small)
    assert cut["request"] == {"body": '{"login":"owner@demo.example","password"', "bytes": len(r.request.content),
                              "cut": True}
    assert cut["response"] == {"body": r.text[:40], "bytes": len(r.content), "cut": True}
    # Cut inside the password: what is kept of it is hidden too.
    assert split["request"] == {"body": '{"login": "x@y.z", "password": "***"', "bytes": 48, "cut": True}
    text = repr(run_sql(database_url, "SELECT * FROM sandbox_requests"))
    assert issued not in text and "hunter2" not in text and "demo-password" not in text


def test_a_refused_request_is_recorded_without_token_ids(sandbox: Sandboxed):
    r = sandbox.get(TAGS, auth="Bearer nobody, User nobody")
    assert timeless(entries(sandbox)[0]) == entry(1, "GET", TAGS, 401, None, r.json(), tokens=(None, None, None))


def test_sandbox_controls_docs_and_health_are_not_recorded(sandbox: Sandboxed):
    sandbox.control("GET", "clock")
    for path in ("/health", "/docs", "/openapi.json"):
        sandbox.client.get(path)
    assert entries(sandbox) == []


FILTERED = [
    ("", [5, 4, 3, 2, 1]),
    ("?method=post", [4]),
    ("?method=GET&status=200", [5, 3, 1]),
    ("?path=TAGS", [5, 3, 2, 1]),
    ("?path=%25", []),
    ("?location_id=102", [5]),
    ("?status=404", [2]),
    ("?limit=2", [5, 4]),
    ("?limit=2&offset=2", [3, 2]),
    ("?since=2027-01-10T13:00:00%2B01:00", [5, 4, 3, 2, 1]),
    ("?since=2027-01-10T12:00:01Z", []),
]


@pytest.mark.parametrize("query, ids", FILTERED)
def test_entries_are_listed_newest_first_and_filtered(sandbox: Sandboxed, query, ids):
    sandbox.get(TAGS)
    sandbox.get(TAGS + "/999999")
    sandbox.get(TAGS + "?x=1")
    sandbox.post("/api/v1/auth", json={"login": "nobody@x.y", "password": "p"}, auth=PARTNER, accept=None)
    sandbox.get("/api/v2/locations/102/tags")
    r = sandbox.control("GET", f"requests{query}")
    assert r.status_code == 200
    limit = 2 if "limit" in query else 50
    offset = 2 if "offset" in query else 0
    total = len(ids) if "limit" not in query else 5
    assert [e["id"] for e in r.json()["data"]] == ids
    assert r.json()["meta"] == {"total": total, "limit": limit, "offset": offset}


@pytest.mark.parametrize("query, field, message", [
    ("method=FETCH", "method", "This value should be one of GET, HEAD, POST, PUT, PATCH, DELETE."),
    ("status=99", "status", "This value should be between 100 and 599."),
    ("status=abc", "status", "This value should be a non-negative integer."),
    ("location_id=-1", "location_id", "This value should be a non-negative integer."),
    ("since=yesterday", "since", "This value is not a valid date-time. Expected ISO 8601 with an offset, "
                                 "e.g. 2027-01-15T09:00:00+01:00."),
    ("limit=201", "limit", "This value should be less than or equal to 200."),
    ("limit=0", "limit", "This value should be greater than or equal to 1."),
    ("offset=x", "offset", "This value should be a non-negative integer."),
    ("path=" + "a" * 1025, "path", "This value is too long. It should have 1024 characters or less."),
])
def test_a_bad_filter_is_400_naming_it(sandbox: Sandboxed, query, field, message):
    r = sandbox.control("GET", f"requests?{query}")
    assert (r.status_code, r.json()) == (400, error(message, {field: [message]}))


def test_an_unknown_entry_is_404(sandbox: Sandboxed):
    for path in ("requests/1", "requests/99999999999999999999"):
        r = sandbox.control("GET", path)
        assert (r.status_code, r.json()) == (404, error("Not found"))


def test_delete_empties_the_journal(sandbox: Sandboxed):
    sandbox.get(TAGS)
    r = sandbox.control("DELETE", "requests")
    assert (r.status_code, r.content) == (204, b"")
    assert entries(sandbox) == []
    sandbox.get(TAGS)
    assert [e["id"] for e in entries(sandbox)] == [2]  # ids go on: an old id never names a new entry


def test_the_oldest_entries_go_past_the_bound(small: Sandboxed):
    for i in range(5):
        small.get(f"{TAGS}?n={i}")
    assert [(e["id"], e["query"]) for e in entries(small)] == [(5, "n=4"), (4, "n=3"), (3, "n=2")]
    r = small.control("GET", "journal")
    assert r.json() == {"enabled": True, "entries": 3, "max_entries": 3, "max_body_bytes": 40,
                        "flush_seconds": 0.05}


def test_no_setting_keeps_more_than_64_kib_of_a_body(database_url: str, clock):
    with sandboxed(database_url, clock, journal_body_bytes=10**9) as big:
        assert big.control("GET", "journal").json()["max_body_bytes"] == 65_536
        r = big.post(events_path(), json={"comment": "x" * 100_000})
        kept = entries(big)[0]["request"]
        assert (kept["bytes"], kept["cut"], len(kept["body"])) == (len(r.request.content), True, 65_536)


def test_switched_off_nothing_is_recorded_until_it_is_on_again(sandbox: Sandboxed):
    r = sandbox.control("GET", "journal")
    on = {"enabled": True, "entries": 0, "max_entries": 10_000, "max_body_bytes": 16_384, "flush_seconds": 0.05}
    assert (r.status_code, r.json()) == (200, on)
    r = sandbox.control("PUT", "journal", json={"enabled": False})
    assert (r.status_code, r.json()) == (200, {**on, "enabled": False})
    sandbox.get(TAGS)
    assert entries(sandbox) == []
    sandbox.control("PUT", "journal", json={"enabled": True})
    sandbox.get(TAGS + "?again=1")
    assert [e["query"] for e in entries(sandbox)] == ["again=1"]


@pytest.mark.parametrize("body, errors", [
    ({}, {"enabled": ["This field is missing."]}),
    ({"enabled": "no"}, {"enabled": ["This value should be of type bool."]}),
])
def test_a_bad_switch_is_422_and_changes_nothing(sandbox: Sandboxed, body, errors):
    r = sandbox.control("PUT", "journal", json=body)
    assert (r.status_code, r.json()) == (422, error(next(iter(errors.values()))[0], errors))
    assert sandbox.control("GET", "journal").json()["enabled"] is True


def test_processes_over_one_postgresql_database_share_one_journal(database_url: str):
    if not database_url.startswith("postgresql"):
        pytest.skip("several server processes write at once on PostgreSQL only")
    env = {"ALTEGIO_SANDBOX": "1", "ALTEGIO_SANDBOX_TOKEN": SANDBOX_TOKEN}
    with LiveServer(database_url, frozen_time=NOW, env=env) as one, \
            LiveServer(database_url, frozen_time=NOW, env=env) as two:
        headers = {"Authorization": AUTH, "Accept": "application/vnd.api.v2+json"}
        control = {"Authorization": SANDBOX_AUTH}
        assert httpx.get(f"{one.url}{TAGS}?from=one", headers=headers).status_code == 200
        assert httpx.get(f"{two.url}{TAGS}?from=two", headers=headers).status_code == 200
        seen = _poll(f"{one.url}/_sandbox/requests", control, 2)
        assert sorted(e["query"] for e in seen) == ["from=one", "from=two"]
        assert len({e["id"] for e in seen}) == 2
        r = httpx.put(f"{two.url}/_sandbox/journal", json={"enabled": False}, headers=control)
        assert r.status_code == 200 and r.json()["enabled"] is False
        httpx.get(f"{one.url}{TAGS}?from=one-while-off", headers=headers)
        time.sleep(0.3)  # past the flush interval: nothing may come
        assert len(_poll(f"{two.url}/_sandbox/requests", control, 2)) == 2


def _poll(url: str, headers: dict[str, str], count: int) -> list[dict[str, Any]]:
    """The entries, once there are `count` of them (other processes write within their flush interval)."""
    deadline = time.monotonic() + 5
    while True:
        data = httpx.get(url, headers=headers).json()["data"]
        if len(data) >= count or time.monotonic() > deadline:
            return data
        time.sleep(0.05)
