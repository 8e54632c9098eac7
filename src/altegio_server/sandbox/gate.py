"""One process's gate between its API requests and a restore (behaviour 19.3).

Within a process a restore waits until the requests in flight have answered and holds new
ones until it is done, so that no request of the process reads part of the old state and part
of the new. Both waits are bounded: a wait that runs out is 503 (behaviour 11.1).
"""

from __future__ import annotations

import asyncio
from contextlib import asynccontextmanager
from typing import AsyncIterator

from altegio_server.db.base import ran_out


class Gate:
    def __init__(self, wait: float | None) -> None:
        self.wait = wait
        self.inside = 0  # requests in flight
        self._open: asyncio.Event | None = None  # made in the running loop, on first use
        self._idle: asyncio.Event | None = None
        self._closing: asyncio.Lock | None = None

    def _events(self) -> tuple[asyncio.Event, asyncio.Event]:
        if self._open is None or self._idle is None:
            self._open, self._idle = asyncio.Event(), asyncio.Event()
            self._open.set()
            self._idle.set()
        return self._open, self._idle

    async def enter(self) -> None:
        """A request comes in: at once while no restore runs; else after it, within the bound."""
        is_open, idle = self._events()
        if not is_open.is_set():
            try:
                async with asyncio.timeout(self.wait):
                    await is_open.wait()
            except TimeoutError:
                raise ran_out("a restore of the sandbox") from None
        self.inside += 1
        idle.clear()

    def leave(self) -> None:
        self.inside -= 1
        if self.inside == 0:
            self._events()[1].set()

    @asynccontextmanager
    async def closed(self) -> AsyncIterator[None]:
        """Hold new requests and wait for those in flight; for a restore."""
        if self._closing is None:
            self._closing = asyncio.Lock()
        is_open, idle = self._events()
        try:
            async with asyncio.timeout(self.wait):
                await self._closing.acquire()  # another restore of this process runs first
        except TimeoutError:
            raise ran_out("another restore of the sandbox") from None
        try:
            is_open.clear()
            try:
                async with asyncio.timeout(self.wait):
                    await idle.wait()
            except TimeoutError:
                raise ran_out("the requests in flight before a restore of the sandbox") from None
            yield
        finally:
            is_open.set()
            self._closing.release()
