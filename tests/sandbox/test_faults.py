"""Faults injected into API requests: a status instead of the operation, a delay, or both (behaviour 19.6)."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest

from tests.conftest import AUTH, NOW, V2, error
from tests.event_factories import appointments_of, create_event, run_sql
from tests.live_server import LiveServer
from tests.sandbox.conftest import SANDBOX_TOKEN, Sandboxed

BOOKINGS = "/api/v2/locations/{location_id}/events/{event_id}/appointments"
SEED_BOOKINGS = "/api/v2/companies/{company_id}/activities/{activity_id}/records"
TAGS = "/api/v2/locations/101/tags"
UNAVAILABLE = error("The service is temporarily unavailable, try again later")


def fault(**given: Any) -> dict[str, Any]:
    """A fault's whole body as answered, with its defaults."""
    return {"method": "POST", "path": BOOKINGS, "status": 503, "delay_ms": 0, "probability": 1.0, "times": None,
            **given}


def set_fault(api: Sandboxed, **given: Any) -> dict[str, Any]:
    r = api.control("POST", "faults", json=given)
    assert r.status_code == 201, r.text
    return r.json()


def booking(phone: str = "+420777000111") -> dict[str, Any]:
    return {"client": {"phone": phone, "name": "Jo", "surname": "Doe", "email": "", "gender": 0}, "clients_count": 1}


def bookings_of(event_id: int, seed: bool = False) -> str:
    if seed:
        return f"/api/v2/companies/101/activities/{event_id}/records"
    return f"/api/v2/locations/101/events/{event_id}/appointments"


def test_a_fault_is_set_listed_and_answered_whole(sandbox: Sandboxed):
    r = sandbox.control("POST", "faults", json={"method": "POST", "path": BOOKINGS, "status": 503})
    assert r.status_code == 201
    created = r.json()
    assert created == fault(id=created["id"])
    assert '"probability":1.0' in r.text  # a number with a point, as sent, on both databases
    assert sandbox.control("GET", "faults").json() == {"data": [created]}


def test_a_matching_request_gets_the_status_and_does_not_run(sandbox: Sandboxed, database_url):
    event = create_event(sandbox)
    made = set_fault(sandbox, method="POST", path=BOOKINGS, status=503)
    r = sandbox.post(bookings_of(event["id"]), json=booking())
    assert (r.status_code, r.json()) == (503, UNAVAILABLE)
    assert (r.headers["retry-after"], r.headers["x-sandbox-fault"]) == ("1", str(made["id"]))
    assert appointments_of(database_url, int(event["id"])) == []


@pytest.mark.parametrize("status, message", [(500, "Internal server error"), (502, "Bad Gateway"),
                                             (504, "Gateway Timeout"), (404, "Not found"), (599, "Injected fault")])
def test_the_answer_carries_the_servers_message_for_the_status(sandbox: Sandboxed, status, message):
    set_fault(sandbox, method="GET", path=TAGS, status=status)
    r = sandbox.get(TAGS)
    assert (r.status_code, r.json()) == (status, error(message))


def test_a_fault_that_only_delays_still_runs_the_operation(sandbox: Sandboxed, database_url):
    event = create_event(sandbox)
    set_fault(sandbox, method="POST", path=BOOKINGS, delay_ms=400, status=None)
    started = time.monotonic()
    r = sandbox.post(bookings_of(event["id"]), json=booking())
    took = time.monotonic() - started
    assert r.status_code == 201, r.text
    assert took >= 0.4
    assert len(appointments_of(database_url, int(event["id"]))) == 1


def test_a_delay_with_a_status_waits_then_answers_it(sandbox: Sandboxed):
    set_fault(sandbox, method="GET", path=TAGS, status=500, delay_ms=300)
    started = time.monotonic()
    r = sandbox.get(TAGS)
    assert (r.status_code, r.json()) == (500, error("Internal server error"))
    assert time.monotonic() - started >= 0.3


def test_times_counts_down_and_a_spent_fault_stays_listed(sandbox: Sandboxed):
    made = set_fault(sandbox, method="GET", path=TAGS, status=500, times=2)
    assert [sandbox.get(TAGS).status_code for _ in range(4)] == [500, 500, 200, 200]
    listed = sandbox.control("GET", "faults").json()
    assert listed == {"data": [dict(made, times=0)]}


def test_probability_zero_never_fires(sandbox: Sandboxed):
    set_fault(sandbox, method="GET", path=TAGS, status=500, probability=0, times=1)
    assert [sandbox.get(TAGS).status_code for _ in range(10)] == [200] * 10
    assert sandbox.control("GET", "faults").json()["data"][0]["times"] == 1  # a miss takes no firing


