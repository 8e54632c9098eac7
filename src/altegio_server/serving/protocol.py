"""uvicorn's httptools protocol with limits on what one connection may hold or take.

Stock uvicorn with httptools accepts a header of any size (httptools joins its pieces by
concatenation, so a long one also costs quadratic time on the event loop), waits for a
request's headers and body for ever, and accepts connections until file descriptors run out.
This subclass adds, per connection (behaviour 8):

- a 431 for a header line, a request head or a header count over its limit, found before the
  parser holds more than one read beyond the limit (behaviour 8.1);
- a deadline for a request's headers and one for its body, answered 408, and one for a
  client that takes none of its answer (behaviour 8.2);
- a cap on open connections per process: more are closed at once (behaviour 8.3);
- a cap on requests read ahead of their answers on one connection (behaviour 8.4).

It overrides uvicorn's parser callbacks and reads a few of its attributes, so uvicorn is
pinned to a range in pyproject.toml and tests/hardening/test_hostile_traffic.py breaks when
those internals change.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httptools
import orjson
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol, RequestResponseCycle

from altegio_server.api.envelopes import error_body
from altegio_server.config import Settings

log = logging.getLogger("altegio_server.serving")

# After refusing a request, the rest of what the client sends is read and dropped for a
# moment, so that it can read the answer instead of a reset; then the connection closes.
LINGER_SECONDS = 1.0
LINGER_BYTES = 1024 * 1024
# Request line overhead not passed to on_url: method, spaces, `HTTP/1.1`, CRLF.
REQUEST_LINE_OVERHEAD = 20
# Requests read ahead of their turn on one connection (HTTP/1.1 pipelining); a client that
# sends more without reading its answers is cut off (behaviour 8.4).
MAX_PIPELINE = 32


@dataclass(frozen=True)
class Limits:
    max_header_bytes: int
    max_head_bytes: int
    max_header_count: int
    header_timeout: float
    body_timeout: float
    send_timeout: float
    max_connections: int

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(settings.max_header_bytes, settings.max_head_bytes, settings.max_header_count,
                   settings.header_timeout, settings.body_timeout, settings.send_timeout, settings.max_connections)


_limits: Limits | None = None


def limits() -> Limits:
    """This process's limits, read once from the environment (`serve` puts them there)."""
    global _limits
    if _limits is None:
        _limits = Limits.from_settings(Settings.from_env())
    return _limits


def _answer(status: int, reason: str, message: str) -> bytes:
    body = orjson.dumps(error_body(message))
    return b"".join([
        f"HTTP/1.1 {status} {reason}\r\n".encode(),
        b"content-type: application/json\r\n",
        b"content-length: %d\r\n" % len(body),
        b"connection: close\r\n\r\n",
        body,
    ])


TOO_LARGE = _answer(431, "Request Header Fields Too Large", "Request Header Fields Too Large")
TIMED_OUT = _answer(408, "Request Timeout", "Request Timeout")


class HeadTooLarge(Exception):
    """Raised inside a parser callback to stop parsing a head over its limits."""


