"""The baseline: the least an ASGI app can do, served the way altegio-server is served.

It answers every request with one constant JSON body the size of an event resource, so the
ratio "server / baseline" says how much of the time goes into the server's own work (routing,
authentication, SQL, presenting) rather than into HTTP and the ASGI machinery.
"""

from __future__ import annotations

import orjson

BODY = orjson.dumps({"data": {"type": "activity", "id": "1234567", "attributes": {
    "company_id": 101, "master_id": 1001, "staff_id": 1001, "service_id": 1021, "name": "Morning yoga",
    "timestamp": 1797840000, "date": "2026-12-21T07:00:00+0100", "datetime": "2026-12-21 07:00:00",
    "length": 3600, "capacity": 20, "clients_count": 3, "color": "#4caf50", "font_color": "#ffffff",
    "instructions": "", "stream_link": "", "notified": False, "comment": None, "description": None,
    "schedule_id": None, "schedule_till": None, "schedule_event_modified": None, "deleted": False,
    "created_at": "2026-11-21T16:45:44+0100", "updated_at": "2026-11-21T16:45:44+0100"}}, "meta": []})
HEADERS = [(b"content-type", b"application/json"), (b"content-length", str(len(BODY)).encode())]


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": HEADERS})
    await send({"type": "http.response.body", "body": BODY})
