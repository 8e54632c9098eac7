"""Real server processes over one database: two on PostgreSQL (the first with two workers),
two on SQLite (one worker each; SQLite queues writers on the file lock across processes)."""

from __future__ import annotations

import itertools
from typing import Any, Iterator

import httpx
import pytest

from tests.conftest import AUTH, NOW, V2
from tests.live_server import LiveServer


@pytest.fixture
def servers(database_url: str) -> Iterator[list[LiveServer]]:
    workers = 2 if database_url.startswith("postgresql") else 1
    with LiveServer(database_url, workers=workers, frozen_time=NOW) as one, \
            LiveServer(database_url, frozen_time=NOW) as two:
        yield [one, two]


def sender(servers: list[LiveServer], timeout: float = 60) -> Any:
    """send(method, path, body) -> (status, body or None): each request to the next server in turn."""
    turns = itertools.cycle(servers)
    headers = {"Authorization": AUTH, "Accept": V2}

    def send(method: str, path: str, body: Any) -> tuple[int, Any]:
        server = next(turns)
        r = httpx.request(method, server.url + path, json=body, headers=headers, timeout=timeout)
        return r.status_code, (r.json() if r.content else None)

    return send
