"""Clients written through the v1 clients endpoints are announced (behaviour 20.2): created
(a revived one too), replaced and deleted, whole bodies at a real local receiver."""

from __future__ import annotations

from typing import Any, Iterator

import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.config import Settings

from tests import factories as f
from tests.api.v1.test_client_writes import JAMES, shown
from tests.conftest import PRAGUE, Api
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_delivery import FAST, hook, wait_logged

LOC = PRAGUE["id"]
CREATE = f"/api/v1/clients/{LOC}"


@pytest.fixture
def hooks_api(database_url, clock) -> Iterator[Api]:
    app = create_app(Settings(database_url=database_url, **FAST), clock=clock)  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client)


def one(client_id: int) -> str:
    return f"/api/v1/client/{LOC}/{client_id}"


def notification(client: dict[str, Any], status: str) -> dict[str, Any]:
    return {"company_id": LOC, "resource": "client", "resource_id": client["id"], "status": status, "data": client}


def create(api, body: dict[str, Any]) -> dict[str, Any]:
    r = api.post(CREATE, json=body, accept=None)
    assert r.status_code == 201, r.text
    return dict(r.json()["data"])


def test_creating_replacing_and_deleting_a_client_arrive_whole_in_order(hooks_api, database_url, clock):
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, record=False, client=True)
        james = create(hooks_api, JAMES)
        assert receiver.bodies(1) == [notification(james, "create")]

        clock.advance(60)
        r = hooks_api.put(one(james["id"]), json={"name": "Jim", "phone": "+1 315 555 0179"}, accept=None)
        assert r.status_code == 200, r.text
        jim = r.json()["data"]
        assert receiver.bodies(2)[1] == notification(jim, "update")

        clock.advance(60)
        assert hooks_api.delete(one(james["id"]), accept=None).status_code == 204
        gone = {**jim, "last_change_date": "2027-01-10T13:02:00+0100"}  # the deleted client as it was left
        assert receiver.bodies(3)[2] == notification(gone, "delete")


def test_a_deleted_client_brought_back_by_create_is_announced_as_created(hooks_api, database_url):
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, record=False, client=True)
        james = create(hooks_api, JAMES)
        assert hooks_api.delete(one(james["id"]), accept=None).status_code == 204
        back = create(hooks_api, {"name": "James", "phone": "+1 (315) 555-0179"})
        assert back["id"] == james["id"]
        assert [(b["status"], b["resource_id"]) for b in receiver.bodies(3)] == [
            ("create", james["id"]), ("delete", james["id"]), ("create", james["id"])]
        # Rendered at sending time: each body shows the client as the last write left them.
        assert receiver.bodies(3)[2] == notification(shown(james["id"], "James", "+13155550179"), "create")


@pytest.mark.parametrize("settings", [
    {"active": False, "client": True},
    {"active": True, "record": True},
])
def test_client_writes_announce_nothing_while_hooks_or_the_client_flag_are_off(hooks_api, database_url, settings):
    with Receiver() as receiver:
        r = hooks_api.post(f"/api/v1/hooks_settings/{LOC}", json={"urls": [receiver.url], **settings})
        assert r.status_code == 200
        james = create(hooks_api, JAMES)
        hooks_api.put(one(james["id"]), json={"name": "Jim", "phone": "+1 315 555 0179"}, accept=None)
        hooks_api.delete(one(james["id"]), accept=None)
        assert f.fetch(database_url, "SELECT id FROM webhook_outbox") == []
        assert receiver.received == []


def test_a_refused_client_write_announces_nothing(hooks_api, database_url):
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, record=False, client=True)
        james = create(hooks_api, JAMES)
        receiver.wait(1)
        assert hooks_api.post(CREATE, json=JAMES, accept=None).status_code == 422  # the phone is taken
        assert hooks_api.put(one(james["id"]), json={"name": ""}, accept=None).status_code in (400, 422)
        assert hooks_api.delete(one(999999), accept=None).status_code == 404
        create(hooks_api, {"name": "Petr", "phone": "420 603 000 002"})  # a later write still arrives
        assert [b["status"] for b in receiver.bodies(2)] == ["create", "create"]
        assert len(wait_logged(database_url, 2)) == 2
        assert len(receiver.received) == 2
