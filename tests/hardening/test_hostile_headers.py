"""Heads over their limits are refused with 431 before the server holds them, and one client
streaming a huge header neither blocks the event loop for others nor grows the server's
memory (behaviour 8.1). Real server processes, raw sockets for the hostile side."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from typing import Iterator

import httpx
import pytest

from tests import factories as f
from tests.conftest import AUTH, NOW, PRAGUE, V2
from tests.hardening.raw import Answer, closed_within, connect, read_answer, rss_mib
from tests.live_server import ROOT, LiveServer

MAX_HEADER_BYTES, MAX_HEADER_COUNT = 16 * 1024, 100  # the defaults
TOO_LARGE = {"success": False, "data": None, "meta": {"message": "Request Header Fields Too Large"}}
TAGS = f"/api/v2/locations/{PRAGUE['id']}/tags"


@pytest.fixture(scope="module")
def server(sqlite_template) -> Iterator[LiveServer]:
    with LiveServer(sqlite_template.fresh(), frozen_time=NOW) as live:
        yield live


def _send(server: LiveServer, head: bytes, body: bytes = b"") -> Answer | None:
    with connect(server.port) as sock:
        sock.sendall(head + body)
        return read_answer(sock)


def _get(path: str, *headers: str) -> bytes:
    lines = [f"GET {path} HTTP/1.1", "Host: x", f"Authorization: {AUTH}", f"Accept: {V2}", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def _refused(answer: Answer | None) -> None:
    assert answer is not None, "the connection closed without an answer"
    assert (answer.status, answer.json(), answer.headers.get("connection")) == (431, TOO_LARGE, "close")


def test_a_header_over_16_kib_gets_431_in_the_envelope(server):
    _refused(_send(server, _get(TAGS, "X-Big: " + "a" * MAX_HEADER_BYTES)))


def test_headers_over_64_kib_in_all_get_431(server):
    _refused(_send(server, _get(TAGS, *(f"X-Part-{n}: " + "a" * 9000 for n in range(8)))))


def test_more_than_100_headers_get_431(server):
    _refused(_send(server, _get(TAGS, *(f"X-N{n}: 1" for n in range(MAX_HEADER_COUNT + 1)))))


def test_a_request_line_over_16_kib_gets_431(server):
    _refused(_send(server, _get(TAGS + "?q=" + "a" * MAX_HEADER_BYTES)))


def test_heads_just_under_the_limits_are_served(server):
    near = [f"X-Part-{n}: " + "a" * 15000 for n in range(4)]  # 60 KB in all, each under 16 KiB
    assert _send(server, _get(TAGS, *near)).status == 200
    assert _send(server, _get(TAGS, *(f"X-N{n}: 1" for n in range(MAX_HEADER_COUNT - 3)))).status == 200


def test_a_long_body_without_line_ends_in_the_same_read_as_its_head_is_not_taken_for_a_header(server):
    body = b'{"title": "' + b"t" * 40000 + b'", "color": "#123456"}'
    head = (f"POST {TAGS} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\nAccept: {V2}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    answer = _send(server, head, body)
    assert answer is not None and answer.status != 431, answer


def test_pipelined_requests_in_one_read_are_all_answered(server):
    with connect(server.port) as sock:
        sock.sendall(_get(TAGS) * 30)  # within the 32 read ahead (behaviour 8.4)
        buffer = bytearray()
        answers = [read_answer(sock, buffer=buffer) for _ in range(30)]
    assert [a.status if a else None for a in answers] == [200] * 30


def test_an_unfinished_128_mb_header_is_never_held(server):
    before = rss_mib(server.pid)
    sent, chunk = 0, b"a" * (1 << 20)
    with connect(server.port) as sock:
        try:
            sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Big: ")
            while sent < 128 << 20:
                sock.sendall(chunk)
                sent += len(chunk)
        except OSError:  # refused and closed: what is expected
            pass
        closed = closed_within(sock, 5)
    assert closed is not None, "the server kept reading a header of 128 MB"
    # What the kernel's socket buffers took before the server closed, not what the server held.
    assert sent < 32 << 20
    assert rss_mib(server.pid) < before + 16


def test_reading_one_event_stays_fast_while_another_client_streams_a_1_gb_header(database_url):
    """p99 under 100 ms for the reader and no growth of the server's memory, while a flood
    of up to 1 GiB (10 s at most, loopback) goes on in another process."""
    event = f.make_event(database_url)
    with LiveServer(database_url, frozen_time=NOW) as server, \
            httpx.Client(base_url=server.url, headers={"Authorization": AUTH, "Accept": V2}, timeout=10) as http:
        path = f"/api/v2/locations/{PRAGUE['id']}/events/{event}"
        assert http.get(path).status_code == 200
        before = rss_mib(server.pid)
        flood = subprocess.Popen([sys.executable, "-m", "tests.hardening.flood", str(server.port), str(1 << 30), "10"],
                                 cwd=ROOT, stdout=subprocess.PIPE, text=True)
        latencies, peak = [], before
        try:
            time.sleep(0.2)
            while flood.poll() is None:
                start = time.perf_counter()
                status = http.get(path).status_code
                latencies.append(time.perf_counter() - start)
                assert status == 200
                peak = max(peak, rss_mib(server.pid))
                time.sleep(0.005)
        finally:
            if flood.poll() is None:
                flood.kill()
            sent, connections = map(int, flood.communicate(timeout=10)[0].split())
    p99 = statistics.quantiles(latencies, n=100)[98]
    report = (f"{len(latencies)} reads, p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms; "
              f"flood {sent >> 20} MiB over {connections} connections; RSS {before:.0f} -> {peak:.0f} MiB")
    print(report)
    assert p99 < 0.100, report
    assert peak < before + 32, report
    assert sent >= 64 << 20, report  # the flood did flow
