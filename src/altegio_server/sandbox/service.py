"""The sandbox's clock controls (behaviour 19.2); each is one transaction."""

from __future__ import annotations

from altegio_server.sandbox import clock as rules
from altegio_server.sandbox import state as repo
from altegio_server.sandbox.clock import ClockState
from altegio_server.sandbox.runtime import Sandbox


async def clock(sandbox: Sandbox) -> ClockState:
    return (await sandbox.refresh()).clock


async def set_clock(sandbox: Sandbox, at: int, frozen: bool) -> ClockState:
    return await _write_clock(sandbox, rules.set_to(at, frozen, sandbox.clock.base.timestamp()))


async def advance_clock(sandbox: Sandbox, seconds: int) -> ClockState:
    async with sandbox.deps.db.transaction(write=True) as conn:
        moved = rules.advanced((await repo.read(conn, lock=True)).clock, seconds)
        await repo.set_clock(conn, moved)
    sandbox.clock.state = moved
    return moved


async def real_clock(sandbox: Sandbox) -> ClockState:
    return await _write_clock(sandbox, ClockState())


async def _write_clock(sandbox: Sandbox, new: ClockState) -> ClockState:
    async with sandbox.deps.db.transaction(write=True) as conn:
        await repo.set_clock(conn, new)
    sandbox.clock.state = new
    return new
