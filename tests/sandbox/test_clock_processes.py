"""One clock for every server process over a database (behaviour 19.1, 19.2): moved through
one process, the rules of the others follow at their next request.

On PostgreSQL the first server has two workers, so its requests reach two processes; on
SQLite each server is one process over the same file.
"""

from __future__ import annotations

from typing import Iterator

import httpx
import pytest

from tests import factories as f
from tests.conftest import AUTH, NOW, PRAGUE, V2, error
from tests.live_server import LiveServer

SANDBOX_ENV = {"ALTEGIO_SANDBOX": "1", "ALTEGIO_SANDBOX_TOKEN": "t"}
CONTROL = {"Authorization": "Bearer t"}
API = {"Authorization": AUTH, "Accept": V2}
LOC = PRAGUE["id"]
WEEK = {"filter[from]": "2027-01-11 00:00:00", "filter[to]": "2027-01-17 23:59:59"}


@pytest.fixture
def two(database_url: str) -> Iterator[tuple[LiveServer, LiveServer]]:
    workers = 2 if database_url.startswith("postgresql") else 1
    with LiveServer(database_url, workers=workers, frozen_time=NOW, env=SANDBOX_ENV) as one, \
            LiveServer(database_url, frozen_time=NOW, env=SANDBOX_ENV) as other:
        yield one, other


def clock(server: LiveServer, method: str = "GET", tail: str = "", json: dict | None = None) -> httpx.Response:
    return httpx.request(method, f"{server.url}/_sandbox/clock{tail}", headers=CONTROL, json=json, timeout=10)


def book(server: LiveServer, event_id: int, phone: str) -> httpx.Response:
    client = {"name": "Jo", "surname": "Doe", "phone": phone, "email": "", "gender": 0}
    return httpx.post(f"{server.url}/api/v2/locations/{LOC}/events/{event_id}/appointments", headers=API,
                      json={"client": client, "clients_count": 1}, timeout=10)


def week(server: LiveServer) -> httpx.Response:
    return httpx.get(f"{server.url}/api/v2/locations/{LOC}/events", params=WEEK, headers=API, timeout=10)


def test_a_clock_set_through_one_server_holds_at_once_in_the_other(two, database_url):
    one, other = two
    event = f.make_event(database_url, start=f.NOW_TS + f.DAY, length=3600, capacity=10)
    for phone, server in (("+420777000001", one), ("+420777000002", other)):  # before: both book
        assert book(server, event, phone).status_code == 201
        assert week(server).status_code == 200
    r = clock(one, "PUT", json={"now": "2027-01-11T13:00:00+00:00"})  # the event has just ended
    assert r.json() == {"now": "2027-01-11T13:00:00+00:00", "frozen": True, "offset_seconds": f.DAY + 3600}
    for _ in range(4):  # every request of the other server (and of each worker of the first)
        for server in (other, one):
            r = book(server, event, "+420777009999")
            assert (r.status_code, r.json()) == (422, error("The event has already ended"))
            r = week(server)
            message = "The start date of the period cannot be earlier than the current time"
            assert (r.status_code, r.json()) == (400, error(message, {"filter[from]": [message]}))


def test_the_clock_advanced_through_one_server_reads_the_same_through_the_other(two):
    one, other = two
    clock(one, "PUT", json={"now": "2027-03-01T09:00:00+01:00", "frozen": False})
    r = clock(other, "POST", "/advance", json={"seconds": 7200})
    moved = {"now": "2027-03-01T10:00:00+00:00", "frozen": False, "offset_seconds": int(50 * 86400 - 7200)}
    assert (r.status_code, r.json()) == (200, moved)
    for _ in range(4):
        assert clock(one).json() == moved
    r = clock(other, "DELETE")
    assert (r.status_code, clock(one).json()) == (200, {"now": NOW.isoformat(), "frozen": False, "offset_seconds": 0})
