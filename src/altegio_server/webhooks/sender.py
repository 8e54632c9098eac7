"""One HTTP POST of a notification, on asyncio streams (behaviour 20.4).

The server needs no HTTP client library for this: it sends one request per connection
(`Connection: close`), reads the status line, and drops the rest of the answer unread.
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
from urllib.parse import urlsplit

_STATUS_LINE_LIMIT = 1024


class SendFailed(Exception):
    """No HTTP status came back: the connection failed, timed out, or the answer was not HTTP."""


def _request_head(url: str, length: int, headers: dict[str, str]) -> tuple[str, int, bool, bytes]:
    parts = urlsplit(url)
    https = parts.scheme == "https"
    host = parts.hostname or ""
    port = parts.port or (443 if https else 80)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    authority = host if parts.port is None else f"{host}:{parts.port}"
    lines = [f"POST {target} HTTP/1.1", f"Host: {authority}", "Content-Type: application/json",
             f"Content-Length: {length}", "Connection: close", "User-Agent: altegio-server-webhooks",
             *(f"{name}: {value}" for name, value in headers.items())]
    return host, port, https, ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


async def _exchange(url: str, body: bytes, headers: dict[str, str]) -> int:
    host, port, https, head = _request_head(url, len(body), headers)
    reader, writer = await asyncio.open_connection(host, port, ssl=ssl.create_default_context() if https else None,
                                                   limit=_STATUS_LINE_LIMIT)
    try:
        writer.write(head + body)
        await writer.drain()
        line = await reader.readline()
    finally:
        writer.close()
        with contextlib.suppress(Exception):
            await writer.wait_closed()
    parts = line.split(b" ", 2)
    if len(parts) < 2 or not parts[0].startswith(b"HTTP/") or not parts[1].isdigit() or len(parts[1]) != 3:
        raise SendFailed("the answer was not HTTP")
    return int(parts[1])


async def post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> int:
    """POST the JSON body; the answer's status code, or SendFailed saying why there is none."""
    try:
        return await asyncio.wait_for(_exchange(url, body, headers), timeout)
    except TimeoutError:
        raise SendFailed(f"no answer within {timeout:g} s") from None
    except (OSError, ValueError, asyncio.LimitOverrunError, asyncio.IncompleteReadError) as exc:
        raise SendFailed(f"{type(exc).__name__}: {exc}"[:300]) from None
