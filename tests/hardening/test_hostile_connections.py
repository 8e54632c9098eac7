"""Slow and idle clients are timed out, and connections over the cap are closed at once
(behaviour 8.2, 8.3). Real server processes with small limits, raw sockets."""

from __future__ import annotations

import socket
import time

from tests.conftest import AUTH, NOW, PRAGUE, V2
from tests.hardening.raw import closed_within, connect, open_fds, read_answer, rss_mib, server_side_open
from tests.live_server import LiveServer

TIMED_OUT = {"success": False, "data": None, "meta": {"message": "Request Timeout"}}
TAGS = f"/api/v2/locations/{PRAGUE['id']}/tags"
GET = f"GET {TAGS} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\nAccept: {V2}\r\n\r\n".encode()


def _server(sqlite_template, *args: str, **env: str) -> LiveServer:
    """A server with limits from `serve` flags (args) or from ALTEGIO_ variables (env)."""
    return LiveServer(sqlite_template.fresh(), frozen_time=NOW, args=args,
                      env={f"ALTEGIO_{k.upper()}": v for k, v in env.items()})


def _trickle(sock, pieces: list[bytes]):
    """Send the pieces 0.25 s apart until the server answers; its answer, or None."""
    for piece in pieces:
        try:
            sock.sendall(piece)
        except OSError:
            return None
        sock.settimeout(0.25)
        try:
            if sock.recv(1, socket.MSG_PEEK):  # an answer is waiting
                return read_answer(sock)
        except (TimeoutError, OSError):
            continue
    return None


def test_headers_sent_a_line_at_a_time_are_cut_off_after_the_header_timeout(sqlite_template):
    with _server(sqlite_template, header_timeout="1") as server, connect(server.port) as sock:
        start = time.monotonic()
        sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
        # a line every 0.25 s: 5 s at most
        answer = _trickle(sock, [f"X-Slow-{n}: 1\r\n".encode() for n in range(20)])
        took = time.monotonic() - start
    assert answer is not None and (answer.status, answer.json()) == (408, TIMED_OUT)
    assert 0.9 < took < 2.5


def test_a_connection_that_sends_nothing_is_closed_after_the_header_timeout(sqlite_template):
    with _server(sqlite_template, "--header-timeout", "1") as server, connect(server.port) as sock:
        took = closed_within(sock, 5)
    assert took is not None and 0.9 < took < 2.5


def test_an_idle_keep_alive_connection_is_closed_after_the_keep_alive_timeout(sqlite_template):
    with _server(sqlite_template, "--keep-alive-timeout", "1", "--header-timeout", "30") as server, \
            connect(server.port) as sock:
        sock.sendall(GET)
        assert read_answer(sock).status == 200
        took = closed_within(sock, 5)
    assert took is not None and 0.9 < took < 2.5


