"""A second business beside the demo: its own chain, location, team, tags, position, user,
events and appointments, every name marked so that a leak shows in any answer. Loaded from
a fixture file's data, as a real business would be, plus rows for events and bookings."""

from __future__ import annotations

import asyncio
from typing import Any

from altegio_server.clock import FixedClock
from altegio_server.db import open_database
from altegio_server.deps import Deps
from altegio_server.provisioning import demo, fixture
from altegio_server.users import service as users
from tests import factories as f
from tests.event_factories import book_seats

MARK = "Outsider"
LOCATION, CHAIN, STAFF, SERVICE, INSTANCE, CLIENT, POSITION = 901, 9, 9001, 9021, 9041, 9061, 91
CATEGORY = 9010
TAGS = {"common": 9051, "record": 9052, "activity": 9053}
USER_TOKEN = "outsider-user-token-6b1f0c2e9d7a4835"
PARTNER_TOKEN = demo.PARTNER_TOKEN

DATA: dict[str, Any] = {
    "chains": [{
        "id": CHAIN, "title": f"{MARK} chain",
        "locations": [{
            "id": LOCATION, "title": f"{MARK} studio", "timezone": "Europe/Berlin", "default_technical_break": 0,
            "staff": [{"id": STAFF, "name": f"{MARK} coach", "position_id": POSITION}],
            "service_categories": [{"id": CATEGORY, "title": f"{MARK} classes"}],
            "services": [{"id": SERVICE, "title": f"{MARK} class", "category_id": CATEGORY, "group_event": True,
                          "staff_ids": [STAFF]}],
            "resources": [{"id": 9031, "title": f"{MARK} hall", "service_ids": [SERVICE],
                           "instances": [{"id": INSTANCE, "title": f"{MARK} hall 1"}]}],
            "tags": [{"id": TAGS["common"], "title": f"{MARK} common", "color": "#000000", "entity": 0},
                     {"id": TAGS["record"], "title": f"{MARK} record", "color": "#000000", "entity": 2},
                     {"id": TAGS["activity"], "title": f"{MARK} event", "color": "#000000", "entity": 3}],
            "clients": [{"id": CLIENT, "name": f"{MARK} client", "phone": "+491700000001"}],
        }],
        "positions": [{"id": POSITION, "title": f"{MARK} position", "salon_ids": [LOCATION]}],
    }],
    "users": [{"id": 9, "name": f"{MARK} owner", "email": "owner@outsider.example", "password": "outsider-pass",
               "user_token": USER_TOKEN, "access": [{"location_id": LOCATION}]}],
}


def add(url: str) -> dict[str, int]:
    """Load the outsider into the database at `url`; the ids of its event and appointment."""

    async def load() -> None:
        db = open_database(url, pool_size=1)
        await db.connect()
        try:
            await fixture.load(Deps(db, FixedClock(0)), DATA)
        finally:
            await db.close()

    asyncio.run(load())
    event = f.make_event(url, location_id=LOCATION, staff_id=STAFF, service_id=SERVICE, capacity=5)
    record = book_seats(url, event, 2, CLIENT)
    return {"event_id": event, "record_id": record, "strategy_id": add_strategy(url, LOCATION)}


def add_strategy(url: str, location_id: int) -> int:
    """A duplication strategy of the location, titled with the mark; its id."""
    rows = f.fetch(url, "INSERT INTO duplication_strategies (location_id, title, repeat_mode_id, created_at, "
                        "updated_at) VALUES ($1, $2, 1, 0, 0) RETURNING id", location_id, f"{MARK} repeat")
    return rows[0]["id"]


_POSITIONS = ("SELECT position_id FROM position_locations WHERE location_id = $1 "
              "UNION SELECT position_id FROM staff WHERE location_id = $1")
# What a location holds, for comparing before and after.
SNAPSHOT = {
    "locations": "SELECT * FROM locations WHERE id = $1",
    "staff": "SELECT * FROM staff WHERE location_id = $1",
    "services": "SELECT * FROM services WHERE location_id = $1",
    "service_categories": "SELECT * FROM service_categories WHERE location_id = $1",
    # Their team members' links to any service, ours included: none may be made from outside.
    "service_staff": "SELECT ss.* FROM service_staff ss JOIN staff st ON st.id = ss.staff_id WHERE st.location_id = $1",
    "tags": "SELECT * FROM tags WHERE location_id = $1",
    "clients": "SELECT * FROM clients WHERE location_id = $1",
    "comers": "SELECT * FROM comers WHERE location_id = $1",
    "events": "SELECT * FROM events WHERE location_id = $1",
    "records": "SELECT * FROM records WHERE location_id = $1",
    "record_labels": "SELECT rl.* FROM record_labels rl JOIN records r ON r.id = rl.record_id "
                     "WHERE r.location_id = $1",
    "event_labels": "SELECT el.* FROM event_labels el JOIN events e ON e.id = el.event_id WHERE e.location_id = $1",
    "event_resource_instances": "SELECT x.* FROM event_resource_instances x JOIN events e ON e.id = x.event_id "
                                "WHERE e.location_id = $1",
    # Positions belong to a chain: the location's are those linked to it or held by its team.
    "positions": f"SELECT * FROM positions WHERE id IN ({_POSITIONS})",
    "position_locations": f"SELECT * FROM position_locations WHERE position_id IN ({_POSITIONS})",
    "user_locations": "SELECT * FROM user_locations WHERE location_id = $1",
    "duplication_strategies": "SELECT * FROM duplication_strategies WHERE location_id = $1",
}


def snapshot(url: str, location_id: int = LOCATION) -> dict[str, list[dict[str, Any]]]:
    """Everything of a location's (the outsider's unless told), for comparing before and after."""
    return {name: sorted((dict(r) for r in f.fetch(url, sql, location_id)), key=repr)
            for name, sql in SNAPSHOT.items()}


def user_of(url: str, access: list[tuple[int, bool]], email: str = "neighbour@demo.example") -> str:
    """A new user granted these (location_id, read_only) pairs only: their Authorization header
    with the demo's partner token. The demo has no user granted one of its two locations."""

    async def create() -> str:
        db = open_database(url, pool_size=1)
        await db.connect()
        try:
            issued = await users.create_user(Deps(db, FixedClock(0)), "Neighbour", email, None,
                                             "neighbour-pass", access)
        finally:
            await db.close()
        return issued.token

    return f"Bearer {PARTNER_TOKEN}, User {asyncio.run(create())}"
