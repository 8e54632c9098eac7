"""Webhooks end to end (behaviour 20.3-20.5): changes through the API arrive at a real local
receiver, whole bodies compared, with the retry policy and the delivery log."""

from __future__ import annotations

import time
from typing import Any, Iterator

import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.config import Settings
from altegio_server.webhooks.rules import signature_matches
from tests import factories as f
from tests.api.v1.test_records import JOHN, expected
from tests.conftest import PRAGUE, Api
from tests.webhooks.receiver import Receiver

LOC = PRAGUE["id"]
FAST = {"webhook_delay": 0.0, "webhook_poll": 0.05, "webhook_retry_interval": 0.05, "webhook_timeout": 2.0}


@pytest.fixture
def hooks_api(database_url, clock) -> Iterator[Api]:
    app = create_app(Settings(database_url=database_url, **FAST), clock=clock)  # type: ignore[arg-type]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield Api(client)


def hook(api: Api, url: str, **extra: Any) -> None:
    r = api.post(f"/api/v1/hooks_settings/{LOC}", json={"urls": [url], "active": True, "record": True, **extra})
    assert r.status_code == 200, r.text


def notification(record: dict[str, Any], status: str) -> dict[str, Any]:
    return {"company_id": LOC, "resource": "record", "resource_id": record["id"], "status": status, "data": record}


def book(api: Api, event_id: int, client: dict[str, Any] | None = None) -> int:
    r = api.post(f"/api/v2/locations/{LOC}/events/{event_id}/appointments",
                 json={"client": client or JOHN, "clients_count": 1})
    assert r.status_code == 201, r.text
    return int(r.json()["data"]["id"])


def client_id(url: str, phone: str) -> int:
    return f.clients_with_phone(url, LOC, phone)[0]


def deliveries(url: str) -> list[tuple]:
    rows = f.fetch(url, "SELECT resource_id, event_status, outcome, http_status, attempts, error "
                        "FROM webhook_deliveries ORDER BY id")
    return [tuple(r.values()) for r in rows]


def wait_logged(url: str, count: int) -> list[tuple]:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        found = deliveries(url)
        if len(found) >= count:
            return found
        time.sleep(0.02)
    raise AssertionError(f"{deliveries(url)} logged, {count} expected")


def test_booking_moving_cancelling_and_deleting_an_event_arrive_whole(hooks_api, database_url, clock):
    first, second = f.make_event(database_url, capacity=5), f.make_event(database_url, capacity=5)
    with Receiver() as receiver:
        hook(hooks_api, receiver.url)
        record = book(hooks_api, first)
        john = client_id(database_url, "+13155550175")
        created = expected(database_url, record, event_id=first, client_id=john)
        assert receiver.bodies(1) == [notification(created, "create")]

        clock.advance(60)
        r = hooks_api.put(f"/api/v2/locations/{LOC}/events/{first}/appointments/{record}",
                          json={"reschedule_activity_id": second})
        assert r.status_code == 200
        moved = {**created, "activity_id": second,
                 "last_change_date": expected(database_url, record, event_id=second, client_id=john,
                                              changed=f.NOW_TS + 60)["last_change_date"]}
        assert receiver.bodies(2)[1] == notification(moved, "update")

        other = book(hooks_api, second, {**JOHN, "phone": "+420601000777"})
        receiver.wait(3)
        assert hooks_api.delete(f"/api/v2/locations/{LOC}/appointments/{other}").status_code == 204
        assert receiver.bodies(4)[3]["status"] == "delete"
        assert receiver.bodies(4)[3]["data"]["deleted"] is True

        clock.advance(60)
        assert hooks_api.delete(f"/api/v2/locations/{LOC}/events/{second}").status_code in (200, 204)
        cancelled = {**moved, "deleted": True,
                     "last_change_date": expected(database_url, record, event_id=second, client_id=john,
                                                  changed=f.NOW_TS + 120)["last_change_date"]}
        assert receiver.bodies(5)[4] == notification(cancelled, "delete")
        time.sleep(0.3)
        assert len(receiver.received) == 5
    for request in receiver.received:
        assert request["headers"]["Content-Type"] == "application/json"
        assert len(request["headers"]["X-Altegio-Server-Delivery"]) == 32
        assert "X-Altegio-Server-Signature" not in request["headers"]


