"""Helpers for group-event tests: request bodies, events made over HTTP, and appointments
written straight into the database (to test what deleting or shrinking an event does to them)."""

from __future__ import annotations

import asyncio
from typing import Any

from tests.conftest import PRAGUE
from tests.sql import in_transaction


def events_path(location: dict[str, Any] = PRAGUE, event_id: Any = None) -> str:
    path = f"/api/v2/locations/{location['id']}/events"
    return path if event_id is None else f"{path}/{event_id}"


def event_body(location: dict[str, Any] = PRAGUE, **overrides: Any) -> dict[str, Any]:
    """A valid create body: the location's first team member and group service, one hour, ten seats."""
    body = {
        "staff_id": location["staff_ids"][0],
        "service_id": location["group_service_ids"][0],
        "resource_instance_ids": [],
        "label_ids": [],
        "date": "2027-01-15 09:00:00",
        "length": 3600,
        "capacity": 10,
    }
    body.update(overrides)
    return body


def create_event(api: Any, location: dict[str, Any] = PRAGUE, **overrides: Any) -> dict[str, Any]:
    """Create an event over HTTP; its `data` resource."""
    r = api.post(events_path(location), json=event_body(location, **overrides))
    assert r.status_code == 201, r.text
    return r.json()["data"]


def run_sql(database_url: str, sql: str, *args: Any) -> list[dict[str, Any]]:
    """Run one statement in its own write transaction, beside the server's own connections;
    the rows it returns, if it is a query."""
    returns_rows = sql.lstrip().upper().startswith(("SELECT", "WITH", "EXPLAIN")) or "RETURNING" in sql.upper()

    async def work(conn: Any) -> list[dict[str, Any]]:
        if returns_rows:
            return await conn.fetch(sql, *args)
        await conn.execute(sql, *args)
        return []

    return asyncio.run(in_transaction(database_url, work))


def book_seats(database_url: str, event_id: int, clients_count: int = 1, client_id: int | None = None) -> int:
    """An active appointment in the event, its seats counted on the event, as a booking would leave them."""

    async def work(conn: Any) -> int:
        record_id = await conn.fetchval(
            "INSERT INTO records (location_id, event_id, client_id, clients_count, created_at, updated_at) "
            "SELECT location_id, id, $2, $3, 0, 0 FROM events WHERE id = $1 RETURNING id",
            event_id, client_id, clients_count,
        )
        await conn.execute("UPDATE events SET clients_count = clients_count + $2 WHERE id = $1",
                           event_id, clients_count)
        return record_id

    return asyncio.run(in_transaction(database_url, work))


def appointments_of(database_url: str, event_id: int) -> list[dict[str, Any]]:
    """(id, deleted, updated_at) of every appointment of the event, deleted as a bool."""
    rows = run_sql(database_url, "SELECT id, deleted, updated_at FROM records WHERE event_id = $1 ORDER BY id",
                   event_id)
    return [dict(r, deleted=bool(r["deleted"])) for r in rows]


def activity(event_id: Any, location: dict[str, Any] = PRAGUE, **attributes: Any) -> dict[str, Any]:
    """The whole `activity` resource expected for an event made from `event_body()` at the Prague
    location with the test clock's "now", with `attributes` changed."""
    staff_id = location["staff_ids"][0]
    expected = {
        "master_id": staff_id, "staff_id": staff_id, "service_id": location["group_service_ids"][0],
        "timestamp": 1800000000, "length": 4800, "capacity": 10, "clients_count": 0, "color": "",
        "instructions": "", "stream_link": "", "font_color": "", "notified": False, "comment": None,
        "schedule_id": None, "schedule_till": None, "schedule_event_modified": None,
        "date": "2027-01-15T09:00:00+0100", "deleted": False, "company_id": location["id"],
        "name": "Morning yoga", "description": "", "datetime": "2027-01-15 09:00:00",
        "created_at": "2027-01-10T13:00:00+0100", "updated_at": "2027-01-10T13:00:00+0100",
    }
    unknown = set(attributes) - set(expected)
    assert not unknown, f"not activity attributes: {unknown}"
    expected.update(attributes)
    return {"type": "activity", "id": str(event_id), "attributes": expected}


class SeatsHeld:
    """A booking that takes seats of an event in its own transaction and holds it open for a
    while before committing, in a thread of its own, to race a request against it."""

    def __init__(self, database_url: str, event_id: int, seats: int, hold_seconds: float = 0.5) -> None:
        import threading

        self.database_url, self.event_id, self.seats, self.hold = database_url, event_id, seats, hold_seconds
        self.holding = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._book()))

    async def _book(self) -> None:
        async def work(conn: Any) -> None:
            await conn.execute("UPDATE events SET clients_count = clients_count + $2 WHERE id = $1",
                               self.event_id, self.seats)
            self.holding.set()
            await asyncio.sleep(self.hold)

        await in_transaction(self.database_url, work)

    def __enter__(self) -> SeatsHeld:
        self.thread.start()
        assert self.holding.wait(10), "the booking never started"
        return self

    def __exit__(self, *exc: Any) -> None:
        self.thread.join(10)
