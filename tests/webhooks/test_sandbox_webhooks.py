"""`/_sandbox/webhooks/...` (behaviour 20.6): the delivery log, replay and a test notification."""

from __future__ import annotations

import json
import time
from typing import Any, Iterator

import pytest

from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, error
from tests.sandbox.conftest import Sandboxed, sandboxed
from tests.webhooks.receiver import Receiver
from tests.webhooks.test_delivery import book, hook, wait_logged

LOC = PRAGUE["id"]
FAST = {"webhook_poll": 0.05, "webhook_retry_interval": 0.05, "webhook_timeout": 2.0}
CHOICE = "The value you selected is not a valid choice."


@pytest.fixture
def sandbox(database_url, clock) -> Iterator[Sandboxed]:
    with sandboxed(database_url, clock, **FAST) as api:
        yield api


def listed(sandbox: Sandboxed, query: str = "") -> list[dict[str, Any]]:
    r = sandbox.control("GET", f"webhooks/deliveries{query}")
    assert r.status_code == 200, r.text
    return r.json()["data"]


def test_sandbox_mode_sends_at_once_and_lists_each_delivery_whole(sandbox, database_url):
    with Receiver(statuses=[500]) as receiver:
        hook(sandbox, receiver.url)
        record = book(sandbox, f.make_event(database_url, capacity=5))
        [request, _] = receiver.wait(2)
        wait_logged(database_url, 1)
    [d] = listed(sandbox)
    assert d == {"id": 1, "delivery_id": request["headers"]["X-Altegio-Server-Delivery"], "location_id": LOC,
                 "resource": "record", "resource_id": record, "url": receiver.url, "status": "delivered",
                 "http_status": 200, "attempts": 2, "latency_ms": d["latency_ms"], "error": None,
                 "sent_at": d["sent_at"], "notification": request["body"]}
    assert isinstance(d["latency_ms"], int) and d["sent_at"].endswith("+00:00")


def two_deliveries(sandbox: Sandboxed, database_url: str) -> str:
    """Two bookings announced to a receiver that answers 400 to the first; its URL."""
    with Receiver(statuses=[400]) as receiver:
        hook(sandbox, receiver.url)
        book(sandbox, f.make_event(database_url, capacity=5))
        wait_logged(database_url, 1)
        book(sandbox, f.make_event(database_url, capacity=5))
        wait_logged(database_url, 2)
    return receiver.url


def test_the_log_is_filtered_by_location_resource_and_status(sandbox, database_url):
    two_deliveries(sandbox, database_url)
    assert [d["status"] for d in listed(sandbox)] == ["delivered", "failed"]
    assert [d["id"] for d in listed(sandbox, "?status=failed")] == [1]
    assert [d["id"] for d in listed(sandbox, f"?location_id={LOC}&resource=record&limit=1")] == [2]
    assert listed(sandbox, f"?location_id={NEW_YORK['id']}") == []
    assert listed(sandbox, "?resource=client") == []


def test_bad_filters_are_400(sandbox):
    r = sandbox.control("GET", "webhooks/deliveries?status=lost&resource=x&limit=0&location_id=a")
    errors = {"location_id": ["This value should be a non-negative integer."],
              "limit": ["This value should be between 1 and 500."], "resource": [CHOICE], "status": [CHOICE]}
    assert (r.status_code, r.json()) == (400, error(errors["location_id"][0], errors))


def test_a_delivery_is_replayed_to_its_url_with_a_new_id(sandbox, database_url):
    with Receiver(statuses=[400]) as receiver:
        hook(sandbox, receiver.url)
        book(sandbox, f.make_event(database_url, capacity=5))
        wait_logged(database_url, 1)
        r = sandbox.control("POST", "webhooks/deliveries/1/replay")
        assert r.status_code == 200, r.text
        [again] = r.json()["data"]
        first, second = receiver.wait(2)
    assert second["raw"] == first["raw"]
    assert again["delivery_id"] == second["headers"]["X-Altegio-Server-Delivery"] != \
        first["headers"]["X-Altegio-Server-Delivery"]
    assert (again["id"], again["status"], again["http_status"], again["attempts"]) == (2, "delivered", 200, 1)


@pytest.mark.parametrize("delivery_id", [99, 2**63, 2**64])
def test_replaying_an_unknown_delivery_is_404(sandbox, delivery_id):
    r = sandbox.control("POST", f"webhooks/deliveries/{delivery_id}/replay")
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_test_notification_goes_to_every_url_even_while_hooks_are_off(sandbox):
    with Receiver() as one, Receiver(statuses=[503]) as two:
        sandbox.post(f"/api/v1/hooks_settings/{LOC}", json={"urls": [one.url, two.url]})
        r = sandbox.control("POST", "webhooks/test", json={"location_id": LOC})
        assert r.status_code == 200, r.text
        body = {"company_id": LOC, "resource": "test", "resource_id": 0, "status": "create", "data": {}}
        assert one.bodies(1) == two.bodies(1) == [body]
    assert sorted((d["url"], d["status"], d["http_status"], d["attempts"]) for d in r.json()["data"]) == \
        sorted([(one.url, "delivered", 200, 1), (two.url, "failed", 503, 1)])


def test_a_test_notification_needs_urls(sandbox):
    message = "The location has no webhook URLs."
    r = sandbox.control("POST", "webhooks/test", json={"location_id": LOC})
    assert (r.status_code, r.json()) == (422, error(message, {"location_id": [message]}))


def test_the_webhook_controls_need_the_sandbox_token(sandbox):
    r = sandbox.control("GET", "webhooks/deliveries", auth="Bearer wrong")
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))


def test_a_restore_keeps_the_delivery_log_and_sends_nothing_again(sandbox, database_url):
    assert sandbox.control("POST", "snapshots", json={"name": "before-hooks"}).status_code == 201
    with Receiver() as receiver:
        hook(sandbox, receiver.url)
        book(sandbox, f.make_event(database_url, capacity=5))
        receiver.wait(1)
        wait_logged(database_url, 1)
        assert sandbox.control("POST", "snapshots/before-hooks/restore").status_code == 200
        [delivered] = listed(sandbox)
        assert delivered["status"] == "delivered"  # the log is the sandbox's, not the business's state
        r = sandbox.get(f"/api/v1/hooks_settings/{LOC}", accept=None)
        assert r.json()["data"]["active"] is False  # the settings went back with the rest
        time.sleep(0.5)  # ten polls of the dispatcher: nothing is announced again
        assert len(receiver.received) == 1


def test_the_command_line_reads_the_same_delivery_log(sandbox, database_url):
    from tests.cli.test_cli import cli

    url = two_deliveries(sandbox, database_url)
    over_http = listed(sandbox)
    done = cli("webhooks", "deliveries", "--json", "--database-url", database_url)
    assert (done.returncode, done.stderr) == (0, "")
    assert json.loads(done.stdout) == over_http
    done = cli("webhooks", "deliveries", "--status", "failed", "--location", str(LOC), "--database-url", database_url)
    [line] = done.stdout.splitlines()
    assert line.startswith("1\t") and "\tfailed\t400\t1 attempt(s)\t" in line and line.endswith(url)
    done = cli("webhooks", "deliveries", "--limit", "0", "--database-url", database_url)
    assert done.returncode == 2 and done.stderr.startswith("error: ") and "1 to 500" in done.stderr
