"""The dispatcher every server process runs (behaviour 20.4): it claims due notifications from
the outbox, sends them in the background, and logs each delivery.

Claims are leases: a claimed row is skipped by every process until its lease runs out, so a
process that dies mid-delivery leaves its rows to the others (at least once, never lost). A
notification waits while an earlier one of the same object is still in the outbox, so one
object's notifications arrive in the order of its changes. Requests never wait on any of it.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from altegio_server.clock import wall_time
from altegio_server.deps import Deps
from altegio_server.webhooks import delivery
from altegio_server.webhooks import repository as repo

log = logging.getLogger("altegio_server.webhooks")
Row = dict[str, Any]
_SWEEP_EVERY = 60.0  # seconds between retention sweeps of the outbox


class Dispatcher:
    def __init__(self, deps: Deps) -> None:
        self.deps, self.policy = deps, deps.webhooks
        self._loop: asyncio.Task[None] | None = None
        self._flying: set[asyncio.Task[None]] = set()
        self._swept = 0.0

    def start(self) -> None:
        self._loop = asyncio.create_task(self._run())

    async def stop(self) -> None:
        tasks = [t for t in (self._loop, *self._flying) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            try:
                claimed = await self.tick()
            except Exception:  # the database may be away for a while: try again later
                log.warning("webhook dispatch failed; trying again", exc_info=True)
                claimed = 0
            await asyncio.sleep(0.01 if claimed else self.policy.poll)

    async def tick(self) -> int:
        """Claim what is due and room allows, start sending it; how many were claimed."""
        room = self.policy.in_flight - len(self._flying)
        now = wall_time()
        if now - self._swept > _SWEEP_EVERY:
            self._swept = now
            async with self.deps.db.transaction(write=True) as conn:
                await repo.drop_stale(conn, now - self.policy.retention)
        due_before = now - self.policy.delay
        if room <= 0:
            return 0
        async with self.deps.db.transaction() as conn:
            if not await repo.any_due(conn, due_before, now):
                return 0
        async with self.deps.db.transaction(write=True) as conn:
            rows = await repo.claim(conn, due_before, now, now + self.policy.lease(), room)
        for row in rows:
            task = asyncio.create_task(self._deliver(row))
            self._flying.add(task)
            task.add_done_callback(self._flying.discard)
        return len(rows)

    async def _deliver(self, row: Row) -> None:
        try:
            results = await deliver(self.deps, row)
            async with self.deps.db.transaction(write=True) as conn:
                await repo.finish(conn, row["id"], results, self.policy.log_entries)
        except asyncio.CancelledError:
            raise
        except Exception:  # the row stays claimed; another try comes when its lease runs out
            log.warning("webhook delivery of outbox row %s failed", row["id"], exc_info=True)


async def deliver(deps: Deps, row: Row) -> list[Row]:
    """Send one outbox row to every URL of its location's settings as they are now; the log rows.
    Nothing is sent if the hooks were turned off meanwhile or the object is gone."""
    async with deps.db.transaction() as conn:
        settings = await repo.settings(conn, row["location_id"])
    if settings is None or not settings["active"] or row["resource"] not in settings["flags"]:
        return []
    body = await delivery.render(deps, row["location_id"], row["resource"], row["resource_id"], row["status"])
    if body is None:
        return []
    about = {"location_id": row["location_id"], "resource": row["resource"], "resource_id": row["resource_id"],
             "event_status": row["status"]}
    return list(await asyncio.gather(*(delivery.send(deps.webhooks, url, body, settings["signing_secret"], about)
                                       for url in settings["urls"])))