def test_a_failing_receiver_is_tried_again_until_it_answers(hooks_api, database_url):
    with Receiver(statuses=[503, 500]) as receiver:
        hook(hooks_api, receiver.url)
        record = book(hooks_api, f.make_event(database_url, capacity=5))
        arrived = receiver.wait(3)
        assert [r["body"] for r in arrived] == [arrived[0]["body"]] * 3
        assert len({r["headers"]["X-Altegio-Server-Delivery"] for r in arrived}) == 1
        assert wait_logged(database_url, 1) == [(record, "create", "delivered", 200, 3, None)]


def test_a_receiver_answering_400_is_not_tried_again(hooks_api, database_url):
    with Receiver(statuses=[400]) as receiver:
        hook(hooks_api, receiver.url)
        record = book(hooks_api, f.make_event(database_url, capacity=5))
        assert wait_logged(database_url, 1) == [(record, "create", "failed", 400, 1, "answered 400")]
        time.sleep(0.3)
        assert len(receiver.received) == 1


def test_a_receiver_that_never_answers_well_is_given_up_after_the_retries(hooks_api, database_url):
    with Receiver(statuses=[502, 502, 502, 502]) as receiver:
        hook(hooks_api, receiver.url)
        record = book(hooks_api, f.make_event(database_url, capacity=5))
        assert wait_logged(database_url, 1) == [(record, "create", "failed", 502, 3, "answered 502")]
        assert len(receiver.received) == 3


def test_an_unreachable_receiver_is_logged_as_a_transport_error(hooks_api, database_url):
    with Receiver() as receiver:
        dead = receiver.url
    hook(hooks_api, dead)
    record = book(hooks_api, f.make_event(database_url, capacity=5))
    [(rid, status, outcome, http_status, attempts, error)] = wait_logged(database_url, 1)
    assert (rid, status, outcome, http_status, attempts) == (record, "create", "failed", None, 3)
    assert error.startswith("ConnectionRefusedError")


def test_a_signing_secret_signs_every_notification(hooks_api, database_url):
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, signing_secret="whsec_test")
        book(hooks_api, f.make_event(database_url, capacity=5))
        [request] = receiver.wait(1)
    header = request["headers"]["X-Altegio-Server-Signature"]
    assert signature_matches("whsec_test", header, request["raw"])
    assert not signature_matches("another", header, request["raw"])
    assert not signature_matches("whsec_test", header, request["raw"] + b" ")


def test_hooks_turned_off_before_delivery_send_nothing(hooks_api, database_url):
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, active=False)
        book(hooks_api, f.make_event(database_url, capacity=5))
        time.sleep(0.3)
        assert receiver.received == []
    assert f.fetch(database_url, "SELECT id FROM webhook_outbox") == []


def test_a_later_change_waits_until_the_earlier_notification_of_the_object_is_done(hooks_api, database_url):
    event = f.make_event(database_url, capacity=5)
    with Receiver(statuses=[503, 503]) as receiver:
        hook(hooks_api, receiver.url)
        record = book(hooks_api, event)
        r = hooks_api.put(f"/api/v2/locations/{LOC}/events/{event}/appointments/{record}", json={"comment": "x"})
        assert r.status_code == 200
        arrived = receiver.wait(4)
    assert [(a["body"]["resource_id"], a["body"]["status"]) for a in arrived] == \
        [(record, "create")] * 3 + [(record, "update")]


def test_a_booking_sends_its_client_whole_as_the_v1_client_read_shows_it(hooks_api, database_url):
    with Receiver() as receiver:
        hook(hooks_api, receiver.url, client=True)
        record = book(hooks_api, f.make_event(database_url, capacity=5))
        john = client_id(database_url, "+13155550175")
        arrived = sorted(receiver.bodies(2), key=lambda b: b["resource"])
    shown = hooks_api.get(f"/api/v1/client/{LOC}/{john}", accept=None).json()["data"]
    assert arrived[0] == {"company_id": LOC, "resource": "client", "resource_id": john, "status": "create",
                          "data": shown}
    assert (arrived[1]["resource"], arrived[1]["resource_id"], arrived[1]["status"]) == ("record", record, "create")
