"""Demo data worth exploring: one chain, two locations in time zones whose clocks change on
different days, a team, group-event services and an ordinary one, rooms and machines, tags of
every entity, positions, a full-access user, a read-only user and a partner token; and, unless
asked not to, a studio's schedule of classes around seed time with clients booked in
(`timetable.py`, behaviour 12.1).

The demo's tokens are fixed, published strings so that `seed demo` can print them again on
every run; never use them for a real business.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from altegio_server.clock import FixedClock
from altegio_server.db import Connection
from altegio_server.deps import Deps
from altegio_server.provisioning import fixture, timetable

CHAIN_ID = 1
CHAIN_TITLE = "Demo Fitness Chain"
PARTNER_TOKEN = "demo-partner-token-5d3c1f0a"
USER_TOKEN = "demo-user-token-1b7e4a92c6f8d035"
READONLY_USER_TOKEN = "demo-readonly-token-8e2f6c41d9a0b753"
USER: dict[str, Any] = {"id": 1, "login": "owner@demo.example", "password": "demo-password"}
BASES = {101: 1000, 102: 2000}  # each location's ids are its base plus a fixed offset


def _location(lid: int, title: str, tz: str, names: list[str], base: int) -> dict[str, Any]:
    staff = [
        {"id": base + 1, "name": names[0], "specialization": "Yoga instructor", "position_id": 1},
        {"id": base + 2, "name": names[1], "specialization": "Pilates coach", "position_id": 2},
        {"id": base + 3, "name": names[2], "specialization": "Padel coach"},
    ]
    staff_ids = [s["id"] for s in staff]
    return {
        "id": lid, "title": title, "timezone": tz, "default_technical_break": 1200,
        "staff": staff,
        "service_categories": [{"id": base + 10, "title": "Group classes"}, {"id": base + 11, "title": "Personal"}],
        "services": [
            {"id": base + 21, "title": "Morning yoga", "category_id": base + 10, "group_event": True,
             "capacity": 12, "duration": 3600, "price_min": 15, "price_max": 20, "staff_ids": staff_ids[:2]},
            {"id": base + 22, "title": "Pilates mat class", "category_id": base + 10, "group_event": True,
             "capacity": 8, "duration": 2700, "price_min": 18, "price_max": 18, "staff_ids": staff_ids[:2]},
            {"id": base + 23, "title": "Padel clinic", "category_id": base + 10, "group_event": True,
             "capacity": 4, "duration": 5400, "price_min": 40, "price_max": 55, "staff_ids": staff_ids[2:]},
            {"id": base + 24, "title": "Personal training", "category_id": base + 11, "group_event": False,
             "capacity": 1, "duration": 3600, "price_min": 50, "price_max": 70, "staff_ids": staff_ids},
        ],
        "resources": [
            {"id": base + 31, "title": "Studio room", "service_ids": [base + 21, base + 22],
             "instances": [{"id": base + 41, "title": "Room A"}, {"id": base + 42, "title": "Room B"}]},
            {"id": base + 32, "title": "Padel court", "service_ids": [base + 23],
             "instances": [{"id": base + 43, "title": "Court 1"}]},
        ],
        "tags": [
            {"id": base + 51, "title": "Newcomer friendly", "color": "#4caf50", "entity": 0},
            {"id": base + 52, "title": "VIP client", "color": "#ff2828", "entity": 1, "icon": "star"},
            {"id": base + 53, "title": "Paid online", "color": "#2196f3", "entity": 2},
            {"id": base + 54, "title": "Outdoor", "color": "#ffeb3b", "entity": 3},
            {"id": base + 55, "title": "System: online booking", "color": "#9e9e9e", "entity": 0,
             "editable": False},
        ],
        "clients": [
            {"id": base + 61, "name": "Anna", "surname": "Novak", "phone": "+420601000001",
             "email": "anna@example.com", "gender": 2},
        ],
    }


def fixture_data(schedule: bool = False) -> dict[str, Any]:
    """The demo business as a fixture; with `schedule`, also the regular clients the schedule books."""
    locations = [
        _location(101, "Demo Studio Prague", "Europe/Prague", ["Eva Dvorakova", "Tomas Novak", "Jan Svoboda"],
                  BASES[101]),
        _location(102, "Demo Studio New York", "America/New_York", ["Maria Lopez", "James Carter", "Lena Park"],
                  BASES[102]),
    ]
    if schedule:
        for loc in locations:
            loc["clients"] += timetable.clients(loc["id"], BASES[loc["id"]])
    return {
        "chains": [{
            "id": CHAIN_ID, "title": CHAIN_TITLE,
            "locations": locations,
            "positions": [
                {"id": 1, "title": "Senior instructor", "description": "Leads advanced classes",
                 "salon_ids": [101, 102]},
                {"id": 2, "title": "Instructor", "description": "", "salon_ids": [101, 102]},
                {"id": 3, "title": "Front desk", "description": "Greets clients", "salon_ids": [101]},
            ],
        }],
        "users": [
            {"id": USER["id"], "name": "Demo Owner", "email": USER["login"], "phone": "+10000000001",
             "password": USER["password"], "user_token": USER_TOKEN,
             "access": [{"location_id": 101}, {"location_id": 102}]},
            {"id": 2, "name": "Demo Viewer", "email": "viewer@demo.example", "password": "viewer-password",
             "user_token": READONLY_USER_TOKEN,
             "access": [{"location_id": 101, "read_only": True}, {"location_id": 102, "read_only": True}]},
        ],
        "partner_tokens": [{"name": "Demo integration", "token": PARTNER_TOKEN}],
    }


def summary() -> dict[str, Any]:
    """What `seed demo --json` prints: the tokens and the ids worth knowing."""
    locations = []
    for loc in fixture_data()["chains"][0]["locations"]:
        tags = {slug: [t["id"] for t in loc["tags"] if t.get("entity", 0) == n]
                for n, slug in enumerate(("common", "client", "record", "activity"))}
        locations.append({
            "id": loc["id"], "title": loc["title"], "timezone": loc["timezone"],
            "staff_ids": [s["id"] for s in loc["staff"]],
            "group_service_ids": [s["id"] for s in loc["services"] if s["group_event"]],
            "other_service_ids": [s["id"] for s in loc["services"] if not s["group_event"]],
            "resource_instance_ids": [i["id"] for r in loc["resources"] for i in r["instances"]],
            "position_ids": [p["id"] for p in fixture_data()["chains"][0]["positions"] if loc["id"] in p["salon_ids"]],
            "tag_ids": tags,
            "readonly_tag_id": next(t["id"] for t in loc["tags"] if t.get("editable") is False),
            "team": [{"id": s["id"], "name": s["name"], "specialization": s["specialization"]} for s in loc["staff"]],
            "services": [{"id": s["id"], "title": s["title"], "group_event": s["group_event"],
                          "capacity": s["capacity"], "duration": s["duration"], "staff_ids": s["staff_ids"]}
                         for s in loc["services"]],
            "resource_instances": [{"id": i["id"], "title": i["title"], "resource_id": r["id"],
                                    "resource_title": r["title"], "service_ids": r["service_ids"]}
                                   for r in loc["resources"] for i in r["instances"]],
            "client": dict(loc["clients"][0]),
        })
    return {
        "partner_token": PARTNER_TOKEN, "user_token": USER_TOKEN, "user": dict(USER),
        "readonly_user_token": READONLY_USER_TOKEN, "chain_id": CHAIN_ID, "locations": locations,
    }


async def described(deps: Deps) -> dict[str, Any]:
    """`summary()` with what the database holds of each location's schedule: how many live
    events, the local dates of the first and last, how many are full, and the active
    appointments (behaviour 12.2)."""
    described = summary()
    async with deps.db.transaction() as conn:
        for loc in described["locations"]:
            [row] = await conn.fetch(
                "SELECT COUNT(*) AS count, MIN(start_ts) AS first, MAX(start_ts) AS last, "
                "COALESCE(SUM(CASE WHEN clients_count = capacity THEN 1 ELSE 0 END), 0) AS full_events "
                "FROM events WHERE location_id = $1 AND deleted = FALSE", loc["id"])
            appointments = await conn.fetchval(
                "SELECT COUNT(*) FROM records WHERE location_id = $1 AND deleted = FALSE", loc["id"])
            zone = loc["timezone"]
            loc["events"] = {"count": row["count"], "first_day": _local_day(row["first"], zone),
                             "last_day": _local_day(row["last"], zone),
                             "full": row["full_events"], "appointments": appointments}
    return described


def _local_day(ts: int | None, zone: str) -> str | None:
    return None if ts is None else datetime.fromtimestamp(ts, ZoneInfo(zone)).date().isoformat()


async def _present(deps: Deps) -> bool:
    # The demo's chain, by id and title: someone else's chain 1 is not the demo. (Not the demo
    # user's token: changing the demo user's password rotates it.)
    async with deps.db.transaction() as conn:
        title = await conn.fetchval("SELECT title FROM chains WHERE id = $1", CHAIN_ID)
    return title == CHAIN_TITLE


async def seed(deps: Deps, schedule: bool = True) -> bool:
    """Load the demo unless it is there already; True if it was loaded now.

    With `schedule` (the default), classes and appointments around the clock's "now" are added
    in the same transaction. The test suite seeds without them, so that its bodies and ids do
    not depend on the day (behaviour 12.1). Raises FixtureError (naming the clashes) when other
    data holds the demo's ids.
    """
    if await _present(deps):
        return False
    now = deps.clock.timestamp()
    data = fixture_data(schedule)

    async def add_schedule(conn: Connection) -> None:
        for loc in data["chains"][0]["locations"]:
            await timetable.write(conn, loc, BASES[loc["id"]], USER["id"], now)

    # With its schedule, the business opened a little before seed time (behaviour 12.1).
    loading = Deps(deps.db, FixedClock(now - timetable.OPENED_BEFORE)) if schedule else deps
    try:
        await fixture.load(loading, data, after=add_schedule if schedule else None, recorded_at=now)
    except fixture.FixtureError:
        if await _present(deps):  # another process seeded it at the same moment
            return False
        raise
    return True
