"""Events announced under the extension flag `activity` (behaviour 20.2): created, replaced and
deleted through v1 or v2, and each copy a duplication makes, whole bodies at a real local receiver."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.config import Settings
from tests import factories as f
from tests.api.v1.v1_events import EVA, ROOM_A, V1, create, path, v1_body
from tests.conftest import PRAGUE, Api
from tests.event_factories import book_seats, events_path
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_delivery import FAST

LOC = PRAGUE["id"]
V2_BODY = {"staff_id": EVA, "service_id": 1021, "resource_instance_ids": [ROOM_A], "label_ids": [],
           "date": "2027-01-15 09:00:00", "length": 3600, "capacity": 10}


@pytest.fixture
def hooks_api(database_url, clock) -> Iterator[Api]:
    app = create_app(Settings(database_url=database_url, **FAST), clock=clock)  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client)


@pytest.fixture
def v1(hooks_api) -> V1:
    return V1(hooks_api)


def hook(api: Api, url: str, **flags: bool) -> None:
    r = api.post(f"/api/v1/hooks_settings/{LOC}", json={"urls": [url], "active": True, **flags})
    assert r.status_code == 200, r.text


def notification(event: dict[str, Any], status: str) -> dict[str, Any]:
    return {"company_id": LOC, "resource": "activity", "resource_id": event["id"], "status": status, "data": event}


def shown(v1: V1, event_id: int) -> dict[str, Any]:
    """The event as `GET /api/v1/activity/{location_id}/{event_id}` shows it now."""
    r = v1.get(path(tail=event_id))
    assert r.status_code == 200, r.text
    return dict(r.json()["data"])


def test_an_event_created_replaced_and_deleted_through_v1_arrives_whole_in_order(v1, hooks_api, clock):
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, activity=True)
        created = create(v1)
        assert receiver.bodies(1) == [notification(created, "create")]

        clock.advance(60)
        r = v1.put(path(tail=created["id"]), json=v1_body(capacity=4, comment="Moved"))
        assert r.status_code == 200, r.text
        assert receiver.bodies(2)[1] == notification(r.json()["data"], "update")

        clock.advance(60)
        assert v1.delete(path(tail=created["id"])).status_code == 202
        gone = shown(v1, created["id"])
        assert gone["is_deleted"] is True
        assert receiver.bodies(3)[2] == notification(gone, "delete")


def test_an_event_written_through_v2_is_announced_with_its_v1_object(v1, hooks_api, clock):
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, activity=True)
        r = hooks_api.post(events_path(), json=V2_BODY)
        assert r.status_code == 201, r.text
        event_id = int(r.json()["data"]["id"])
        assert receiver.bodies(1) == [notification(shown(v1, event_id), "create")]
        clock.advance(60)
        r = hooks_api.put(events_path(event_id=event_id), json={**V2_BODY, "capacity": 6})
        assert r.status_code == 200, r.text
        assert receiver.bodies(2)[1] == notification(shown(v1, event_id), "update")
        assert receiver.bodies(2)[1]["data"]["capacity"] == 6
        assert hooks_api.delete(events_path(event_id=event_id)).status_code in (200, 204)
        assert receiver.bodies(3)[2] == notification(shown(v1, event_id), "delete")


def test_a_duplication_announces_one_create_per_copy(v1, hooks_api):
    event = create(v1, resource_instance_ids=[ROOM_A])
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, activity=True)
        r = v1.post(path(tail=f"{event['id']}/duplicate"),
                    json={"dates": ["2027-01-22T09:00:00", "2027-01-16 09:00"], "content_type": 1})
        assert r.status_code == 200, r.text
        copies = sorted(c["id"] for c in r.json()["data"])
        arrived = sorted(receiver.bodies(2), key=lambda b: b["resource_id"])
        assert arrived == [notification(shown(v1, copy), "create") for copy in copies]
        assert len(receiver.received) == 2


def test_a_duplication_with_appointments_announces_each_copy_then_its_appointments(v1, hooks_api, database_url):
    event = create(v1)
    book_seats(database_url, event["id"], 2)
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, activity=True, record=True)
        r = v1.post(path(tail=f"{event['id']}/duplicate"), json={"dates": ["2027-01-16T09:00:00"], "content_type": 2})
        assert r.status_code == 200, r.text
        copy = r.json()["data"][0]["id"]
        copied = f.fetch(database_url, "SELECT id FROM records WHERE event_id = $1", copy)[0]["id"]
        shown_record = hooks_api.get(f"/api/v1/record/{LOC}/{copied}", accept="application/json")
        assert shown_record.status_code == 200, shown_record.text
        assert sorted(receiver.bodies(2), key=lambda b: b["resource"]) == [
            notification(shown(v1, copy), "create"),
            {"company_id": LOC, "resource": "record", "resource_id": copied, "status": "create",
             "data": shown_record.json()["data"]}]
        assert f.fetch(database_url, "SELECT id FROM webhook_outbox") == []  # nothing more to come
        assert len(receiver.received) == 2


def test_deleting_an_event_with_only_the_activity_flag_announces_the_event_alone(v1, hooks_api, database_url):
    event = create(v1)
    book_seats(database_url, event["id"], 2)
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, activity=True)
        assert v1.delete(path(tail=event["id"])).status_code == 202
        assert receiver.bodies(1) == [notification(shown(v1, event["id"]), "delete")]
    assert f.fetch(database_url, "SELECT id FROM webhook_outbox") == []  # nothing more to send
    assert f.fetch(database_url, "SELECT resource, event_status FROM webhook_deliveries") == [
        {"resource": "activity", "event_status": "delete"}]


@pytest.mark.parametrize("flags", [{"record": True, "client": True}, {}])
def test_events_announce_nothing_unless_the_activity_flag_is_on(v1, hooks_api, database_url, flags):
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, **flags)
        created = create(v1)
        v1.put(path(tail=created["id"]), json=v1_body(capacity=4))
        v1.delete(path(tail=created["id"]))
        assert f.fetch(database_url, "SELECT id FROM webhook_outbox") == []
        assert receiver.received == []


def test_events_announce_nothing_while_the_settings_are_inactive(v1, hooks_api, database_url):
    r = hooks_api.post(f"/api/v1/hooks_settings/{LOC}", json={"urls": ["http://127.0.0.1:9/"], "active": False,
                                                               "activity": True})
    assert r.status_code == 200
    created = create(v1)
    v1.put(path(tail=created["id"]), json=v1_body(capacity=4))
    v1.delete(path(tail=created["id"]))
    assert f.fetch(database_url, "SELECT id FROM webhook_outbox") == []


def test_a_refused_event_write_announces_nothing(v1, hooks_api, database_url):
    event = create(v1)
    book_seats(database_url, event["id"], 3)
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, activity=True)
        assert v1.put(path(tail=event["id"]), json=v1_body(capacity=2)).status_code == 422  # below the seats booked
        assert v1.post(path(), json=v1_body(capacity=0)).status_code == 422
        create(v1, date="2027-01-20 09:00")  # a later write still arrives, alone
        assert [b["status"] for b in receiver.bodies(1)] == ["create"]
        assert f.fetch(database_url, "SELECT resource_id FROM webhook_outbox") == []
    assert len(receiver.received) == 1
