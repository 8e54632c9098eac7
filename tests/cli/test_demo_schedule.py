"""The demo's schedule (behaviour 12.1), seeded at a fixed moment into an empty database: its
classes keep the booking rules, sit at the timetable's local hours in each location's zone,
and show up in the API."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.clock import FixedClock
from altegio_server.config import Settings
from altegio_server.db import open_database
from altegio_server.db.migrate import upgrade
from altegio_server.deps import Deps
from altegio_server.provisioning import demo, timetable
from tests import databases, sql
from tests.cli.conftest import admin
from tests.conftest import AUTH, DEMO, V2

# A Sunday in January, and a Saturday whose four weeks cross both the American (14 March)
# and the European (28 March) change to summer time.
MOMENTS = [datetime(2027, 1, 10, 12, 0, tzinfo=timezone.utc), datetime(2027, 3, 13, 23, 30, tzinfo=timezone.utc)]
TABLES = ("clients", "events", "event_resource_instances", "event_labels", "records")


def seed(url: str, at: datetime) -> dict:
    async def run() -> dict:
        db = open_database(url, pool_size=1)
        await db.connect()
        try:
            await upgrade(db)
            deps = Deps(db, FixedClock(at))
            assert await demo.seed(deps) is True
            return await demo.described(deps)
        finally:
            await db.close()

    return asyncio.run(run())


@pytest.fixture(scope="module", params=[(at, kind) for at in MOMENTS for kind in ("sqlite", "postgresql")],
                ids=["january-sqlite", "january-postgresql", "clocks-change-sqlite", "clocks-change-postgresql"])
def seeded(request, tmp_path_factory):
    """Seeded once per moment and database: the tests here only read (or add nothing)."""
    at, kind = request.param
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('schedule') / 'demo.sqlite3'}"
        yield url, at, seed(url, at)
        return
    request.getfixturevalue("postgres_template")  # skips (or fails in CI) without PostgreSQL
    name = f"altegio_schedule_{uuid.uuid4().hex[:10]}"
    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        url = f"{databases.PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
        yield url, at, seed(url, at)
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def test_no_event_has_more_seats_booked_than_its_capacity_or_than_its_appointments_hold(seeded):
    url, _, _ = seeded
    rows = sql.fetch(url, "SELECT e.id, e.capacity, e.clients_count, "
                          "(SELECT COALESCE(SUM(r.clients_count), 0) FROM records r "
                          " WHERE r.event_id = e.id AND r.deleted = FALSE) AS seats FROM events e")
    assert len(rows) == 130
    assert [r for r in rows if r["clients_count"] != r["seats"] or r["clients_count"] > r["capacity"]] == []
    clashes = sql.value(url, "SELECT COUNT(*) FROM (SELECT event_id, client_id FROM records "
                             "GROUP BY event_id, client_id HAVING COUNT(*) > 1) AS twice")
    assert clashes == 0


def test_no_team_member_or_room_is_in_two_overlapping_events(seeded):
    url, _, _ = seeded
    staff = sql.value(url, "SELECT COUNT(*) FROM events a JOIN events b ON a.staff_id = b.staff_id AND a.id < b.id "
                           "AND a.start_ts < b.end_ts AND b.start_ts < a.end_ts")
    rooms = sql.value(url, "SELECT COUNT(*) FROM event_resource_instances x JOIN events a ON a.id = x.event_id "
                           "JOIN event_resource_instances y ON y.resource_instance_id = x.resource_instance_id "
                           "AND y.event_id > x.event_id JOIN events b ON b.id = y.event_id "
                           "WHERE a.start_ts < b.end_ts AND b.start_ts < a.end_ts")
    forced = sql.value(url, "SELECT COUNT(*) FROM events WHERE forced = TRUE")
    assert (staff, rooms, forced) == (0, 0, 0)


def test_classes_sit_at_the_timetables_local_hours_from_a_week_back_to_four_weeks_on(seeded):
    url, at, _ = seeded
    for location in DEMO["locations"]:
        zone, base = ZoneInfo(location["timezone"]), demo.BASES[location["id"]]
        today = at.astimezone(zone).date()
        expected = sorted(
            (f"{day.isoformat()} {slot.start}", base + slot.service, base + slot.staff, base + slot.instance)
            for day in (today + timedelta(days=d) for d in range(-7, 28))
            for slot in timetable.WEEK if slot.weekday == day.weekday())
        rows = sql.fetch(url, "SELECT e.start_ts, e.service_id, e.staff_id, x.resource_instance_id AS room "
                              "FROM events e JOIN event_resource_instances x ON x.event_id = e.id "
                              "WHERE e.location_id = $1", location["id"])
        found = sorted((datetime.fromtimestamp(r["start_ts"], zone).strftime("%Y-%m-%d %H:%M"),
                        r["service_id"], r["staff_id"], r["room"]) for r in rows)
        assert found == expected
        hours = {datetime.fromtimestamp(r["start_ts"], zone).hour for r in rows}
        assert min(hours) >= 7 and max(hours) <= 20  # a studio's day, in its own zone


def test_some_classes_are_full_some_nearly_some_past_and_some_still_empty(seeded):
    url, at, described = seeded
    now = int(at.timestamp())
    rows = sql.fetch(url, "SELECT location_id, start_ts, capacity, clients_count FROM events")
    for location in DEMO["locations"]:
        mine = [r for r in rows if r["location_id"] == location["id"]]
        kinds = Counter("full" if r["clients_count"] == r["capacity"] else
                        "nearly" if r["clients_count"] == r["capacity"] - 1 else
                        "empty" if r["clients_count"] == 0 else "some" for r in mine)
        assert min(kinds["full"], kinds["nearly"], kinds["empty"], kinds["some"]) >= 3, kinds
        past = [r for r in mine if r["start_ts"] < now]
        assert 10 <= len(past) <= 20 and all(r["clients_count"] > 0 for r in past)
        events = next(x for x in described["locations"] if x["id"] == location["id"])["events"]
        assert events["count"] == len(mine) and events["full"] == kinds["full"]


def test_appointments_were_booked_before_their_class_by_the_demo_owner_and_the_regulars(seeded):
    url, at, _ = seeded
    late = sql.value(url, "SELECT COUNT(*) FROM records r JOIN events e ON e.id = r.event_id "
                          "WHERE r.created_at >= e.start_ts OR r.created_at > $1 OR r.booking_user_id <> $2",
                     int(at.timestamp()), DEMO["user"]["id"])
    assert late == 0
    # Only the fixture's clients are booked: none is created by a booking.
    assert sql.value(url, "SELECT COUNT(*) FROM clients") == 16
    assert sql.value(url, "SELECT COUNT(DISTINCT client_id) FROM records") == 16


def test_next_weeks_events_show_in_v2_and_v1_search_dates_range_spans_them(seeded):
    url, at, _ = seeded
    monday = at.date() + timedelta(days=7 - at.weekday())
    with TestClient(create_app(Settings(database_url=url), clock=FixedClock(at))) as client:
        for location in DEMO["locations"]:
            r = client.get(f"/api/v2/companies/{location['id']}/activities",
                           params={"filter[from]": f"{monday} 00:00:00",
                                   "filter[to]": f"{monday + timedelta(days=6)} 23:59:59"},
                           headers={"Authorization": AUTH, "Accept": V2})
            assert r.status_code == 200 and len(r.json()["data"]) == len(timetable.WEEK)
            r = client.get(f"/api/v1/activity/{location['id']}/search_dates_range",
                           headers={"Authorization": AUTH})
            today = at.astimezone(ZoneInfo(location["timezone"])).date()
            assert r.json()["data"] == {"min_date": str(today), "max_date": str(today + timedelta(days=27))}


def test_seeding_again_adds_nothing(seeded):
    url, at, _ = seeded
    before = sql.counts(url, TABLES)

    async def again() -> bool:
        db = open_database(url, pool_size=1)
        await db.connect()
        try:
            return await demo.seed(Deps(db, FixedClock(at + timedelta(days=3))))
        finally:
            await db.close()

    assert asyncio.run(again()) is False
    assert sql.counts(url, TABLES) == before


@pytest.mark.parametrize("seats", [0, 1, 4, 11, 12])
def test_appointments_take_exactly_the_seats_asked_by_distinct_clients(seats):
    regulars = [{"phone": str(i)} for i in range(8)]
    booked = timetable.appointments(seats, regulars, first=5)
    assert sum(n for _, n in booked) == seats
    assert len({c["phone"] for c, _ in booked}) == len(booked)
    assert all(1 <= n <= 3 for _, n in booked)


def test_more_seats_than_the_clients_can_take_is_refused():
    with pytest.raises(ValueError):
        timetable.appointments(13, [{"phone": str(i)} for i in range(2)], first=0)
