"""Bookings in flight against restores, across server processes over one database (behaviour 19.3).

A restore rewrites every domain table in one transaction that holds them alone, so a booking
lands wholly before it (and is undone) or wholly after it (and stays): never its seats on the
event without its appointment, nor the other way round. Without the table locks (PostgreSQL)
or the one transaction (SQLite), restores here fail on broken foreign keys or leave seat counts
that differ from the appointments.
"""

from __future__ import annotations

import itertools
import threading
from collections import Counter
from typing import Any, Iterator

import httpx
import pytest

from tests.conftest import AUTH, NOW, V2
from tests.event_factories import event_body, events_path
from tests.invariants import assert_hold
from tests.live_server import LiveServer

TOKEN = "sandbox-race-token"
RESTORES = 20
BOOKERS = 6


@pytest.fixture
def servers(database_url: str) -> Iterator[list[LiveServer]]:
    """Two sandbox servers over one database; on PostgreSQL the first runs two workers."""
    env = {"ALTEGIO_SANDBOX": "1", "ALTEGIO_SANDBOX_TOKEN": TOKEN}
    workers = 2 if database_url.startswith("postgresql") else 1
    with LiveServer(database_url, workers=workers, frozen_time=NOW, env=env) as one, \
            LiveServer(database_url, frozen_time=NOW, env=env) as two:
        yield [one, two]


def _api(server: LiveServer, method: str, path: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, server.url + path, json=body, headers={"Authorization": AUTH, "Accept": V2},
                         timeout=60)


def _control(server: LiveServer, method: str, path: str, body: Any = None) -> httpx.Response:
    return httpx.request(method, f"{server.url}/_sandbox/{path}", json=body,
                         headers={"Authorization": f"Bearer {TOKEN}"}, timeout=60)


def test_bookings_in_flight_land_wholly_before_or_after_each_restore(servers: list[LiveServer], database_url: str):
    events = []
    for day in range(15, 18):
        r = _api(servers[0], "POST", events_path(), event_body(date=f"2027-01-{day} 09:00:00", capacity=5000))
        assert r.status_code == 201, r.text
        events.append(r.json()["data"]["id"])
    assert _control(servers[0], "POST", "snapshots", {"name": "free-seats"}).status_code == 201

    done = threading.Event()
    phones = itertools.count()
    booked: Counter[int] = Counter()
    restored: Counter[int] = Counter()

    def book(n: int) -> None:
        server = servers[n % len(servers)]
        while not done.is_set():
            event = events[next(phones) % len(events)]
            client = {"name": "Racer", "phone": f"+42077{next(phones):07d}", "email": "", "surname": "", "gender": 0}
            r = _api(server, "POST", events_path(event_id=event) + "/appointments",
                     {"client": client, "clients_count": 1 + n % 2})
            booked[r.status_code] += 1

    def restore() -> None:
        for i in range(RESTORES):
            restored[_control(servers[i % len(servers)], "POST", "snapshots/free-seats/restore").status_code] += 1
            done.wait(0.02)
        done.set()

    threads = [threading.Thread(target=book, args=(n,)) for n in range(BOOKERS)] + [threading.Thread(target=restore)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert restored == {200: RESTORES}
    assert set(booked) <= {201, 503} and booked[201] > RESTORES, booked
    assert_hold(database_url, f"after {RESTORES} restores against {sum(booked.values())} bookings")
