"""No path makes the edge router fail (behaviour 9.4): odd request targets, sent byte for byte
to a real server process, are each answered with a JSON error envelope, never a 500."""

from __future__ import annotations

import json
import socket
from typing import Iterator

import pytest

from tests.conftest import AUTH, NOW, V2, error
from tests.live_server import LiveServer

HUGE = "7" * 5000  # past Python's 4,300-digit limit of int()
TAGS = "/api/v2/locations/101/tags"

ODD_PATHS = [
    "/" + HUGE, "/api/" + HUGE, "/api/v2/" + HUGE, f"/api/v2/locations/{HUGE}", f"/api/v2/locations/{HUGE}/tags",
    f"/api/v2/companies/{HUGE}/activities/{HUGE}", f"/api/v1/activity/{HUGE}/{HUGE}", f"{TAGS}/{HUGE}/",
    f"{TAGS}/{'9' * 19}", f"{TAGS}/{'9' * 20}", f"{TAGS}/{'9' * 21}", f"{TAGS}/{'0' * 30}1",
    "/api/v2/locations/%D9%A1%D9%A0%D9%A1/tags",  # Arabic-Indic digits: isdigit(), but no id
    "/api/v2/locations/%EF%BC%91%EF%BC%90%EF%BC%91/tags",  # full-width digits
    "/api/v2/locations/%C2%B2/tags",  # a superscript two
    "/api/v2/locations/-1/tags", "/api/v2/locations/1e3/tags", "/api/v2/locations/0x65/tags",
    "/api/v2/locations/%20101/tags", "/api/v2/locations/101%00/tags", "/api/v2/locations/101/tags/%2F",
    "/%", "/%zz", "/%00", "/%ff%fe", "/api/%", "/api/v2/locations/%/tags", "/api/v2/locations/101/tags%",
    "//", "///////", "/api//v2", "/api/v2/locations//tags", "/api/v2/locations/101//tags", TAGS + "////",
    "/api/v2/%E2%93%9Bocations/101/tags", "/" + "%E2%80%AE" * 50, "/" + "a/" * 20_000,
    TAGS + "/" + "1/" * 5000, "/api/v2/locations/101/" + "x" * 60_000,
    "/docs/static/..%2F..%2F..%2Fetc%2Fpasswd", "/openapi.json/" + HUGE,
]


def send(port: int, method: str, target: str) -> tuple[int, dict[str, str], bytes]:
    """One request with the target exactly as given; the status, headers and body."""
    request = (f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: {AUTH}\r\nAccept: {V2}\r\n"
               "Content-Length: 0\r\nConnection: close\r\n\r\n").encode("latin-1")
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(request)
        raw = b""
        while chunk := sock.recv(65536):
            raw += chunk
    head, _, body = raw.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines[1:])
    return int(lines[0].split()[1]), {k.lower(): v for k, v in headers.items()}, body


@pytest.fixture
def server(database_url: str) -> Iterator[LiveServer]:
    with LiveServer(database_url, frozen_time=NOW) as live:
        yield live


def test_an_over_long_numeric_id_is_404_like_any_unknown_id(server):
    for path in (f"{TAGS}/{HUGE}", f"{TAGS}/{'9' * 21}", f"/api/v2/locations/101/events/{HUGE}",
                 f"/api/v2/companies/101/activities/{HUGE}/", f"/api/v2/locations/{HUGE}/tags"):
        status, headers, body = send(server.port, "GET", path)
        assert (status, json.loads(body)) == (404, error("Not found")), path


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_every_odd_path_is_answered_with_json_never_a_500(server, method):
    for target in ODD_PATHS:
        status, headers, body = send(server.port, method, target)
        assert status < 500, (target[:80], status, body[:200])
        if status == 400 and headers.get("content-type") != "application/json":
            continue  # refused by the HTTP parser before any application code: not ours to shape
        assert headers["content-type"] == "application/json", (target[:80], headers)
        answer = json.loads(body)
        if status < 400:  # `/tags/%2F` is `/tags/`, a trailing slash: the list itself
            assert (method, target) in {("GET", TAGS + "/%2F"), ("GET", TAGS + "////")}, target[:80]
            continue
        assert answer["success"] is False and answer["data"] is None, (target[:80], answer)
        assert isinstance(answer["meta"]["message"], str), (target[:80], answer)
    assert "Traceback" not in server.log()
