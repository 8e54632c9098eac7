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
from altegio_server.clock import Clock
from altegio_server.config import Settings
from altegio_server.db import Database
from altegio_server.deps import Deps
from altegio_server.errors import DomainError
from altegio_server.sandbox import state as repo
from altegio_server.sandbox.clock import SandboxClock
from altegio_server.sandbox.faults import Faults
from altegio_server.sandbox.gate import Gate
from altegio_server.sandbox.journal import Journal
from altegio_server.sandbox.limits import RateLimiter
from altegio_server.sandbox.state import SandboxState

Call = Callable[[Receive], Awaitable[Reply]]


class Sandbox:
    def __init__(self, deps: Deps, clock: SandboxClock, token: str | None = None,
                 settings: Settings | None = None) -> None:
        settings = settings or Settings()
        self.deps, self.clock = deps, clock
        self.gate = Gate(settings.db_lock_timeout)  # between this process's requests and a restore (behaviour 19.3)
        self.max_snapshots = settings.sandbox_max_snapshots
        self.configured_token = token  # ALTEGIO_SANDBOX_TOKEN; else the database's
        self.token: str | None = token
        self.state = SandboxState()
        self.journal = Journal(deps, settings)  # behaviour 19.4
        self.limits = RateLimiter(deps.db)  # behaviour 19.5
        self.faults = Faults(deps.db)  # behaviour 19.6

    async def start(self) -> None:
        """Read the state, and the database's token unless one was configured (made if missing)."""
        if self.configured_token is None:
            async with self.deps.db.transaction(write=True) as conn:
                self.token = await repo.ensure_token(conn)
        await self.refresh()
        self.journal.start()

    async def stop(self) -> None:
        """Write what is still held in this process (the journal's entries)."""
        await self.journal.stop()

    async def refresh(self) -> SandboxState:
        """The shared state as it is now; the clock follows it. One statement on a row no restore
        touches, so no transaction of its own even in sandbox mode."""
        async with self.deps.db.transaction(alone=True) as conn:
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

    async def enter(self) -> SandboxState:
        """A request of this process begins: after a restore of this process, if one runs
        (behaviour 19.3), with the shared state as it is now. Unavailable (503) when either wait
        runs out; otherwise the caller leaves through `self.gate.leave()`."""
        await self.gate.enter()
        try:
            return await self.refresh()
        except BaseException:
            self.gate.leave()
            raise

    async def around(self, scope: Scope, receive: Receive, template: str, call: Call) -> Reply:
        """Run one API request (`template` is its operation's path) under the sandbox's controls."""
        try:
            state = await self.enter()
        except DomainError as exc:  # a wait ran out: 503, as the API would
            return render_domain_error(exc)
        try:
            return await self._controlled(scope, receive, template, call, state)
        finally:
            self.gate.leave()

    async def _controlled(self, scope: Scope, receive: Receive, template: str, call: Call,
                          state: SandboxState) -> Reply:
        async def controlled(rcv: Receive) -> Reply:
            refusal = await self.limits.check(scope, state.rate_limit)
            if refusal is not None:  # over the rate limit: the request does not run
                return refusal
            return await self.faults.around(scope, rcv, template, state.faults_version, call)

        # The journal records what the client got, a refusal or an injected fault included (behaviour 19.6.1).
        if state.journal_enabled:
            return await self.journal.recording(scope, template, controlled)(receive)  # behaviour 19.4
        return await controlled(receive)


async def deps_on_sandbox_clock(db: Database, base: Clock) -> Deps:
    """Deps for work outside a server (commands, test set-up) whose clock tells the database's
    sandbox time over `base`, as it is now, so dates they write agree with a sandbox server's."""
    clock = SandboxClock(base)
    async with db.transaction() as conn:
        clock.state = (await repo.read(conn)).clock
    return Deps(db=db, clock=clock)
