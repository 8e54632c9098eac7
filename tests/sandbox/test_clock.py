"""The sandbox's clock: set, frozen, advanced, released, and the rules that follow it (behaviour 19.2)."""

from __future__ import annotations

import pytest

from tests.conftest import error
from tests.event_factories import create_event, events_path
from tests.sandbox.conftest import Sandboxed

REAL = {"now": "2027-01-10T12:00:00+00:00", "frozen": False, "offset_seconds": 0}  # the test clock's NOW


def test_the_clock_starts_as_the_servers_own(sandbox: Sandboxed):
    r = sandbox.control("GET", "clock")
    assert (r.status_code, r.json()) == (200, REAL)


def test_a_frozen_clock_stands_at_the_instant_given_in_any_offset(sandbox: Sandboxed):
    r = sandbox.control("PUT", "clock", json={"now": "2027-03-01T10:30:00+01:00", "frozen": True})
    body = {"now": "2027-03-01T09:30:00+00:00", "frozen": True, "offset_seconds": 50 * 86400 - 9000}
    assert (r.status_code, r.json()) == (200, body)
    assert sandbox.control("GET", "clock").json() == body


def test_a_running_clock_keeps_its_offset_from_the_servers(sandbox: Sandboxed, clock):
    sandbox.control("PUT", "clock", json={"now": "2027-01-10T13:00:00+00:00", "frozen": False})
    clock.advance(60)  # the server's own clock moves on: the sandbox's moves with it
    r = sandbox.control("GET", "clock")
    assert r.json() == {"now": "2027-01-10T13:01:00+00:00", "frozen": False, "offset_seconds": 3600}


def test_advance_moves_a_frozen_clock_and_a_running_one(sandbox: Sandboxed):
    sandbox.control("PUT", "clock", json={"now": "2027-01-10T12:00:00+00:00"})  # frozen by default
    r = sandbox.control("POST", "clock/advance", json={"seconds": 86400})
    assert r.json() == {"now": "2027-01-11T12:00:00+00:00", "frozen": True, "offset_seconds": 86400}
    sandbox.control("DELETE", "clock")
    r = sandbox.control("POST", "clock/advance", json={"seconds": 7200})
    assert r.json() == {"now": "2027-01-10T14:00:00+00:00", "frozen": False, "offset_seconds": 7200}


def test_delete_goes_back_to_the_servers_clock(sandbox: Sandboxed):
    sandbox.control("PUT", "clock", json={"now": "2030-01-01T00:00:00+00:00"})
    r = sandbox.control("DELETE", "clock")
    assert (r.status_code, r.json()) == (200, REAL)


@pytest.mark.parametrize("path, body, errors", [
    ("clock", {}, {"now": ["This field is missing."]}),
    ("clock", {"now": "2027-01-10 12:00:00"}, {"now": [
        "This value is not a valid date-time. Expected ISO 8601 with an offset, e.g. 2027-01-15T09:00:00+01:00."]}),
    ("clock", {"now": "tomorrow", "frozen": "yes"}, {
        "now": ["This value is not a valid date-time. Expected ISO 8601 with an offset, e.g. "
                "2027-01-15T09:00:00+01:00."],
        "frozen": ["This value should be of type bool."]}),
    ("clock/advance", {"seconds": "3600"}, {"seconds": ["This value should be of type integer."]}),
    ("clock/advance", {"seconds": 10**12}, {"seconds": ["This value should be between -3162240000 and 3162240000."]}),
])
def test_bad_clock_bodies_are_refused_and_change_nothing(sandbox: Sandboxed, path, body, errors):
    method = "PUT" if path == "clock" else "POST"
    r = sandbox.control(method, path, json=body)
    assert (r.status_code, r.json()) == (422, error(next(iter(errors.values()))[0], errors))
    assert sandbox.control("GET", "clock").json() == REAL


def test_invalid_json_is_400(sandbox: Sandboxed):
    r = sandbox.client.put("/_sandbox/clock", content=b"{", headers={"Authorization": "Bearer sandbox-test-token"})
    assert (r.status_code, r.json()) == (400, error("Invalid JSON"))


def test_an_event_becomes_the_past_when_the_clock_passes_its_end(sandbox: Sandboxed):
    event = create_event(sandbox, date="2027-01-12 09:00:00")
    path = events_path(event_id=event["id"]) + "/appointments"
    r = sandbox.post(path, json=_booking("+420777000111"))
    assert r.status_code == 201, r.text
    sandbox.control("PUT", "clock", json={"now": "2027-01-12T11:00:00+01:00"})  # the class has ended
    r = sandbox.post(path, json=_booking("+420777000112"))
    assert (r.status_code, r.json()) == (422, error("The event has already ended"))


def _booking(phone: str) -> dict:
    client = {"phone": phone, "name": "Jo", "surname": "Doe", "email": "", "gender": 0}
    return {"client": client, "clients_count": 1}


def test_the_v2_lists_past_period_follows_the_clock(sandbox: Sandboxed):
    week = "filter[from]=2027-01-11 00:00:00&filter[to]=2027-01-17 23:59:59"
    assert sandbox.get(f"{events_path()}?{week}").status_code == 200
    sandbox.control("POST", "clock/advance", json={"seconds": 2 * 86400})
    r = sandbox.get(f"{events_path()}?{week}")
    assert r.status_code == 400 and list(r.json()["errors"]) == ["filter[from]"]
