"""A server's sandbox at run time: its token, its clock, and what every API request goes
through while sandbox mode is on (behaviour 19.1).

Before each API request the shared state is read (one small query), so that a clock set or
a control changed through one server process holds for the next request of every other.
With sandbox mode off none of this exists: the server builds no Sandbox at all.
"""

from __future__ import annotations

import hmac
from typing import Awaitable, Callable

from starlette.types import Receive, Scope

from altegio_server.api.envelopes import Reply
from altegio_server.api.errors import render_domain_error
from altegio_server.deps import Deps
from altegio_server.errors import DomainError
from altegio_server.sandbox import state as repo
from altegio_server.sandbox.clock import SandboxClock
from altegio_server.sandbox.gate import Gate
from altegio_server.sandbox.state import SandboxState

Call = Callable[[Receive], Awaitable[Reply]]


class Sandbox:
    def __init__(self, deps: Deps, clock: SandboxClock, token: str | None = None, wait: float | None = None,
                 max_snapshots: int = 20) -> None:
        self.deps, self.clock = deps, clock
        self.gate = Gate(wait)  # between this process's requests and a restore (behaviour 19.3)
        self.max_snapshots = max_snapshots
        self.configured_token = token  # ALTEGIO_SANDBOX_TOKEN; else the database's
        self.token: str | None = token
        self.state = SandboxState()

    async def start(self) -> None:
        """Read the state, and the database's token unless one was configured (made if missing)."""
        if self.configured_token is None:
            async with self.deps.db.transaction(write=True) as conn:
                self.token = await repo.ensure_token(conn)
        await self.refresh()

    async def refresh(self) -> SandboxState:
        """The shared state as it is now; the clock follows it."""
        async with self.deps.db.transaction() as conn:
            found = await repo.read(conn)
        self.state = found
        self.clock.state = found.clock
        return found

    async def token_matches(self, given: str) -> bool:
        """Whether `given` is the sandbox token, compared in constant time.

        A token that does not match is checked once more against the database's, which
        `seed demo` may have made since this process started.
        """
        if self.token is not None and hmac.compare_digest(given.encode(), self.token.encode()):
            return True
        if self.configured_token is not None:
            return False
        async with self.deps.db.transaction() as conn:
            self.token = await repo.token(conn)
        return self.token is not None and hmac.compare_digest(given.encode(), self.token.encode())

    async def around(self, scope: Scope, receive: Receive, template: str, call: Call) -> Reply:
        """Run one API request (`template` is its operation's path) under the sandbox's controls."""
        try:
            await self.gate.enter()  # after a restore of this process, if one runs (behaviour 19.3)
        except DomainError as exc:  # it ran too long: 503, as the API would
            return render_domain_error(exc)
        try:
            try:
                await self.refresh()
            except DomainError as exc:  # the database did not answer in time: 503, as the API would
                return render_domain_error(exc)
            return await call(receive)
        finally:
            self.gate.leave()