def test_a_body_that_trickles_is_cut_off_after_the_body_timeout(sqlite_template):
    body = b'{"title": "Slow", "color": "#123456"}'
    head = (f"POST {TAGS} HTTP/1.1\r\nHost: x\r\nAuthorization: {AUTH}\r\nAccept: {V2}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode()
    with _server(sqlite_template, "--body-timeout", "1") as server, connect(server.port) as sock:
        start = time.monotonic()
        sock.sendall(head)
        answer = _trickle(sock, [bytes([byte]) for byte in body[:-1]])  # a byte every 0.25 s: 9 s in all
        took = time.monotonic() - start
    assert answer is not None and (answer.status, answer.json()) == (408, TIMED_OUT)
    assert 0.9 < took < 2.5


def test_connections_over_the_cap_are_closed_at_once_and_those_within_still_serve(sqlite_template):
    with _server(sqlite_template, "--max-connections", "20", header_timeout="30") as server:
        held = [connect(server.port) for _ in range(20)]
        try:
            time.sleep(0.5)  # all accepted
            extra = [connect(server.port) for _ in range(5)]
            closed = [closed_within(sock, 2) for sock in extra]
            for sock in extra:
                sock.close()
            held[0].sendall(GET)
            answer = read_answer(held[0])
        finally:
            for sock in held:
                sock.close()
        assert None not in closed, closed
        assert max(closed) < 1.0
        assert answer is not None and answer.status == 200


def test_a_flood_of_connections_leaves_the_server_with_at_most_the_cap_open(sqlite_template):
    with _server(sqlite_template, max_connections="20", header_timeout="30") as server:
        base = open_fds(server.pid)
        socks, most = [], 0
        try:
            for _ in range(10):
                socks += [connect(server.port) for _ in range(30)]
                time.sleep(0.1)
                most = max(most, open_fds(server.pid) - base)
        finally:
            for sock in socks:
                sock.close()
        # 300 connections opened and kept open by the client; the server holds at most its cap.
        assert most <= 20 + 2, most


def test_a_client_pipelining_requests_without_reading_answers_is_cut_off_before_they_pile_up(sqlite_template):
    """100,000 requests in one burst (16 MB), no answer read: the server must not queue them all."""
    with _server(sqlite_template, header_timeout="30") as server, connect(server.port) as sock:
        before = rss_mib(server.pid)
        burst = b"GET /openapi.json HTTP/1.1\r\nHost: x\r\n\r\n" * 100_000
        peak, sent = before, 0
        sock.setblocking(False)
        deadline = time.monotonic() + 10
        while sent < len(burst) and time.monotonic() < deadline:
            try:
                sent += sock.send(burst[sent:sent + (1 << 20)])
            except BlockingIOError:
                time.sleep(0.01)
            except OSError:
                break
            peak = max(peak, rss_mib(server.pid))
        for _ in range(20):
            time.sleep(0.05)
            peak = max(peak, rss_mib(server.pid))
        closed = closed_within(sock, 10)
    assert peak < before + 8, f"RSS {before:.0f} -> {peak:.0f} MiB"
    assert closed is not None, "the server kept the connection"


def test_a_client_that_reads_none_of_its_answers_is_cut_off_after_the_send_timeout(sqlite_template):
    """Four pipelined answers of 1.9 MB, never read: more than the kernel's buffers take, so
    the server's own buffer fills and its sending waits on the client."""
    with _server(sqlite_template, "--send-timeout", "1", "--keep-alive-timeout", "30") as server:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # a small window, never read
        try:
            sock.connect(("127.0.0.1", server.port))
            client_port = sock.getsockname()[1]
            sock.sendall(b"GET /docs/static/swagger-ui-bundle.js.map HTTP/1.1\r\nHost: x\r\n\r\n" * 4)
            time.sleep(0.5)
            assert server_side_open(server.port, client_port)  # the answers are waiting for the client
            deadline = time.monotonic() + 5
            while server_side_open(server.port, client_port) and time.monotonic() < deadline:
                time.sleep(0.05)
            assert not server_side_open(server.port, client_port), "the server still holds the connection"
        finally:
            sock.close()


def test_a_flood_of_malformed_and_upgrade_requests_writes_a_few_log_lines_not_one_each(sqlite_template):
    with _server(sqlite_template) as server:
        for _ in range(100):
            for request in (b"NOT HTTP AT ALL\r\n\r\n",
                            b"GET / HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n"):
                with connect(server.port) as sock:
                    sock.sendall(request)
                    closed_within(sock, 0.2)
        time.sleep(0.3)
        log = server.log()
    lines = [line for line in log.splitlines() if "Invalid HTTP request" in line or "upgrade" in line.lower()
             or "WebSocket" in line]
    assert 0 < len(lines) <= 6, log[-2000:]


def test_connections_closed_over_the_cap_are_logged_once_per_interval_not_once_each(sqlite_template):
    with _server(sqlite_template, "--max-connections", "5", header_timeout="30") as server:
        held = [connect(server.port) for _ in range(5)]
        try:
            time.sleep(0.3)
            for _ in range(100):
                with connect(server.port) as sock:
                    closed_within(sock, 1)
        finally:
            for sock in held:
                sock.close()
        time.sleep(0.3)
        log = server.log()
    lines = [line for line in log.splitlines() if "closed at once" in line]
    assert 1 <= len(lines) <= 2, log[-2000:]
