"""Hostile clients cannot grow a server process's memory (behaviour 9): bounded attacks
against a real server process, its resident memory read from /proc before and after."""

from __future__ import annotations

import secrets
from typing import Iterator

import httpx
import pytest

from tests.conftest import AUTH, NOW, PRAGUE, V2, error
from tests.event_factories import event_body, events_path
from tests.live_server import LiveServer

MB = 1024 * 1024


def rss(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS line")


@pytest.fixture
def server(database_url: str) -> Iterator[LiveServer]:
    with LiveServer(database_url, frozen_time=NOW) as live:
        yield live


def test_distinct_huge_tokens_all_get_401_and_leave_memory_flat(server):
    # Before the caches were bounded in bytes, each distinct header was kept whole, with
    # its two tokens and their digests: 1,100 headers of 14 KB held ~30 MB.
    with httpx.Client(base_url=server.url, timeout=30) as client:
        client.get("/api/v2/locations/101/tags", headers={"Authorization": AUTH, "Accept": V2})
        before = rss(server.pid)
        for i in range(1100):
            token = secrets.token_hex(3500)
            r = client.get("/api/v2/locations/101/tags",
                           headers={"Authorization": f"Bearer {token}, User u{i}{token}", "Accept": V2})
            assert (r.status_code, r.json()) == (401, error("Authentication needed."))
        grown = rss(server.pid) - before
    assert grown < 8 * MB, f"the server grew by {grown / MB:.1f} MB"


def test_rewriting_an_event_with_a_huge_comment_leaves_memory_flat(server):
    # Before the kept encodings were bounded in bytes, every version of the event was kept:
    # 120 versions with a 65,000-emoji comment held ~200 MB.
    headers = {"Authorization": AUTH, "Accept": V2}
    with httpx.Client(base_url=server.url, timeout=30, headers=headers) as client:
        r = client.post(events_path(), json=event_body())
        assert r.status_code == 201, r.text
        path = events_path(PRAGUE, r.json()["data"]["id"])
        client.get(path)
        before = rss(server.pid)
        for i in range(120):
            comment = "😀" * 64_990 + f"{i:010d}"
            r = client.put(path, json=event_body(comment=comment))
            assert r.status_code == 200, r.text
            r = client.get(path)
            assert (r.status_code, r.json()["data"]["attributes"]["comment"]) == (200, comment)
        grown = rss(server.pid) - before
    assert grown < 40 * MB, f"the server grew by {grown / MB:.1f} MB"
