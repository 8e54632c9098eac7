"""Reads in flight against restores, across server processes (behaviour 19.3): a read sees the
state before a restore or after it, never a part of each. The week's list counts its events,
then reads the page; across a restore of another process those two statements would see two
different states, unless the read's tables hold still until it ends (`snapshot_reads`)."""

from __future__ import annotations

import threading

import httpx

from tests.conftest import AUTH, V2
from tests.event_factories import event_body, events_path
from tests.live_server import LiveServer
from tests.sandbox.conftest import live_api, live_control

WEEK = "filter[from]=2027-01-11 00:00:00&filter[to]=2027-01-17 23:59:59&limit=100"
RESTORES = 30


def test_a_list_read_during_restores_counts_exactly_the_rows_it_shows(sandbox_servers: list[LiveServer]):
    one, two = sandbox_servers
    for n, day in enumerate([12, 13, 14, 15, 16, 17]):
        r = live_api(one, "POST", events_path(), event_body(date=f"2027-01-{day} 09:00:00"))
        assert r.status_code == 201, r.text
        if n == 1:
            assert live_control(one, "POST", "snapshots", {"name": "two"}).status_code == 201
    assert live_control(one, "POST", "snapshots", {"name": "six"}).status_code == 201

    done = threading.Event()
    seen: list[tuple[int, int]] = []

    def read() -> None:
        with httpx.Client(base_url=two.url, headers={"Authorization": AUTH, "Accept": V2}, timeout=60) as client:
            while not done.is_set():
                r = client.get(f"{events_path()}?{WEEK}")
                if r.status_code == 200:  # a 503 after a long wait is allowed, a mixture is not
                    body = r.json()
                    seen.append((body["meta"]["pagination"]["total"], len(body["data"])))

    readers = [threading.Thread(target=read) for _ in range(3)]
    for t in readers:
        t.start()
    try:
        for i in range(RESTORES):
            assert live_control(one, "POST", f"snapshots/{'two' if i % 2 else 'six'}/restore").status_code == 200
    finally:
        done.set()
        for t in readers:
            t.join()
    mixed = [(total, shown) for total, shown in seen if total != shown]
    assert not mixed, f"{len(mixed)} of {len(seen)} reads counted one state and showed another: {mixed[:5]}"
    assert {total for total, _ in seen} == {2, 6}  # the reads did run across the restores
