"""The outbox (behaviour 20.3): a row per announced change, written in the change's own
transaction, only while the location's hooks are on for the resource."""

from __future__ import annotations

from typing import Iterator

import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.config import Settings
from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, Api

LOC = PRAGUE["id"]
HOOKS = f"/api/v1/hooks_settings/{LOC}"
JOHN = {"name": "John", "phone": "+1 315 555-0175", "email": "john@example.com", "surname": "Smith", "gender": 1}


def outbox(url: str) -> list[tuple]:
    rows = f.fetch(url, "SELECT location_id, resource, resource_id, status FROM webhook_outbox ORDER BY id")
    return [(r["location_id"], r["resource"], r["resource_id"], r["status"]) for r in rows]


def appointments(event_id: int) -> str:
    return f"/api/v2/locations/{LOC}/events/{event_id}/appointments"


def book(api, event_id: int, **body) -> int:
    r = api.post(appointments(event_id), json={"client": JOHN, "clients_count": 1, **body})
    assert r.status_code == 201, r.text
    return int(r.json()["data"]["id"])


@pytest.fixture
def api(database_url, clock) -> Iterator[Api]:
    """The API with a delay no test reaches: the rows stay in the outbox to be read."""
    app = create_app(Settings(database_url=database_url, webhook_delay=3600.0), clock=clock)
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client)


@pytest.fixture
def hooked(api) -> None:
    r = api.post(HOOKS, json={"urls": ["http://127.0.0.1:9/"], "active": True, "record": True})
    assert r.status_code == 200


@pytest.mark.usefixtures("hooked")
def test_booking_changing_moving_and_cancelling_are_each_announced_in_order(api, database_url):
    first, second = f.make_event(database_url, capacity=5), f.make_event(database_url, capacity=5)
    fast = book(api, first)  # by phone alone: the one-statement booking on PostgreSQL
    checked = book(api, first, client={**JOHN, "phone": "+420601000999"}, labels=[PRAGUE["tag_ids"]["record"][0]])
    assert api.put(f"{appointments(first)}/{fast}", json={"comment": "aisle"}).status_code == 200
    assert api.put(f"{appointments(first)}/{fast}", json={"reschedule_activity_id": second}).status_code == 200
    assert api.delete(f"/api/v2/locations/{LOC}/appointments/{checked}").status_code == 204
    assert outbox(database_url) == [(LOC, "record", fast, "create"), (LOC, "record", checked, "create"),
                                    (LOC, "record", fast, "update"), (LOC, "record", fast, "update"),
                                    (LOC, "record", checked, "delete")]


@pytest.mark.usefixtures("hooked")
def test_deleting_an_event_announces_each_active_appointment_cancelled(api, database_url):
    event = f.make_event(database_url, capacity=5)
    one, two = book(api, event), book(api, event, client={**JOHN, "phone": "+420601000998"})
    assert api.delete(f"/api/v2/locations/{LOC}/appointments/{two}").status_code == 204
    assert api.delete(f"/api/v2/locations/{LOC}/events/{event}").status_code in (200, 204)
    assert outbox(database_url)[-1:] == [(LOC, "record", one, "delete")]
    assert len(outbox(database_url)) == 4


@pytest.mark.usefixtures("hooked")
def test_a_refused_booking_announces_nothing(api, database_url):
    full = f.make_event(database_url, capacity=1, clients_count=1)
    r = api.post(appointments(full), json={"client": JOHN, "clients_count": 1})
    assert r.status_code == 422
    other = f.make_event(database_url, capacity=5)
    book(api, other)
    r = api.post(appointments(other), json={"client": JOHN, "clients_count": 1})  # already booked
    assert r.status_code == 422
    assert [row[3] for row in outbox(database_url)] == ["create"]


@pytest.mark.parametrize("settings", [
    {"urls": ["http://127.0.0.1:9/"], "active": False, "record": True},
    {"urls": ["http://127.0.0.1:9/"], "active": True, "master": True},
])
def test_nothing_is_queued_while_hooks_are_off_or_the_record_flag_is(api, database_url, settings):
    api.post(HOOKS, json=settings)
    event = f.make_event(database_url, capacity=5)
    record = book(api, event)
    api.put(f"{appointments(event)}/{record}", json={"comment": "x"})
    api.delete(f"/api/v2/locations/{LOC}/appointments/{record}")
    assert outbox(database_url) == []


def test_another_locations_hooks_do_not_announce_this_locations_changes(api, database_url):
    api.post(f"/api/v1/hooks_settings/{NEW_YORK['id']}", json={"urls": ["http://127.0.0.1:9/"], "active": True,
                                                                 "record": True})
    book(api, f.make_event(database_url, capacity=5))
    assert outbox(database_url) == []


def test_a_booking_announces_its_client_created_then_updated(api, database_url):
    api.post(HOOKS, json={"urls": ["http://127.0.0.1:9/"], "active": True, "record": True, "client": True})
    first, second = f.make_event(database_url, capacity=5), f.make_event(database_url, capacity=5)
    one = book(api, first)  # the one-statement booking on PostgreSQL
    two = book(api, second, labels=[PRAGUE["tag_ids"]["record"][0]])  # the checked booking, the same client
    three = book(api, first, client={**JOHN, "phone": "+420601000555"}, labels=[PRAGUE["tag_ids"]["record"][0]])
    john = f.clients_with_phone(database_url, LOC, "+13155550175")[0]
    other = f.clients_with_phone(database_url, LOC, "+420601000555")[0]
    assert outbox(database_url) == [(LOC, "client", john, "create"), (LOC, "record", one, "create"),
                                    (LOC, "client", john, "update"), (LOC, "record", two, "create"),
                                    (LOC, "client", other, "create"), (LOC, "record", three, "create")]


def test_a_fast_booking_of_a_known_client_announces_an_update(api, database_url):
    api.post(HOOKS, json={"urls": ["http://127.0.0.1:9/"], "active": True, "client": True})
    book(api, f.make_event(database_url, capacity=5))
    book(api, f.make_event(database_url, capacity=5))
    john = f.clients_with_phone(database_url, LOC, "+13155550175")[0]
    assert outbox(database_url) == [(LOC, "client", john, "create"), (LOC, "client", john, "update")]


def test_a_refused_booking_announces_no_client(api, database_url):
    api.post(HOOKS, json={"urls": ["http://127.0.0.1:9/"], "active": True, "client": True})
    full = f.make_event(database_url, capacity=1, clients_count=1)
    assert api.post(appointments(full), json={"client": JOHN, "clients_count": 1}).status_code == 422
    assert outbox(database_url) == []
