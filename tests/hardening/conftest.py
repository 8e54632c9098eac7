"""Requests to the real server processes of the `servers` fixture (tests/conftest.py), in turn."""

from __future__ import annotations

import itertools
from typing import Any

import httpx

from tests.conftest import AUTH, V2
from tests.live_server import LiveServer


def sender(servers: list[LiveServer], timeout: float = 60) -> Any:
    """send(method, path, body) -> (status, body or None): each request to the next server in turn."""
    turns = itertools.cycle(servers)
    headers = {"Authorization": AUTH, "Accept": V2}

    def send(method: str, path: str, body: Any) -> tuple[int, Any]:
        server = next(turns)
        r = httpx.request(method, server.url + path, json=body, headers=headers, timeout=timeout)
        return r.status_code, (r.json() if r.content else None)

    return send
