"""The baseline: the least an ASGI app can do, served the way altegio-server is served.

It answers every request with one constant JSON body the size of an event resource, so the
ratio "server / baseline" says how much of the time goes into the server's own work (routing,
authentication, SQL, presenting) rather than into HTTP and the ASGI machinery.
"""

from __future__ import annotations

import re
import time

import orjson

BODY = orjson.dumps({"data": {"type": "activity", "id": "1234567", "attributes": {
    "company_id": 101, "master_id": 1001, "staff_id": 1001, "service_id": 1021, "name": "Morning yoga",
    "timestamp": 1797840000, "date": "2026-12-21T07:00:00+0100", "datetime": "2026-12-21 07:00:00",
    "length": 3600, "capacity": 20, "clients_count": 3, "color": "#4caf50", "font_color": "#ffffff",
    "instructions": "", "stream_link": "", "notified": False, "comment": None, "description": None,
    "schedule_id": None, "schedule_till": None, "schedule_event_modified": None, "deleted": False,
    "created_at": "2026-11-21T16:45:44+0100", "updated_at": "2026-11-21T16:45:44+0100"}}, "meta": []})
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]

# The control: `/work?us=400&bytes=56000` spends that many microseconds of CPU and answers that
# many bytes, like a list of 100 events, so that its latency shows what queueing alone does
# to a server that costs as much per request.
_WORK = re.compile(rb"us=([0-9]+)&bytes=([0-9]+)")
_BODIES: dict[int, bytes] = {}


def _body(size: int) -> bytes:
    if size not in _BODIES:
        _BODIES[size] = b'{"data":"' + b"x" * max(size - 11, 0) + b'"}'
    return _BODIES[size]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    body, headers = BODY, HEADERS
    work = _WORK.search(scope["query_string"]) if scope["path"] == "/work" else None
    if work:
        until = time.perf_counter() + int(work.group(1)) / 1e6
        while time.perf_counter() < until:
            pass
        body = _body(int(work.group(2)))
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": body})
