"""Every wait for the database is bounded (behaviour 11.1): a lock held from outside, or every
pooled connection busy, gets a real server's request a 503 with Retry-After within the bound,
and nothing of that request is written. On SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx

from tests import factories as f
from tests.conftest import AUTH, NOW, PRAGUE, V2
from tests.live_server import LiveServer
from tests.sql import in_transaction

LOC = PRAGUE["id"]
BOUND = 0.5  # seconds, every wait of the servers below
SLACK = 1.5  # for a loaded test machine: a request answered within BOUND + SLACK was not left hanging
HEADERS = {"Authorization": AUTH, "Accept": V2}
UNAVAILABLE = {"success": False, "data": None,
               "meta": {"message": "The service is temporarily unavailable, try again later"}}


def _waits(**more: str) -> dict[str, str]:
    env = {"ALTEGIO_DB_ACQUIRE_TIMEOUT": str(BOUND), "ALTEGIO_DB_LOCK_TIMEOUT": str(BOUND),
           "ALTEGIO_DB_STATEMENT_TIMEOUT": "5"}
    env.update(more)
    return env


class Held:
    """A write transaction of another connection, held open in a thread until the block ends:
    on SQLite it holds the database file's writer lock, on PostgreSQL the row locks `lock_sql` takes."""

    def __init__(self, database_url: str, lock_sql: str = "SELECT 1", *args: Any) -> None:
        if database_url.startswith("sqlite"):  # no row locks: the transaction itself holds the file
            lock_sql = lock_sql.replace(" FOR UPDATE", "")
        self.url, self.sql, self.args = database_url, lock_sql, args
        self.holding, self.release = threading.Event(), threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(in_transaction(self.url, self._hold)))

    async def _hold(self, conn: Any) -> None:
        await conn.execute(self.sql, *self.args)
        self.holding.set()
        while not self.release.is_set():
            await asyncio.sleep(0.01)

    def __enter__(self) -> Held:
        self.thread.start()
        assert self.holding.wait(10), "the lock was never taken"
        return self

    def __exit__(self, *exc: Any) -> None:
        self.release.set()
        self.thread.join(10)


def _booking(phone: str) -> dict[str, Any]:
    return {"client": {"name": "Waiting", "phone": phone, "email": "", "surname": "", "gender": 0},
            "clients_count": 1}


def _book(server: LiveServer, event_id: int, phone: str) -> tuple[httpx.Response, float]:
    started = time.monotonic()
    r = httpx.post(f"{server.url}/api/v2/locations/{LOC}/events/{event_id}/appointments", headers=HEADERS,
                   json=_booking(phone), timeout=BOUND + SLACK + 5)
    return r, time.monotonic() - started


def _assert_unavailable(r: httpx.Response, elapsed: float) -> None:
    assert r.status_code == 503, r.text
    assert r.json() == UNAVAILABLE
    assert r.headers["retry-after"] == "1"
    assert elapsed < BOUND + SLACK, f"answered after {elapsed:.2f} s"


def test_a_booking_that_waits_too_long_for_a_lock_gets_503_and_writes_nothing(database_url):
    first, second = f.make_event(database_url, capacity=5), f.make_event(database_url, capacity=5,
                                                                            start=f.NOW_TS + 2 * f.DAY)
    with LiveServer(database_url, frozen_time=NOW, env=_waits()) as server:
        r, _ = _book(server, first, "+420777000001")
        assert r.status_code == 201, r.text
        client_id = f.fetch(database_url, "SELECT id FROM clients WHERE phone = $1", "+420777000001")[0]["id"]
        # PostgreSQL: the booking reserves the seats, then waits for the client's row lock
        # (a half-done write, were it kept). SQLite: it waits for the file's writer lock.
        with Held(database_url, "SELECT id FROM clients WHERE id = $1 FOR UPDATE", client_id):
            r, elapsed = _book(server, second, "+420777000001")
        _assert_unavailable(r, elapsed)
        assert f.event_seats(database_url, second) == 0
        assert f.fetch(database_url, "SELECT id FROM records WHERE event_id = $1", second) == []
        r, _ = _book(server, second, "+420777000001")  # the lock gone, the same request succeeds
        assert r.status_code == 201, r.text
        assert "a wait for the database ran out" in server.log()


