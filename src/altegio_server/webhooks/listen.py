"""`altegio-server webhooks listen`: a small local receiver that prints each notification
(behaviour 20.7), checking its signature when given the secret."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import Awaitable, Callable, TextIO

from altegio_server.webhooks.delivery import DELIVERY_HEADER, SIGNATURE_HEADER
from altegio_server.webhooks.rules import signature_matches

MAX_BODY = 1024 * 1024
MAX_HEAD_LINES = 100
READ_TIMEOUT = 10.0


async def _read_request(reader: asyncio.StreamReader) -> tuple[str, dict[str, str], bytes]:
    """(request line, headers by lower-case name, body), bounded in lines, bytes and time."""
    request_line = (await reader.readline()).decode("latin-1").strip()
    headers: dict[str, str] = {}
    for _ in range(MAX_HEAD_LINES):
        line = (await reader.readline()).decode("latin-1").strip()
        if not line:
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0)
    if not 0 <= length <= MAX_BODY:
        raise ValueError("body too large")
    return request_line, headers, await reader.readexactly(length)


def verdict(secret: str | None, headers: dict[str, str], body: bytes) -> str:
    """`ok`, `BAD` or `missing` for a signature checked with the secret; `unchecked` without one."""
    if secret is None:
        return "unchecked"
    header = headers.get(SIGNATURE_HEADER.lower())
    if header is None:
        return "missing"
    return "ok" if signature_matches(secret, header, body) else "BAD"


def handler(secret: str | None, out: TextIO) -> Callable[[asyncio.StreamReader, asyncio.StreamWriter],
                                                          Awaitable[None]]:
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        status = b"200 OK"
        try:
            request_line, headers, body = await asyncio.wait_for(_read_request(reader), READ_TIMEOUT)
            checked = verdict(secret, headers, body)
            if checked in ("BAD", "missing"):
                status = b"400 Bad Request"
            delivery = headers.get(DELIVERY_HEADER.lower(), "-")
            print(f"{request_line} delivery={delivery} signature={checked} {body.decode('utf-8', 'replace')}",
                  file=out, flush=True)
        except (TimeoutError, ValueError, OSError, asyncio.IncompleteReadError):
            status = b"400 Bad Request"
        writer.write(b"HTTP/1.1 " + status + b"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        with contextlib.suppress(OSError):
            await writer.drain()
        writer.close()

    return handle


async def listen(host: str, port: int, secret: str | None, out: TextIO = sys.stdout) -> None:
    """Serve until cancelled: print one line per request, answer 200 (400 for a bad signature)."""
    server = await asyncio.start_server(handler(secret, out), host, port)
    print(f"listening on http://{host}:{port}/ (any path)", file=out, flush=True)
    async with server:
        await server.serve_forever()