class GuardedHttpToolsProtocol(HttpToolsProtocol):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limits = limits()
        self._max_header_count = self.limits.max_header_count
        self._head_open = True  # the parser is between messages or inside a head
        self._partial = False  # a head has begun and its headers are not all in
        self._began = False  # a head began during the current feed
        self._line = 0  # bytes of the head's last, unfinished line
        self._head_size = 0  # bytes of the request line and the headers checked so far
        self._checked = 0  # headers checked so far
        self._fed = 0  # bytes fed to the parser since the last complete head
        self._read = 0  # bytes of the current read
        self._fed_body = 0  # body bytes seen during the current feed
        self._refused = False
        self._linger = 0  # bytes still to drop before closing, once refused
        self._head_timer: asyncio.TimerHandle | None = None
        self._body_timer: asyncio.TimerHandle | None = None
        self._send_timer: asyncio.TimerHandle | None = None
        self._running: RequestResponseCycle | None = None  # the request being answered

    # Connections

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        over = len(self.connections) >= self.limits.max_connections
        super().connection_made(transport)
        if over:  # closed at once, so the descriptor is free again (behaviour 8.3)
            log.warning("a connection was closed at once: this process already holds %d (ALTEGIO_MAX_CONNECTIONS)",
                        self.limits.max_connections)  # at most one line per interval (behaviour 8.3)
            self._refused = True
            transport.abort()
            return
        # A new connection must deliver its first request's headers in time (behaviour 8.2).
        self._head_timer = self.loop.call_later(self.limits.header_timeout, self._head_timed_out)

    def connection_lost(self, exc: Exception | None) -> None:
        self._cancel_timers()
        super().connection_lost(exc)

    def _cancel_timers(self) -> None:
        for timer in (self._head_timer, self._body_timer, self._send_timer):
            if timer is not None:
                timer.cancel()
        self._head_timer = self._body_timer = self._send_timer = None

    # Bytes in

    def data_received(self, data: bytes) -> None:
        if self._refused:
            self._drop(data)
            return
        if self._head_open:
            # What the parser would hold of the head's last line after this read (behaviour 8.1).
            cut = data.rfind(b"\n") + 1
            tail = len(data) - cut if cut else self._line + len(data)
            if tail > self.limits.max_header_bytes:
                if not cut:
                    self._refuse(TOO_LARGE)
                    return
                # The head may end before that tail, which is then body: parse up to the last
                # line end first, and refuse only if the tail still belongs to a head.
                self._feed(data[:cut])
                if self._refused or self.transport.is_closing():
                    return
                if self._head_open:
                    self._refuse(TOO_LARGE)
                    return
                data = data[cut:]
        self._feed(data)

    def _feed(self, data: bytes) -> None:
        self._read = len(data)
        self._fed += self._read
        self._began, self._fed_body = False, 0
        # uvicorn's data_received, written out here to save a call per read.
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserError:
            if not self._refused:  # a refusal has answered already
                msg = "Invalid HTTP request received."
                self.logger.warning(msg)
                self.send_400_response(msg)
            return
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return
        if self._refused:  # (a transport closed on a 400 is fine: connection_lost cancels timers)
            return
        if self._head_open:
            if not self._partial:
                self._line = 0
                return
            # A head that spans reads: what has arrived of it must be within the limits already.
            if self._head_over_limits():
                self._refuse(TOO_LARGE)
                return
            cut = data.rfind(b"\n") + 1
            if self._began:  # an upper bound: the head began somewhere after the body in this read
                line = min(len(data) - cut, len(data) - self._fed_body)
            else:
                line = len(data) - cut if cut else self._line + len(data)
            self._line = line
            if line > self.limits.max_header_bytes:
                self._refuse(TOO_LARGE)
            elif self._head_timer is None:
                self._head_timer = self.loop.call_later(self.limits.header_timeout, self._head_timed_out)
        elif self._body_timer is None:
            self._body_timer = self.loop.call_later(self.limits.body_timeout, self._body_timed_out)

    def _drop(self, data: bytes) -> None:
        self._linger -= len(data)
        if self._linger <= 0 and not self.transport.is_closing():
            self.transport.close()

    def _refuse(self, answer: bytes | None) -> None:
        """Answer (or not) and close, reading and dropping a little more so the answer can be read."""
        self._refused = True
        self._cancel_timers()
        self._unset_keepalive_if_required()
        if self.cycle is not None and not self.cycle.response_complete:
            # The application stops waiting for a body and its answer, if any, is not sent.
            if self.cycle.response_started:
                answer = None
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        transport = self.transport
        if transport.is_closing():
            return
        if answer is None:
            transport.close()
            return
        transport.write(answer)
        self.flow.resume_reading()
        self._linger = LINGER_BYTES
        self.loop.call_later(LINGER_SECONDS, transport.close)

    # Parser callbacks

    def on_message_begin(self) -> None:
        super().on_message_begin()
        self._partial = self._began = True
        self._head_size, self._checked = REQUEST_LINE_OVERHEAD, 0

    def on_header(self, name: bytes, value: bytes) -> None:
        # uvicorn's own, plus the count: the list of headers never grows past the limit, even
        # within one read (sizes are checked once the head is complete, or at the end of a read).
        if len(self.headers) >= self._max_header_count:
            self._refuse(TOO_LARGE)
            raise HeadTooLarge()
        name = name.lower()
        if name == b"expect" and value.lower() == b"100-continue":
            self.expect_100_continue = True
        self.headers.append((name, value))

    def _head_over_limits(self) -> bool:
        """Whether the head parsed so far is over a limit (headers checked before are not
        walked again: a head trickling in costs each header once)."""
        limits = self.limits
        headers = self.headers
        if len(self.url) > limits.max_header_bytes or len(headers) > limits.max_header_count:
            return True
        size = self._head_size
        for index in range(self._checked, len(headers)):
            name, value = headers[index]
            line = len(name) + len(value) + 4  # `: ` and CRLF
            if line > limits.max_header_bytes:
                return True
            size += line
        self._head_size, self._checked = size, len(headers)
        return size + len(self.url) > limits.max_head_bytes

    def on_headers_complete(self) -> None:
        # Fewer bytes than one line's limit since the last head: no line, and not the head, can
        # be over its limit (the usual case: one comparison).
        limits = self.limits
        if self._fed > limits.max_header_bytes and self._head_over_limits():
            self._refuse(TOO_LARGE)
            raise HeadTooLarge()
        self._fed = self._read  # an upper bound for heads that follow in the same read
        self._head_open = self._partial = False
        self._line = 0
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None
        super().on_headers_complete()
        if len(self.pipeline) > MAX_PIPELINE:
            # The answer in progress and those queued will not be sent (behaviour 8.4).
            for cycle in (self._running, *(queued for queued, _ in self.pipeline)):
                if cycle is not None:
                    cycle.disconnected = True
                    cycle.message_event.set()
            self.pipeline.clear()
            self._refuse(None)
            raise HeadTooLarge()

    def _start_asgi_task(self, cycle: RequestResponseCycle, app: Any) -> None:
        self._running = cycle
        super()._start_asgi_task(cycle, app)

    def on_body(self, body: bytes) -> None:
        self._fed_body += len(body)
        super().on_body(body)

    def on_message_complete(self) -> None:
        self._head_open = True
        if self._body_timer is not None:
            self._body_timer.cancel()
            self._body_timer = None
        # uvicorn's on_message_complete, written out here to save a call per request.
        if (self.parser.should_upgrade() and self._should_upgrade()) or self.cycle.response_complete:
            return
        self.cycle.more_body = False
        self.cycle.message_event.set()

    # Bytes out: a client that takes none of its answer for too long is cut off (behaviour 8.2)

    def pause_writing(self) -> None:
        super().pause_writing()
        if self._send_timer is None:
            self._send_timer = self.loop.call_later(self.limits.send_timeout, self._send_timed_out)

    def resume_writing(self) -> None:
        super().resume_writing()
        if self._send_timer is not None:
            self._send_timer.cancel()
            self._send_timer = None

    def _send_timed_out(self) -> None:
        self._send_timer = None
        self._refused = True
        self._cancel_timers()
        if self.cycle is not None:
            self.cycle.disconnected = True
            self.cycle.message_event.set()
        self.flow.resume_writing()  # the application's wait to send ends; it sends nothing more
        self.transport.abort()  # what is waiting to be sent is dropped

    # Deadlines (behaviour 8.2)

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if not self.transport.is_closing():
            self._refuse(TIMED_OUT if self._partial else None)

    def _body_timed_out(self) -> None:
        self._body_timer = None
        if not self.transport.is_closing():
            self._refuse(TIMED_OUT)
