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


from tests.event_factories import event_body, events_path
from tests.invariants import assert_hold
from tests.live_server import LiveServer
from tests.sandbox.conftest import live_api, live_control

RESTORES = 20
BOOKERS = 6


def test_bookings_in_flight_land_wholly_before_or_after_each_restore(sandbox_servers: list[LiveServer],
                                                                   database_url: str):
    servers = sandbox_servers
    events = []
    for day in range(15, 18):
        r = live_api(servers[0], "POST", events_path(), event_body(date=f"2027-01-{day} 09:00:00", capacity=5000))
        assert r.status_code == 201, r.text
        events.append(r.json()["data"]["id"])
    assert live_control(servers[0], "POST", "snapshots", {"name": "free-seats"}).status_code == 201

    done = threading.Event()
    phones = itertools.count()
    booked: Counter[int] = Counter()
    restored: Counter[int] = Counter()

    def book(n: int) -> None:
        server = servers[n % len(servers)]
        while not done.is_set():
            event = events[next(phones) % len(events)]
            client = {"name": "Racer", "phone": f"+42077{next(phones):07d}", "email": "", "surname": "", "gender": 0}
            r = live_api(server, "POST", events_path(event_id=event) + "/appointments",
                     {"client": client, "clients_count": 1 + n % 2})
            booked[r.status_code] += 1

    def restore() -> None:
        for i in range(RESTORES):
            restored[live_control(servers[i % len(servers)], "POST", "snapshots/free-seats/restore").status_code] += 1
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
