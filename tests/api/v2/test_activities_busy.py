"""v2 group events: a team member or resource instance cannot be in two places at once (behaviour 4.4)."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from altegio_server.api.app import create_app
from altegio_server.config import Settings
from altegio_server.db import open_database
from tests.conftest import AUTH, PRAGUE, V2, error
from tests.event_factories import create_event, event_body, events_path, run_sql

ROOM_A, ROOM_B, COURT = PRAGUE["resource_instance_ids"]
EVA_BUSY = 'The team member "Eva Dvorakova" is busy at this time'


def busy(message: str) -> dict:
    return error(message)


def one_hour_at(time: str, **overrides) -> dict:
    """An hour-long event with no technical break, starting at `time` on 2027-01-15."""
    return event_body(**{"date": f"2027-01-15 {time}", "length": 3600, "technical_break_duration": 0, **overrides})


def events_stored(database_url: str) -> int:
    return run_sql(database_url, "SELECT COUNT(*) AS n FROM events")[0]["n"]


def test_overlapping_the_end_by_one_minute_is_409(api, database_url):
    create_event(api, **one_hour_at("09:00:00"))
    r = api.post(events_path(), json=one_hour_at("09:59:00"))
    assert (r.status_code, r.json()) == (409, busy(EVA_BUSY))
    assert events_stored(database_url) == 1


def test_overlapping_the_start_by_one_minute_is_409(api):
    create_event(api, **one_hour_at("09:00:00"))
    r = api.post(events_path(), json=one_hour_at("08:01:00"))
    assert (r.status_code, r.json()) == (409, busy(EVA_BUSY))


def test_an_event_inside_another_is_409(api):
    create_event(api, **one_hour_at("09:00:00", length=7200))
    r = api.post(events_path(), json=one_hour_at("09:30:00", length=1800))
    assert (r.status_code, r.json()) == (409, busy(EVA_BUSY))


def test_back_to_back_events_do_not_conflict(api):
    create_event(api, **one_hour_at("09:00:00"))
    assert api.post(events_path(), json=one_hour_at("10:00:00")).status_code == 201
    assert api.post(events_path(), json=one_hour_at("08:00:00")).status_code == 201


def test_the_technical_break_counts_as_busy(api):
    create_event(api, date="2027-01-15 09:00:00", length=3600)  # the default 1200 s break: busy until 10:20
    r = api.post(events_path(), json=one_hour_at("10:10:00"))
    assert (r.status_code, r.json()) == (409, busy(EVA_BUSY))
    assert api.post(events_path(), json=one_hour_at("10:20:00")).status_code == 201


def test_force_skips_the_check_and_is_remembered(api, database_url):
    create_event(api, **one_hour_at("09:00:00", resource_instance_ids=[ROOM_A]))
    forced = create_event(api, **one_hour_at("09:30:00", resource_instance_ids=[ROOM_A], force=True))
    assert forced["attributes"]["date"] == "2027-01-15T09:30:00+0100"
    stored = run_sql(database_url, "SELECT forced FROM events ORDER BY id")
    assert [bool(r["forced"]) for r in stored] == [False, True]


def test_force_false_still_checks(api):
    create_event(api, **one_hour_at("09:00:00"))
    r = api.post(events_path(), json=one_hour_at("09:30:00", force=False))
    assert (r.status_code, r.json()) == (409, busy(EVA_BUSY))


def test_another_team_member_at_the_same_time_is_fine(api):
    create_event(api, **one_hour_at("09:00:00"))
    assert api.post(events_path(), json=one_hour_at("09:00:00", staff_id=1002)).status_code == 201


def test_a_deleted_event_does_not_block(api):
    gone = create_event(api, **one_hour_at("09:00:00", resource_instance_ids=[ROOM_A]))
    api.delete(events_path(event_id=gone["id"]))
    assert api.post(events_path(), json=one_hour_at("09:00:00", resource_instance_ids=[ROOM_A])).status_code == 201


def test_an_update_does_not_conflict_with_itself(api):
    created = create_event(api, **one_hour_at("09:00:00", resource_instance_ids=[ROOM_A]))
    r = api.put(events_path(event_id=created["id"]), json=one_hour_at("09:30:00", resource_instance_ids=[ROOM_A]))
    assert r.status_code == 200
    assert r.json()["data"]["attributes"]["date"] == "2027-01-15T09:30:00+0100"


def test_an_update_onto_another_event_is_409_and_changes_nothing(api):
    create_event(api, **one_hour_at("09:00:00"))
    later = create_event(api, **one_hour_at("11:00:00"))
    r = api.put(events_path(event_id=later["id"]), json=one_hour_at("09:30:00"))
    assert (r.status_code, r.json()) == (409, busy(EVA_BUSY))
    assert api.get(events_path(event_id=later["id"])).json()["data"] == later


def test_a_resource_instance_in_use_is_409(api):
    create_event(api, **one_hour_at("09:00:00", resource_instance_ids=[ROOM_A]))
    r = api.post(events_path(), json=one_hour_at("09:30:00", staff_id=1002, resource_instance_ids=[ROOM_B, ROOM_A]))
    assert (r.status_code, r.json()) == (409, busy('The resource instance "Room A" is busy at this time'))


def test_another_resource_instance_at_the_same_time_is_fine(api):
    create_event(api, **one_hour_at("09:00:00", resource_instance_ids=[ROOM_A]))
    r = api.post(events_path(), json=one_hour_at("09:00:00", staff_id=1002, resource_instance_ids=[ROOM_B]))
    assert r.status_code == 201


def test_every_busy_thing_is_named(api):
    create_event(api, **one_hour_at("09:00:00", resource_instance_ids=[ROOM_A]))
    create_event(api, **one_hour_at("09:00:00", staff_id=1002, resource_instance_ids=[ROOM_B]))
    r = api.post(events_path(), json=one_hour_at("09:30:00", resource_instance_ids=[ROOM_B, COURT, ROOM_A]))
    message = 'The team member "Eva Dvorakova" and the resource instances "Room B", "Room A" are busy at this time'
    assert (r.status_code, r.json()) == (409, busy(message))


def test_an_event_of_a_long_day_before_still_blocks(api):
    create_event(api, date="2027-01-14 09:00:00", length=86400, technical_break_duration=0)
    r = api.post(events_path(), json=one_hour_at("08:00:00"))
    assert (r.status_code, r.json()) == (409, busy(EVA_BUSY))
    assert api.post(events_path(), json=one_hour_at("09:00:00")).status_code == 201


async def _race(database_url: str, clock, bodies: list[dict]) -> list[int]:
    """Send the create requests all at once to one server; their status codes."""
    db = open_database(database_url, pool_size=len(bodies))
    await db.connect()
    try:
        app = create_app(Settings(database_url=database_url), clock=clock, database=db)
        transport = httpx.ASGITransport(app=app)
        headers = {"Authorization": AUTH, "Accept": V2}
        async with httpx.AsyncClient(transport=transport, base_url="http://test", headers=headers) as client:
            answers = await asyncio.gather(*(client.post(events_path(), json=b) for b in bodies))
    finally:
        await db.close()
    return sorted(a.status_code for a in answers)


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_creates_for_one_team_member_let_exactly_one_through(database_url, clock, attempt):
    bodies = [one_hour_at(f"09:{minute:02d}:00") for minute in (0, 10, 20, 30, 40)]
    assert asyncio.run(_race(database_url, clock, bodies)) == [201, 409, 409, 409, 409]
    assert events_stored(database_url) == 1


@pytest.mark.parametrize("attempt", range(3))
def test_concurrent_creates_for_one_resource_instance_let_exactly_one_through(database_url, clock, attempt):
    bodies = [one_hour_at("09:00:00", staff_id=s, resource_instance_ids=[ROOM_B, ROOM_A]) for s in (1001, 1002)]
    bodies.append(one_hour_at("09:00:00", staff_id=1003, service_id=1023, resource_instance_ids=[ROOM_A]))
    assert asyncio.run(_race(database_url, clock, bodies)) == [201, 409, 409]
    assert events_stored(database_url) == 1
