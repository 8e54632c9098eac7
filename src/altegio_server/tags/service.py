"""Tags (behaviour 6): list, create, get, update, soft delete."""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.errors import AccessDenied, NotFound, ValidationFailed
from altegio_server.tags import repository as repo

NOT_CHANGEABLE = "Category cannot be changed"
NOTHING_TO_CHANGE = "Send at least one of title, color, entity, icon"


async def list_tags(deps: Deps, location_id: int, entity: int | None) -> list[dict[str, Any]]:
    async with deps.db.transaction() as conn:
        return await repo.list_active(conn, location_id, entity)


async def get_tag(deps: Deps, location_id: int, tag_id: int) -> dict[str, Any]:
    """A tag of this location, deleted ones included."""
    async with deps.db.transaction() as conn:
        tag = await repo.get(conn, tag_id)
    if tag is None or tag["location_id"] != location_id:
        raise NotFound()
    return tag


async def create_tag(deps: Deps, location_id: int, title: str, color: str, icon: str, entity: int) -> dict[str, Any]:
    async with deps.db.transaction(write=True) as conn:
        return await repo.insert(conn, location_id, title, color, icon, entity)


async def _changeable(conn: Connection, location_id: int, tag_id: int) -> dict[str, Any]:
    tag = await repo.get(conn, tag_id)
    # A tag of another location is no tag at this path: 404, as reading it answers, so that
    # no tag id of any other location can be found out (behaviour 9.7).
    if tag is None or tag["deleted"] or tag["location_id"] != location_id:
        raise NotFound()
    if not tag["editable"]:
        raise AccessDenied(NOT_CHANGEABLE, reason=f"tag {tag_id} is not editable")
    return tag


async def update_tag(deps: Deps, location_id: int, tag_id: int, changes: dict[str, Any] | None) -> None:
    """Change any of title, color, icon, entity; the rest stay. None: the request named no field."""
    async with deps.db.transaction(write=True) as conn:
        tag = await _changeable(conn, location_id, tag_id)
        if changes is None:
            raise ValidationFailed(NOTHING_TO_CHANGE, {"body": [NOTHING_TO_CHANGE]})
        merged = {k: changes.get(k, tag[k]) for k in ("title", "color", "icon", "entity")}
        await repo.update(conn, tag_id, **merged)


async def delete_tag(deps: Deps, location_id: int, tag_id: int) -> None:
    async with deps.db.transaction(write=True) as conn:
        await _changeable(conn, location_id, tag_id)
        await repo.soft_delete(conn, tag_id)
