"""Webhook settings of a location (behaviour 20.1), and the sandbox's view of deliveries (20.6)."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from typing import Any

import orjson

from altegio_server.deps import Deps
from altegio_server.errors import NotFound, ValidationFailed
from altegio_server.webhooks import delivery
from altegio_server.webhooks import repository as repo
from altegio_server.webhooks.rules import FLAGS

NO_URLS = "The location has no webhook URLs."

Row = dict[str, Any]


def _shown(found: Row | None) -> Row:
    """The settings as the API shows them; a location that never set any has everything off."""
    if found is None:
        return {"urls": [], "active": False, "flags": set(), "signing_secret": None}
    return found


async def get_settings(deps: Deps, location_id: int) -> Row:
    async with deps.db.transaction() as conn:
        return _shown(await repo.settings(conn, location_id))


async def set_settings(deps: Deps, location_id: int, values: Row) -> Row:
    """Replace the location's settings by `values` (urls, active, each flag, signing_secret)."""
    flags = [flag for flag in FLAGS if values[flag]]
    async with deps.db.transaction(write=True) as conn:
        await repo.replace_settings(conn, location_id, values["urls"], values["active"], flags,
                                    values["signing_secret"], deps.clock.timestamp())
        return _shown(await repo.settings(conn, location_id))


async def list_deliveries(deps: Deps, filters: Row, limit: int) -> list[Row]:
    """The delivery log, newest first (behaviour 20.6)."""
    async with deps.db.transaction() as conn:
        return await repo.deliveries(conn, filters, limit)


async def _send_once(deps: Deps, urls: list[str], body: bytes, secret: str | None, about: Row) -> list[Row]:
    """One attempt to each URL, logged; what the sandbox's replay and test answer with."""
    once = replace(deps.webhooks, retries=0)
    sent = list(await asyncio.gather(*(delivery.send(once, url, body, secret, about) for url in urls)))
    async with deps.db.transaction(write=True) as conn:
        await repo.log_deliveries(conn, sent, deps.webhooks.log_entries)
        return [await repo.delivery_by_uid(conn, d["delivery_id"]) for d in sent]


async def replay_delivery(deps: Deps, delivery_row_id: int) -> Row:
    """Send a logged delivery's body to its URL again, signed with the location's secret now."""
    async with deps.db.transaction() as conn:
        found = await repo.delivery(conn, delivery_row_id) if delivery_row_id < 2**63 else None
        if found is None:
            raise NotFound()
        settings = await repo.settings(conn, found["location_id"])
    about = {k: found[k] for k in ("location_id", "resource", "resource_id", "event_status")}
    secret = settings["signing_secret"] if settings else None
    return (await _send_once(deps, [found["url"]], found["body"].encode(), secret, about))[0]


async def send_test(deps: Deps, location_id: int) -> list[Row]:
    """A `test` notification to each URL of the location's settings, active or not."""
    async with deps.db.transaction() as conn:
        settings = await repo.settings(conn, location_id)
    if settings is None or not settings["urls"]:
        raise ValidationFailed(NO_URLS, {"location_id": [NO_URLS]})
    body = orjson.dumps({"company_id": location_id, "resource": "test", "resource_id": 0, "status": "create",
                         "data": {}})
    about = {"location_id": location_id, "resource": "test", "resource_id": 0, "event_status": "create"}
    return await _send_once(deps, settings["urls"], body, settings["signing_secret"], about)
