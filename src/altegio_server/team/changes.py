"""Creating, changing and deleting team members, services and service categories
(behaviour 15.6-15.9): one write transaction per command.

Every id a body names is looked up at the path's location before anything is written; an id
of another location reads as unknown. Ids named in the body are held first and the row the
path names second, the order an event takes its team member and service in, so that the two
never wait for each other (writes.py says what each hold keeps out).
"""

from __future__ import annotations

from typing import Any

from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.errors import FieldErrors, NotFound, ValidationFailed
from altegio_server.team import repository as repo
from altegio_server.team import rules, writes


def _one(rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        raise NotFound()
    return rows[0]


async def _check_position(conn: Connection, location_id: int, data: dict[str, Any]) -> None:
    """404 for a position not linked to the location, as for any id named alone (behaviour 10.4)."""
    position_id = data.get("position_id")
    if position_id and not await writes.position_at(conn, location_id, position_id):
        raise NotFound()


async def create_staff(deps: Deps, location_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """A new team member of the location (behaviour 15.6)."""
    async with deps.db.transaction(write=True) as conn:
        await _check_position(conn, location_id, data)
        staff_id = await writes.insert(conn, "staff", location_id, rules.staff_columns(data))
        return _one(await repo.staff(conn, location_id, staff_id))


async def update_staff(deps: Deps, location_id: int, staff_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """The team member with the body's fields changed; 404 unless the location has it live."""
    async with deps.db.transaction(write=True) as conn:
        await _check_position(conn, location_id, data)
        if not await writes.live_staff(conn, location_id, staff_id, conn.for_update):
            raise NotFound()
        await writes.update(conn, "staff", staff_id, rules.staff_columns(data))
        return _one(await repo.staff(conn, location_id, staff_id))


async def delete_staff(deps: Deps, location_id: int, staff_id: int) -> None:
    """Mark the team member deleted, unless an event of theirs has yet to end (behaviour 15.9)."""
    now = deps.clock.timestamp()
    async with deps.db.transaction(write=True) as conn:
        if not await writes.live_staff(conn, location_id, staff_id, conn.for_update):
            raise NotFound()
        if await writes.has_upcoming_events(conn, location_id, "staff_id", staff_id, now):
            raise ValidationFailed(rules.STAFF_IN_USE)
        await writes.mark_deleted(conn, "staff", staff_id)


async def _service_links(conn: Connection, location_id: int, data: dict[str, Any]) -> FieldErrors:
    """404 for a category the location does not have live; field errors for such team members
    (an id named alone, and ids in a list, as behaviour 10.4 answers them)."""
    errors: FieldErrors = {}
    category_id = data.get("category_id")
    if category_id and not await writes.live_category(conn, location_id, category_id, conn.for_share):
        raise NotFound()
    members = data.get("staff") or []
    live = await writes.live_staff_ids(conn, location_id, sorted({m["id"] for m in members}))
    for i, member in enumerate(members):
        if member["id"] not in live:
            errors[f"staff.{i}.id"] = [rules.NO_STAFF]
    return errors


async def _write_service(conn: Connection, location_id: int, service_id: int | None, data: dict[str, Any],
                         errors: FieldErrors, before: dict[str, Any]) -> int:
    """Check the service as it would be, then insert or update it and its team."""
    columns = rules.service_columns(data)
    after = {**before, **columns}
    errors = {**errors, **rules.price_errors(after)}
    if errors:
        raise ValidationFailed(errors=errors)
    if service_id is None:
        service_id = await writes.insert(conn, "services", location_id, columns)
    else:
        await writes.update(conn, "services", service_id, columns)
    if "staff" in data:
        await writes.replace_service_staff(conn, service_id, rules.team_lengths(data["staff"], after["duration"]))
    return service_id


async def create_service(deps: Deps, location_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """A new service of the location with its team (behaviour 15.7)."""
    async with deps.db.transaction(write=True) as conn:
        errors = await _service_links(conn, location_id, data)
        service_id = await _write_service(conn, location_id, None, data, errors, rules.NEW_SERVICE)
        return _one(await repo.services(conn, location_id, service_id=service_id))


async def update_service(deps: Deps, location_id: int, service_id: int, data: dict[str, Any]) -> dict[str, Any]:
    """The service with the body's fields changed (its team replaced if `staff` is sent)."""
    async with deps.db.transaction(write=True) as conn:
        errors = await _service_links(conn, location_id, data)
        before = await writes.live_service(conn, location_id, service_id, conn.for_update)
        if before is None:
            raise NotFound()
        await _write_service(conn, location_id, service_id, data, errors, before)
        return _one(await repo.services(conn, location_id, service_id=service_id))


async def delete_service(deps: Deps, location_id: int, service_id: int) -> None:
    """Mark the service deleted, unless an event of it has yet to end (behaviour 15.9)."""
    now = deps.clock.timestamp()
    async with deps.db.transaction(write=True) as conn:
        if await writes.live_service(conn, location_id, service_id, conn.for_update) is None:
            raise NotFound()
        if await writes.has_upcoming_events(conn, location_id, "service_id", service_id, now):
            raise ValidationFailed(rules.SERVICE_IN_USE)
        await writes.mark_deleted(conn, "services", service_id)


async def delete_category(deps: Deps, location_id: int, category_id: int) -> None:
    """Mark the category deleted, unless a live service is still in it (behaviour 15.8)."""
    async with deps.db.transaction(write=True) as conn:
        if not await writes.live_category(conn, location_id, category_id, conn.for_update):
            raise NotFound()
        if await writes.category_has_services(conn, category_id):
            raise ValidationFailed(rules.CATEGORY_IN_USE)
        await writes.mark_deleted(conn, "service_categories", category_id)
