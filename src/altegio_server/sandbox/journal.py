"""The request journal at run time: what each API request leaves in it, and how it gets to the
database (behaviour 19.4).

Recording costs the request a few microseconds: its body is kept as it is read (at most the
configured bytes), and once answered, an entry (redacted, cut) joins a buffer in this process.
A background task writes the buffer every FLUSH_SECONDS (sooner past FLUSH_ENTRIES) in one
transaction, and trims the table to its bound in the same one; so do a read of the journal
through this process and the server's shutdown. The buffer is bounded too: past
PENDING_BYTES or PENDING_ENTRIES an entry is dropped (and the drop logged), never the server's
memory. A batch the database refuses is dropped, logged, the same way.
"""

from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Awaitable, Callable

from starlette.types import Message, Receive, Scope

from altegio_server.api.envelopes import Reply, error_response
from altegio_server.api.routing import CALLER
from altegio_server.api.schema import INT64_MAX
from altegio_server.auth.service import Principal
from altegio_server.config import Settings
from altegio_server.deps import Deps
from altegio_server.sandbox import journal_repository as repo
from altegio_server.sandbox.redaction import kept_body, kept_query

log = logging.getLogger("altegio_server.sandbox")

Call = Callable[[Receive], Awaitable[Reply]]

MAX_BODY_BYTES = 64 * 1024  # the most kept of one body, whatever the setting says
MAX_QUERY_CHARS = 2048
FLUSH_SECONDS = 0.05
FLUSH_ENTRIES = 256
PENDING_ENTRIES = 4096
PENDING_BYTES = 8 * 1024 * 1024
ENTRY_OVERHEAD = 256  # bytes an entry takes besides its texts, roughly
_FAILED = error_response(500, "Internal server error").body  # what the front door answers then


class Journal:
    def __init__(self, deps: Deps, settings: Settings) -> None:
        self.deps = deps
        self.max_entries = max(1, settings.journal_entries)
        self.body_limit = max(0, min(settings.journal_body_bytes, MAX_BODY_BYTES))
        self.pending: list[tuple[Any, ...]] = []
        self.pending_bytes = 0
        self.dropped = 0
        self._locations: dict[str, int] = {}  # path template -> index of its location id's segment, or -1
        self._lock = asyncio.Lock()
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._stopping = False

    def recording(self, scope: Scope, template: str, call: Call) -> Call:
        """`call`, with its request and answer recorded."""
        async def recorded(receive: Receive) -> Reply:
            body = _Body(receive, self.body_limit)
            started = time.perf_counter()
            try:
                reply = await call(body.receive)
            except Exception:
                self._add(scope, template, body, 500, _FAILED, time.perf_counter() - started)
                raise
            self._add(scope, template, body, reply.status_code, reply.body, time.perf_counter() - started)
            return reply

        return recorded

    def _add(self, scope: Scope, template: str, body: _Body, status: int, answer: bytes, seconds: float) -> None:
        request_text, request_cut = kept_body(body.kept, self.body_limit, body.size)
        response_text, response_cut = kept_body(answer, self.body_limit)
        query = kept_query(scope["query_string"], MAX_QUERY_CHARS)
        size = ENTRY_OVERHEAD + len(scope["path"]) + len(query) + len(request_text or "") + len(response_text or "")
        if len(self.pending) >= PENDING_ENTRIES or self.pending_bytes + size > PENDING_BYTES:
            self._drop(1, "its buffer is full")
            return
        partner_id, user_id, user_token_id = _tokens(scope.get(CALLER))
        self.pending.append((
            self.deps.clock.timestamp(), scope["method"], scope["path"], query, self._location(scope, template),
            status, int(seconds * 1e6), partner_id, user_id, user_token_id,
            request_text, body.size, request_cut, response_text, len(answer), response_cut))
        self.pending_bytes += size
        if len(self.pending) >= FLUSH_ENTRIES:
            self._wake.set()

    def _location(self, scope: Scope, template: str) -> int | None:
        index = self._locations.get(template)
        if index is None:
            parts = template.split("/")
            index = self._locations[template] = parts.index("{location_id}") if "{location_id}" in parts else -1
        if index < 0:
            return None
        value = int(scope["path"].split("/")[index])
        return value if value <= INT64_MAX else None

    async def flush(self) -> None:
        """Write what this process holds; when it returns, every entry recorded before is in the table."""
        async with self._lock:
            batch, self.pending, self.pending_bytes = self.pending, [], 0
            if not batch:
                return
            try:
                async with self.deps.db.transaction(write=True) as conn:
                    await repo.insert(conn, batch)
                    await repo.trim(conn, self.max_entries)
            except Exception as exc:
                self._drop(len(batch), f"the database refused them ({type(exc).__name__})")

    def _drop(self, count: int, why: str) -> None:
        """Count entries lost; logged at the first and then at each doubling, so the log stays bounded."""
        before, self.dropped = self.dropped, self.dropped + count
        if before == 0 or before.bit_length() != self.dropped.bit_length():
            log.warning("the request journal dropped %d entries, %s (%d so far in this process)", count, why,
                        self.dropped)

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run())

    async def stop(self) -> None:
        """Stop the background task (letting a write under way finish, never cancelling it) and
        write what is left."""
        if self._task is not None:
            self._stopping = True
            self._wake.set()
            await self._task
            self._task = None
        await self.flush()

    async def _run(self) -> None:
        while not self._stopping:
            try:
                await asyncio.wait_for(self._wake.wait(), FLUSH_SECONDS)
            except TimeoutError:
                pass
            self._wake.clear()
            if self.pending:
                await self.flush()


class _Body:
    """A request's `receive`, keeping the first `limit` bytes of the body as they pass."""

    __slots__ = ("_receive", "limit", "kept", "size")

    def __init__(self, receive: Receive, limit: int) -> None:
        self._receive, self.limit = receive, limit
        self.kept = b""
        self.size = 0

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            chunk = message.get("body", b"")
            if len(self.kept) < self.limit:
                self.kept += chunk[:self.limit - len(self.kept)]
            self.size += len(chunk)
        return message


def _tokens(caller: Any) -> tuple[int | None, int | None, int | None]:
    """(partner token id, user id, user token id) of the tokens a request was accepted with."""
    if isinstance(caller, Principal):
        return caller.partner_token_id, caller.user_id, caller.user_token_id
    if isinstance(caller, int):
        return caller, None, None
    return None, None, None
