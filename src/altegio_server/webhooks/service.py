"""Webhook settings of a location (behaviour 20.1): read, and replace whole."""

from __future__ import annotations

from typing import Any

from altegio_server.deps import Deps
from altegio_server.webhooks import repository as repo
from altegio_server.webhooks.rules import FLAGS

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