def test_a_probability_between_fires_on_some_requests(sandbox: Sandboxed):
    set_fault(sandbox, method="GET", path=TAGS, status=500, probability=0.5)
    statuses = {sandbox.get(TAGS).status_code for _ in range(60)}  # all alike: 2 ** -59
    assert statuses == {200, 500}


@pytest.mark.parametrize("template", [BOOKINGS, SEED_BOOKINGS])
@pytest.mark.parametrize("seed", [False, True])
def test_a_template_matches_the_operation_in_both_v2_spellings(sandbox: Sandboxed, template, seed):
    event = create_event(sandbox)
    set_fault(sandbox, method="POST", path=template, status=502)
    r = sandbox.post(bookings_of(event["id"], seed=seed), json=booking())
    assert (r.status_code, r.json()) == (502, error("Bad Gateway"))
    assert sandbox.get(bookings_of(event["id"], seed=seed)).status_code != 502  # other method, other operation


def test_a_template_does_not_match_longer_paths(sandbox: Sandboxed):
    set_fault(sandbox, method="GET", path="/api/v2/locations/{location_id}/tags", status=500)
    assert sandbox.get(f"{TAGS}/1051").status_code == 200
    assert sandbox.get(TAGS).status_code == 500


@pytest.mark.parametrize("prefix", ["/api/v2/locations/101/tags", "/api/v2/companies/101/tags/", "/api/"])
def test_a_prefix_matches_whole_segments_in_both_spellings(sandbox: Sandboxed, prefix):
    set_fault(sandbox, method="*", path=prefix, status=500)
    assert sandbox.get("/api/v2/companies/101/tags/1051").status_code == 500
    assert sandbox.get(TAGS).status_code == 500


def test_a_prefix_does_not_match_part_of_a_segment_or_another_location(sandbox: Sandboxed):
    set_fault(sandbox, method="GET", path="/api/v2/locations/10", status=500)
    assert sandbox.get(TAGS).status_code == 200
    set_fault(sandbox, method="GET", path="/api/v2/locations/102", status=500)
    assert sandbox.get(TAGS).status_code == 200


def test_the_method_must_match_and_star_matches_any(sandbox: Sandboxed):
    set_fault(sandbox, method="DELETE", path=TAGS, status=500)
    assert sandbox.get(TAGS).status_code == 200
    set_fault(sandbox, method="*", path=TAGS, status=502)
    assert sandbox.get(TAGS).status_code == 502


def test_a_process_reloads_the_faults_only_when_their_version_moves(sandbox: Sandboxed, database_url):
    assert sandbox.get(TAGS).status_code == 200  # the faults (none) are read
    run_sql(database_url, "INSERT INTO sandbox_faults (method, path, status, delay_ms, probability) "
                          "VALUES ('GET', '/api/', 500, 0, 1)")  # behind the controls' back
    assert sandbox.get(TAGS).status_code == 200
    set_fault(sandbox, method="DELETE", path=TAGS, status=502)  # a change through the controls
    assert sandbox.get(TAGS).status_code == 500


def test_the_oldest_matching_fault_answers(sandbox: Sandboxed):
    first = set_fault(sandbox, method="GET", path=TAGS, status=500, times=1)
    second = set_fault(sandbox, method="GET", path="/api/", status=502)
    assert sandbox.get(TAGS).headers["x-sandbox-fault"] == str(first["id"])
    assert sandbox.get(TAGS).headers["x-sandbox-fault"] == str(second["id"])


def test_a_get_fault_answers_head_without_a_body(sandbox: Sandboxed):
    set_fault(sandbox, method="GET", path=TAGS, status=503)
    r = sandbox.request("HEAD", TAGS)
    assert (r.status_code, r.content) == (503, b"")


def test_delete_one_then_every_fault(sandbox: Sandboxed):
    one = set_fault(sandbox, method="GET", path=TAGS, status=500)
    two = set_fault(sandbox, method="POST", path=TAGS, status=500)
    r = sandbox.control("DELETE", f"faults/{one['id']}")
    assert (r.status_code, r.content) == (204, b"")
    assert sandbox.get(TAGS).status_code == 200
    assert sandbox.control("GET", "faults").json() == {"data": [two]}
    r = sandbox.control("DELETE", "faults")
    assert (r.status_code, r.content) == (204, b"")
    assert sandbox.control("GET", "faults").json() == {"data": []}


@pytest.mark.parametrize("fault_id", ["1", "999", "99999999999999999999"])
def test_delete_of_an_unknown_fault_is_404(sandbox: Sandboxed, fault_id):
    r = sandbox.control("DELETE", f"faults/{fault_id}")
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_at_most_a_hundred_faults_are_kept(sandbox: Sandboxed):
    for _ in range(100):
        set_fault(sandbox, method="GET", path="/api/v1/", status=500)
    r = sandbox.control("POST", "faults", json={"method": "GET", "path": "/api/v1/", "status": 500})
    assert (r.status_code, r.json()) == (422, error("At most 100 faults can be set at once; delete some first."))
    assert len(sandbox.control("GET", "faults").json()["data"]) == 100


