"""The request journal's controls (behaviour 19.4): switched on and off for every process, read,
cleared. Each read first writes what this process still holds, so that a client sees its own
requests at once; other processes' appear within their next flush (FLUSH_SECONDS)."""

from __future__ import annotations

from dataclasses import dataclass

from altegio_server.db.base import Row
from altegio_server.errors import NotFound
from altegio_server.sandbox import journal_repository as repo
from altegio_server.sandbox import state
from altegio_server.sandbox.journal_repository import Filters
from altegio_server.sandbox.runtime import Sandbox


@dataclass(frozen=True)
class JournalState:
    enabled: bool
    entries: int
    max_entries: int
    max_body_bytes: int


async def journal_state(sandbox: Sandbox) -> JournalState:
    await sandbox.journal.flush()
    found = await sandbox.refresh()
    async with sandbox.deps.db.transaction() as conn:
        entries = await repo.count(conn)
    return JournalState(found.journal_enabled, entries, sandbox.journal.max_entries, sandbox.journal.body_limit)


async def switch(sandbox: Sandbox, enabled: bool) -> JournalState:
    async with sandbox.deps.db.transaction(write=True) as conn:
        await state.update(conn, journal_enabled=enabled)
    return await journal_state(sandbox)


async def entries(sandbox: Sandbox, filters: Filters, limit: int, offset: int) -> tuple[int, list[Row]]:
    """How many entries match, and a page of them, newest first."""
    await sandbox.journal.flush()
    async with sandbox.deps.db.transaction() as conn:
        return await repo.page(conn, filters, limit, offset)


async def entry(sandbox: Sandbox, entry_id: int) -> Row:
    await sandbox.journal.flush()
    async with sandbox.deps.db.transaction() as conn:
        found = await repo.one(conn, entry_id)
    if found is None:
        raise NotFound()
    return found


async def clear(sandbox: Sandbox) -> None:
    """Empty the journal, with what this process still holds; other processes' pending entries follow."""
    await sandbox.journal.flush()
    async with sandbox.deps.db.transaction(write=True) as conn:
        await repo.clear(conn)
