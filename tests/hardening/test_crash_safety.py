"""A server killed hard (SIGKILL to its whole process group) in the middle of a booking
load, then started again: every booking answered 201 is there, no booking answered with an
error is, every rule of tests/invariants.py holds, and the database is intact.
On SQLite and on PostgreSQL (there with two worker processes)."""

from __future__ import annotations

import sqlite3
import threading
import time
from typing import Any

import httpx

from tests import factories as f
from tests import invariants
from tests.conftest import AUTH, NOW, PRAGUE, V2
from tests.databases import TABLES
from tests.live_server import LiveServer

LOC = PRAGUE["id"]
THREADS = 8
BOOKED_BEFORE_KILL = 40


class Load:
    """Threads booking seats for new clients until stopped, remembering every answer."""

    def __init__(self, url: str, events: list[int]) -> None:
        self.url, self.events = url, events
        self.answers: list[tuple[str, int | None, Any]] = []  # (phone, status or None if no answer, body)
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._book, args=(n,)) for n in range(THREADS)]

    def _book(self, thread: int) -> None:
        headers = {"Authorization": AUTH, "Accept": V2}
        with httpx.Client(headers=headers, timeout=10) as http:
            n = 0
            while not self.stop.is_set():
                phone = f"+4207{thread:02}{n:06}"
                event = self.events[n % len(self.events)]
                body = {"client": {"name": f"Crash {thread}-{n}", "phone": phone, "email": "", "surname": "",
                                   "gender": 0}, "clients_count": 1}
                try:
                    r = http.post(f"{self.url}/api/v2/locations/{LOC}/events/{event}/appointments", json=body)
                    answer = (phone, r.status_code, r.json())
                except httpx.TransportError:
                    answer = (phone, None, None)
                    self.stop.wait(0.05)
                with self.lock:
                    self.answers.append(answer)
                n += 1

    def booked(self) -> int:
        with self.lock:
            return sum(1 for _, status, _ in self.answers if status == 201)

    def __enter__(self) -> Load:
        for t in self.threads:
            t.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.stop.set()
        for t in self.threads:
            t.join(30)


def _intact(url: str) -> None:
    if url.startswith("sqlite"):
        raw = sqlite3.connect(url.split("sqlite:///", 1)[1])
        try:
            assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
            assert raw.execute("PRAGMA foreign_key_check").fetchall() == []
        finally:
            raw.close()
    for table in TABLES:  # every table answers a full scan
        f.fetch(url, f"SELECT COUNT(*) AS n FROM {table}")


def test_bookings_survive_a_hard_kill_of_the_server(database_url):
    # Two roomy events and one that fills up, so that some bookings are refused before the kill.
    events = [f.make_event(database_url, capacity=10_000), f.make_event(database_url, capacity=10_000,
              start=f.NOW_TS + 2 * f.DAY), f.make_event(database_url, capacity=5, start=f.NOW_TS + 3 * f.DAY)]
    workers = 2 if database_url.startswith("postgresql") else 1
    server = LiveServer(database_url, workers=workers, frozen_time=NOW).start()
    try:
        with Load(server.url, events) as load:
            deadline = time.monotonic() + 30
            while load.booked() < BOOKED_BEFORE_KILL and time.monotonic() < deadline:
                time.sleep(0.01)
            server.kill()
            time.sleep(0.3)  # the threads see the server gone
    finally:
        server.stop()
    answers = load.answers
    assert load.booked() >= BOOKED_BEFORE_KILL, "the load never got going"
    assert any(status is None for _, status, _ in answers), "the kill did not land in the middle of the load"

    with LiveServer(database_url, frozen_time=NOW) as again:
        stored = {r["phone"]: r for r in f.fetch(
            database_url, "SELECT c.phone, r.id, r.event_id, r.deleted FROM records r "
                          "JOIN clients c ON c.id = r.client_id")}
        for phone, status, body in answers:
            if status == 201:
                record = stored.get(phone)
                assert record is not None, f"booking for {phone} answered 201 but is gone"
                assert str(record["id"]) == body["data"]["id"] and not record["deleted"]
            elif status is not None:
                assert status == 422, body
                assert phone not in stored, f"booking for {phone} answered {status} but is there"
        refused = [phone for phone, status, _ in answers if status == 422]
        assert refused and not f.fetch(database_url, "SELECT id FROM clients WHERE phone IN ("
                                       + ", ".join(f"${i + 1}" for i in range(len(refused))) + ")", *refused)
        invariants.assert_hold(database_url, "after the restart")
        _intact(database_url)
        # The restarted server takes bookings again.
        r = httpx.post(f"{again.url}/api/v2/locations/{LOC}/events/{events[0]}/appointments",
                       headers={"Authorization": AUTH, "Accept": V2},
                       json={"client": {"name": "After", "phone": "+420999999999", "email": "", "surname": "",
                                        "gender": 0}, "clients_count": 1})
        assert r.status_code == 201, r.text
    invariants.assert_hold(database_url, "at the end")