BAD_PATH = "This value should be a path of the API: /api/ then letters, digits, _ . - / and {parameters}."


@pytest.mark.parametrize("body, errors", [
    ({}, {"method": ["This field is missing."], "path": ["This field is missing."]}),
    ({"method": "get", "path": TAGS, "status": 500}, {"method": ["The value you selected is not a valid choice."]}),
    ({"method": "GET", "path": "/v2/locations", "status": 500}, {"path": [BAD_PATH]}),
    ({"method": "GET", "path": TAGS + "?x=1", "status": 500}, {"path": [BAD_PATH]}),
    ({"method": "GET", "path": "/api/" + "a" * 300, "status": 500},
     {"path": ["This value is too long. It should have 300 characters or less."]}),
    ({"method": "GET", "path": TAGS, "status": 399}, {"status": ["This value should be between 400 and 599."]}),
    ({"method": "GET", "path": TAGS, "status": 600}, {"status": ["This value should be between 400 and 599."]}),
    ({"method": "GET", "path": TAGS, "delay_ms": 30001},
     {"delay_ms": ["This value should be between 0 and 30000."]}),
    ({"method": "GET", "path": TAGS, "status": 500, "probability": 1.5},
     {"probability": ["This value should be between 0 and 1."]}),
    ({"method": "GET", "path": TAGS, "status": 500, "times": 0},
     {"times": ["This value should be between 1 and 1000000."]}),
    ({"method": "GET", "path": TAGS, "status": None}, {"status": ["A fault needs a status, a delay or both."]}),
    ({"method": "GET", "path": "/api/v2/locations/{id}/nothing", "status": 500},
     {"path": ["No operation has this path template for this method."]}),
    ({"method": "PATCH", "path": BOOKINGS, "status": 500},
     {"path": ["No operation has this path template for this method."]}),
    ({"method": "GET", "path": TAGS, "status": 500, "when": "now"}, {"when": ["This field was not expected."]}),
])
def test_bad_faults_are_422_and_set_nothing(sandbox: Sandboxed, body, errors):
    r = sandbox.control("POST", "faults", json=body)
    assert (r.status_code, r.json()) == (422, error(next(iter(errors.values()))[0], errors))
    assert sandbox.control("GET", "faults").json() == {"data": []}


# --- several server processes over one PostgreSQL database ---------------------------------------

def test_every_server_process_sees_a_fault_and_its_count_down(postgres_template):
    url = postgres_template.fresh()
    env = {"ALTEGIO_SANDBOX": "1", "ALTEGIO_SANDBOX_TOKEN": SANDBOX_TOKEN}
    with LiveServer(url, workers=2, frozen_time=NOW, env=env) as one, LiveServer(url, frozen_time=NOW, env=env) as two:
        for server in (one, two):  # each process has read the faults (none) before the fault is set
            assert all(_tags(server).status_code == 200 for _ in range(4))
        control = {"Authorization": f"Bearer {SANDBOX_TOKEN}"}
        r = httpx.post(f"{two.url}/_sandbox/faults", json={"method": "GET", "path": TAGS, "status": 500, "times": 3},
                       headers=control)
        assert r.status_code == 201
        statuses = [_tags(server).status_code for server in (one, two) * 4]
        assert statuses == [500] * 3 + [200] * 5
        r = httpx.get(f"{one.url}/_sandbox/faults", headers=control)
        assert r.json()["data"][0]["times"] == 0


def _tags(server: LiveServer) -> httpx.Response:
    return httpx.get(server.url + TAGS, headers={"Authorization": AUTH, "Accept": V2}, timeout=10)


def test_the_journal_records_the_injected_answer_and_a_rate_limit_refusal(sandbox: Sandboxed):
    made = set_fault(sandbox, method="GET", path=TAGS, status=502, times=1)
    assert sandbox.get(TAGS).status_code == 502
    sandbox.control("PUT", "rate_limit", json={"enabled": True, "per_second": 1, "per_minute": 1000})
    statuses = [sandbox.get(TAGS).status_code for _ in range(3)]
    assert 429 in statuses  # one second holds at most one; the test client is fast enough for the rest
    journal = sandbox.control("GET", f"requests?path={TAGS}&limit=10").json()["data"]
    assert [entry["status"] for entry in reversed(journal)] == [502, *statuses]
    assert journal[-1]["response"]["body"] == error("Bad Gateway") and made["id"]