def test_a_request_that_finds_every_pooled_connection_busy_gets_503(postgres_template):
    database_url = postgres_template.fresh()
    event = f.make_event(database_url, capacity=5)
    # One connection, taken by a booking that waits 3 s for a row lock held from outside
    # (given as flags of `serve` here, which override the environment).
    flags = ("--db-pool-size", "1", "--db-lock-timeout", "3")
    with LiveServer(database_url, frozen_time=NOW, env=_waits(ALTEGIO_HEALTH_TIMEOUT=str(BOUND)), args=flags) as server:
        with Held(database_url, "SELECT id FROM events WHERE id = $1 FOR UPDATE", event):
            stuck = threading.Thread(target=_book, args=(server, event, "+420777000002"))
            stuck.start()
            time.sleep(0.3)  # the booking holds the connection
            started = time.monotonic()
            r = httpx.get(f"{server.url}/api/v2/locations/{LOC}/events/{event}", headers=HEADERS, timeout=10)
            _assert_unavailable(r, time.monotonic() - started)
            started = time.monotonic()
            ready = httpx.get(f"{server.url}/health/ready", timeout=10)
            assert time.monotonic() - started < BOUND + SLACK
            assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
        stuck.join(10)
        r = httpx.get(f"{server.url}/api/v2/locations/{LOC}/events/{event}", headers=HEADERS, timeout=10)
        assert r.status_code == 200, r.text
        assert httpx.get(f"{server.url}/health/ready", timeout=10).status_code == 200


def test_a_statement_that_runs_too_long_is_stopped_with_503(postgres_template):
    """statement_timeout: a lock_timeout longer than the statement bound cannot keep it waiting."""
    database_url = postgres_template.fresh()
    event = f.make_event(database_url, capacity=5)
    env = _waits(ALTEGIO_DB_LOCK_TIMEOUT="30", ALTEGIO_DB_STATEMENT_TIMEOUT=str(BOUND))
    with LiveServer(database_url, frozen_time=NOW, env=env) as server:
        with Held(database_url, "SELECT id FROM events WHERE id = $1 FOR UPDATE", event):
            r, elapsed = _book(server, event, "+420777000003")
        _assert_unavailable(r, elapsed)
        assert f.event_seats(database_url, event) == 0


def test_reads_are_answered_while_a_write_waits_for_another_process_to_let_go(sqlite_template):
    """SQLite: the writer waits for the file's lock between tries, not inside SQLite, which would
    hold the process's event loop and every other request with it."""
    database_url = sqlite_template.fresh()
    event = f.make_event(database_url, capacity=5)
    with LiveServer(database_url, frozen_time=NOW, env=_waits(ALTEGIO_DB_LOCK_TIMEOUT="3")) as server:
        with Held(database_url):
            answers: list[tuple[httpx.Response, float]] = []
            waiting = threading.Thread(target=lambda: answers.append(_book(server, event, "+420777000004")))
            waiting.start()
            time.sleep(0.3)  # the booking is waiting for the lock
            started = time.monotonic()
            r = httpx.get(f"{server.url}/api/v2/locations/{LOC}/events/{event}", headers=HEADERS, timeout=10)
            read_took = time.monotonic() - started
            waiting.join(10)
        assert r.status_code == 200, r.text
        assert read_took < 1.0, f"the read waited {read_took:.2f} s behind the write"
        (booking, elapsed), = answers
        assert booking.status_code == 503 and 2.5 < elapsed < 3 + SLACK
        assert f.event_seats(database_url, event) == 0


def test_writers_queued_in_the_process_behind_a_lock_held_elsewhere_all_get_503_in_time(database_url):
    """Several bookings at once: on SQLite one waits for the file's lock and the rest for their
    turn in the process; on PostgreSQL all wait for the event's row lock. Each gives up in time."""
    event = f.make_event(database_url, capacity=50)
    with LiveServer(database_url, frozen_time=NOW, env=_waits()) as server:
        answers: list[tuple[httpx.Response, float]] = []
        with Held(database_url, "SELECT id FROM events WHERE id = $1 FOR UPDATE", event):
            threads = [threading.Thread(target=lambda n=n: answers.append(_book(server, event, f"+42077701{n:04}")))
                       for n in range(6)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(BOUND + SLACK + 10)
        assert len(answers) == 6
        for r, elapsed in answers:
            _assert_unavailable(r, elapsed)
        assert f.event_seats(database_url, event) == 0
        assert f.fetch(database_url, "SELECT id FROM records WHERE event_id = $1", event) == []
