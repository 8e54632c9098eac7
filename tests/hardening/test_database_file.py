"""SQLite: the database file deleted or replaced under a running server (behaviour 11.3).

The server keeps writing into the file it opened, which no restart will find again, so every
write it answered after that would be lost. It must notice at once, refuse every write with
503, fail readiness and say so in its log, once.
"""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import httpx
import pytest

from tests import factories as f
from tests.conftest import AUTH, NOW, PRAGUE, V2
from tests.live_server import LiveServer

LOC = PRAGUE["id"]
HEADERS = {"Authorization": AUTH, "Accept": V2}
ALARM = "every write is refused (503) from now on"


@pytest.fixture
def sqlite_url(sqlite_template) -> str:
    return sqlite_template.fresh()


def _path(url: str) -> Path:
    return Path(url.split("sqlite:///", 1)[1])


def _book(server: LiveServer, event_id: int, phone: str) -> httpx.Response:
    body = {"client": {"name": "Lost", "phone": phone, "email": "", "surname": "", "gender": 0}, "clients_count": 1}
    return httpx.post(f"{server.url}/api/v2/locations/{LOC}/events/{event_id}/appointments", headers=HEADERS,
                      json=body, timeout=10)


def _phones_in(path: Path) -> set[str]:
    raw = sqlite3.connect(path)
    try:
        return {row[0] for row in raw.execute("SELECT phone FROM clients")}
    finally:
        raw.close()


def _refuses_writes_and_reads_still_answer(server: LiveServer, event: int) -> None:
    for n in range(10):
        r = _book(server, event, f"+42077710{n:04}")
        assert r.status_code == 503, r.text
        assert r.json() == {"success": False, "data": None,
                            "meta": {"message": "The service is temporarily unavailable, try again later"}}
        assert "retry-after" in r.headers
    ready = httpx.get(f"{server.url}/health/ready", timeout=10)
    assert ready.status_code == 503 and ready.json()["status"] == "unavailable"
    # Reads go on, from the file the server opened (every write it acknowledged is there).
    r = httpx.get(f"{server.url}/api/v2/locations/{LOC}/events/{event}", headers=HEADERS, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["data"]["attributes"]["clients_count"] == 1


def test_a_deleted_database_file_makes_every_write_503_at_once(sqlite_url):
    path = _path(sqlite_url)
    event = f.make_event(sqlite_url, capacity=50)
    with LiveServer(sqlite_url, frozen_time=NOW) as server:
        assert _book(server, event, "+420777100999").status_code == 201
        os.link(path, path.with_suffix(".kept"))  # the file the server opened, to look into afterwards
        path.unlink()
        _refuses_writes_and_reads_still_answer(server, event)  # no pause: the write itself checks
        log = server.log()
    assert log.count(ALARM) == 1, log
    assert "was deleted" in log
    assert log.count("a request was refused") == 1, log  # ten refusals in a second: one line (behaviour 11.4)
    assert not path.exists()  # no new, empty database was made in its place
    assert _phones_in(path.with_suffix(".kept")) & {f"+42077710{n:04}" for n in range(10)} == set()


def test_a_database_file_replaced_by_another_makes_every_write_503(sqlite_url, sqlite_template):
    path = _path(sqlite_url)
    event = f.make_event(sqlite_url, capacity=50)
    other = Path(sqlite_template.fresh().split("sqlite:///", 1)[1])
    with LiveServer(sqlite_url, frozen_time=NOW) as server:
        assert _book(server, event, "+420777100999").status_code == 201
        os.rename(other, path)
        _refuses_writes_and_reads_still_answer(server, event)
        log = server.log()
    assert log.count(ALARM) == 1, log
    assert "was replaced by another file" in log
    assert _phones_in(path) & {f"+42077710{n:04}" for n in range(10)} == set()


def test_the_timer_notices_a_deleted_file_without_any_request(sqlite_url):
    path = _path(sqlite_url)
    with LiveServer(sqlite_url, frozen_time=NOW) as server:
        path.unlink()
        deadline = time.monotonic() + 1.0
        while ALARM not in server.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert ALARM in server.log()
        assert httpx.get(f"{server.url}/health", timeout=10).status_code == 200  # alive, not ready
        assert httpx.get(f"{server.url}/health/ready", timeout=10).status_code == 503
