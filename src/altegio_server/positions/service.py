"""Positions (behaviour 3): list, create, get, update, delete.

A position is the chain's, shared by the locations it is linked to. Reading it through a
location shows only the locations the caller may see (behaviour 10.2); changing it needs
write access to every location the change touches (behaviour 10.1), checked inside the
change's transaction with the position held.
"""

from __future__ import annotations

from typing import Any

from altegio_server.auth.service import require_write_access
from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.errors import NotFound, ValidationFailed
from altegio_server.positions import repository as repo
from altegio_server.positions.rules import touched_locations

TITLE_REQUIRED = "Title is required"
SALONS_REQUIRED = "At least one salon must be selected"
SALON_NOT_IN_CHAIN = "The salon does not belong to this chain"
ID_MISMATCH = "The position ID does not match the path"
STILL_HELD = "The position is assigned to team members and cannot be deleted"


async def list_positions(deps: Deps, user_id: int, location_id: int, limit: int,
                         offset: int) -> tuple[list[dict[str, Any]], int]:
    async with deps.db.transaction() as conn:
        return await repo.visible(conn, location_id, user_id, limit, offset)


async def get_position(deps: Deps, user_id: int, location_id: int, position_id: int) -> dict[str, Any]:
    async with deps.db.transaction() as conn:
        position = await repo.get_visible(conn, location_id, position_id, user_id)
    if position is None:
        raise NotFound()
    return position


async def _checked(conn: Connection, chain_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """The fields ready to store: every salon a location of the chain, duplicates folded, no null text."""
    salon_ids = fields["salon_ids"]
    known = await repo.locations_in_chain(conn, chain_id, salon_ids)
    errors = {f"salon_ids.{i}": [SALON_NOT_IN_CHAIN] for i, s in enumerate(salon_ids) if s not in known}
    if errors:
        raise ValidationFailed(errors=errors)
    return {**fields, "salon_ids": list(dict.fromkeys(salon_ids)), "description": fields.get("description") or ""}


def _stored(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields as stored: a null description is no description."""
    return dict(fields, description=fields.get("description") or "")


async def _may_change(conn: Connection, user_id: int, linked_after: list[int], existing: int | None = None) -> None:
    """403 unless the user may write at every location the change touches (behaviour 10.1):
    those of `linked_after` and, for an `existing` position, its links and holders now."""
    before = await repo.linked_locations(conn, existing) if existing is not None else []
    held_at = await repo.holders_locations(conn, existing) if existing is not None else []
    await require_write_access(conn, user_id, touched_locations(before, linked_after, held_at))


async def _held_visible(conn: Connection, user_id: int, location_id: int, position_id: int) -> dict[str, Any]:
    """The position, visible at the location and held until the transaction ends; 404 if none."""
    await repo.lock(conn, location_id, position_id)
    current = await repo.get_visible(conn, location_id, position_id, user_id)
    if current is None:
        raise NotFound()
    return current


async def create_position(deps: Deps, user_id: int, location_id: int, fields: dict[str, Any]) -> dict[str, Any]:
    """Create a position in the location's chain; `fields` as parsed by the request schema."""
    fields = _stored(fields)
    async with deps.db.transaction(write=True) as conn:
        chain_id = await repo.chain_of(conn, location_id)
        fields = await _checked(conn, chain_id, fields)
        await _may_change(conn, user_id, fields["salon_ids"])
        position_id = await repo.insert(conn, chain_id, fields)
        await repo.link(conn, position_id, fields["salon_ids"])
        return await repo.get(conn, position_id, user_id)


async def update_position(deps: Deps, user_id: int, location_id: int, position_id: int,
                          fields: dict[str, Any]) -> None:
    """Replace a visible position's fields and locations."""
    fields = _stored(fields)
    async with deps.db.transaction(write=True) as conn:
        current = await _held_visible(conn, user_id, location_id, position_id)
        if fields["position_id"] != position_id:
            raise ValidationFailed(errors={"position_id": [ID_MISMATCH]})
        fields = await _checked(conn, current["chain_id"], fields)
        await _may_change(conn, user_id, fields["salon_ids"], existing=position_id)
        await repo.update(conn, position_id, fields)
        await repo.link(conn, position_id, fields["salon_ids"])


async def delete_position(deps: Deps, user_id: int, location_id: int, position_id: int) -> None:
    """Delete a visible position nobody holds."""
    async with deps.db.transaction(write=True) as conn:
        await _held_visible(conn, user_id, location_id, position_id)
        # Access first: whether a team member elsewhere holds it is not for this user to learn.
        await _may_change(conn, user_id, [], existing=position_id)
        if await repo.holders(conn, position_id):
            raise ValidationFailed(errors={"position_id": [STILL_HELD]})
        await repo.delete(conn, position_id)
