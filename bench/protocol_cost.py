"""The per-request work of the connection limits, counted in instructions, which a busy
machine cannot blur: one protocol object is fed N keep-alive requests in-process (a
stand-in transport that takes the answer bytes, a minimal ASGI app), under valgrind:

    PYTHONHASHSEED=0 valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null \\
        python -m bench.protocol_cost {stock|guarded} N

The difference of "I refs" between N=3000 and N=0, divided by 3000, is the instructions
per request; stock minus guarded is the cost of the limits (BENCHMARKS.md).
"""

from __future__ import annotations

import asyncio
import sys

import uvloop
from uvicorn.config import Config
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol
from uvicorn.server import ServerState

from altegio_server.serving.protocol import GuardedHttpToolsProtocol

REQUEST = (b"GET /api/v2/locations/101/events/7 HTTP/1.1\r\nHost: 127.0.0.1:8000\r\n"
           b"Accept: application/vnd.api.v2+json\r\n"
           b"Authorization: Bearer demo-partner-token-5d3c1f0a, User demo-user-token-123456\r\n\r\n")


async def app(scope, receive, send):  # type: ignore[no-untyped-def]
    await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"2")]})
    await send({"type": "http.response.body", "body": b"{}"})


class Transport:
    """Takes what is written and forgets it."""

    def __init__(self) -> None:
        self.closing = False

    def write(self, data: bytes) -> None:
        pass

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def get_extra_info(self, name: str, default: object = None) -> object:
        return {"sockname": ("127.0.0.1", 8000), "peername": ("127.0.0.1", 50000)}.get(name, default)

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def feed(protocol_class: type, requests: int) -> None:
    config = Config(app=app, http=protocol_class, log_level="warning", access_log=False)
    config.load()
    protocol = protocol_class(config=config, server_state=ServerState(), app_state={})
    protocol.connection_made(Transport())
    for _ in range(requests):
        protocol.data_received(REQUEST)
        await asyncio.sleep(0)  # the answer's task runs
    protocol.connection_lost(None)


if __name__ == "__main__":
    kind = {"stock": HttpToolsProtocol, "guarded": GuardedHttpToolsProtocol}[sys.argv[1]]
    uvloop.install()
    asyncio.run(feed(kind, int(sys.argv[2])))
