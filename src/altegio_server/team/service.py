"""Reading what a location offers for events (behaviour 15): one transaction per answer."""

from __future__ import annotations

from typing import Any

from altegio_server.deps import Deps
from altegio_server.errors import NotFound
from altegio_server.team import repository as repo


def _one(rows: list[dict[str, Any]]) -> dict[str, Any]:
    if not rows:
        raise NotFound()
    return rows[0]


async def list_staff(deps: Deps, location_id: int) -> list[dict[str, Any]]:
    async with deps.db.transaction() as conn:
        return await repo.staff(conn, location_id)


async def get_staff(deps: Deps, location_id: int, staff_id: int) -> dict[str, Any]:
    async with deps.db.transaction() as conn:
        return _one(await repo.staff(conn, location_id, staff_id))


async def list_services(deps: Deps, location_id: int, staff_id: int | None,
                        category_id: int | None) -> list[dict[str, Any]]:
    async with deps.db.transaction() as conn:
        return await repo.services(conn, location_id, staff_id=staff_id, category_id=category_id)


async def get_service(deps: Deps, location_id: int, service_id: int) -> dict[str, Any]:
    async with deps.db.transaction() as conn:
        return _one(await repo.services(conn, location_id, service_id=service_id))


async def list_categories(deps: Deps, location_id: int, staff_id: int | None) -> list[dict[str, Any]]:
    async with deps.db.transaction() as conn:
        return await repo.categories(conn, location_id, staff_id=staff_id)


async def get_category(deps: Deps, location_id: int, category_id: int) -> dict[str, Any]:
    async with deps.db.transaction() as conn:
        return _one(await repo.categories(conn, location_id, category_id))


async def list_resources(deps: Deps, location_id: int) -> list[dict[str, Any]]:
    async with deps.db.transaction() as conn:
        return await repo.resources(conn, location_id)


async def create_category(deps: Deps, location_id: int, title: str) -> dict[str, Any]:
    """A new, empty category of the location (behaviour 15.4)."""
    async with deps.db.transaction(write=True) as conn:
        category_id = await repo.insert_category(conn, location_id, title)
        return _one(await repo.categories(conn, location_id, category_id))


async def rename_category(deps: Deps, location_id: int, category_id: int, title: str) -> dict[str, Any]:
    """The category with its new title; 404 unless the location has it."""
    async with deps.db.transaction(write=True) as conn:
        if not await repo.rename_category(conn, location_id, category_id, title):
            raise NotFound()
        return _one(await repo.categories(conn, location_id, category_id))
