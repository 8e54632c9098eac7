"""Workers end with their supervisor (behaviour 8.5): after SIGKILL of the parent of
`serve --workers 2` (nothing of it runs its shutdown), both workers are gone within a few
seconds and a new server starts on the same port. On SQLite and on PostgreSQL."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import httpx

from tests.conftest import NOW
from tests.live_server import LiveServer

GONE_WITHIN = 3.0


def _children(parent: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # ended while being read
            continue
        if int(fields[1]) == parent:
            found.append(int(stat.parent.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_workers_end_when_their_parent_is_killed_and_the_port_can_be_served_again(database_url):
    server = LiveServer(database_url, workers=2, frozen_time=NOW).start()
    group = server.pid
    try:
        deadline = time.monotonic() + 20
        while len(workers := _children(server.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(workers) >= 2, workers
        time.sleep(1.0)  # both workers have loaded the application
        os.kill(server.pid, signal.SIGKILL)
        server._process.wait(10)
        deadline = time.monotonic() + GONE_WITHIN
        while (left := [pid for pid in workers if _alive(pid)]) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert left == [], f"still running {GONE_WITHIN} s after their parent was killed: {left}"

        again = LiveServer(database_url, frozen_time=NOW)
        again.port, again.url = server.port, server.url
        with again:
            assert httpx.get(again.url + "/openapi.json").status_code == 200
    finally:
        try:
            os.killpg(group, signal.SIGKILL)  # whatever outlived the parent, so no test leaves orphans
        except ProcessLookupError:
            pass
        server.stop()
