"""A notification committed with its booking survives a hard kill of the server (behaviour
20.3): a server killed with the notification still in the outbox, then started again over the
same database, delivers it exactly once. In sandbox mode, on SQLite and on PostgreSQL."""

from __future__ import annotations

import time

import httpx

from tests import factories as f
from tests.conftest import AUTH, NOW, PRAGUE, V2
from tests.live_server import LiveServer
from tests.webhooks.receiver import Receiver

LOC = PRAGUE["id"]
SANDBOX = {"ALTEGIO_SANDBOX": "1", "ALTEGIO_SANDBOX_TOKEN": "t", "ALTEGIO_WEBHOOK_POLL": "0.05"}
HELD = {**SANDBOX, "ALTEGIO_WEBHOOK_DELAY": "3600"}  # nothing is due before the kill
API = {"Authorization": AUTH, "Accept": V2}
CLIENT = {"name": "Kill", "surname": "Proof", "phone": "+420601000777", "email": "", "gender": 0}


def test_a_booking_committed_before_a_sigkill_is_announced_once_after_the_restart(database_url):
    event = f.make_event(database_url, capacity=10)
    workers = 2 if database_url.startswith("postgresql") else 1
    with Receiver() as receiver:
        first = LiveServer(database_url, workers=workers, frozen_time=NOW, env=HELD).start()
        try:
            r = httpx.post(f"{first.url}/api/v1/hooks_settings/{LOC}", headers=API, timeout=10,
                           json={"urls": [receiver.url], "active": True, "record": True})
            assert r.status_code == 200, r.text
            r = httpx.post(f"{first.url}/api/v2/locations/{LOC}/events/{event}/appointments", headers=API,
                           json={"client": CLIENT, "clients_count": 1}, timeout=10)
            assert r.status_code == 201, r.text  # committed, with its outbox row
            record = int(r.json()["data"]["id"])
            first.kill()  # SIGKILL to the whole process group
        finally:
            first.stop()
        queued = f.fetch(database_url, "SELECT resource, resource_id, status FROM webhook_outbox")
        assert queued == [{"resource": "record", "resource_id": record, "status": "create"}]
        assert receiver.received == []

        with LiveServer(database_url, frozen_time=NOW, env=SANDBOX) as again:  # sandbox mode: delay 0
            arrived = receiver.wait(1, timeout=30)
            time.sleep(0.5)  # room for a repeat, which must not come
            shown = httpx.get(f"{again.url}/api/v1/record/{LOC}/{record}", timeout=10,
                              headers={"Authorization": AUTH, "Accept": "application/json"})
            assert shown.status_code == 200, shown.text
            assert [a["body"] for a in receiver.received] == [
                {"company_id": LOC, "resource": "record", "resource_id": record, "status": "create",
                 "data": shown.json()["data"]}]
            assert len(arrived) == 1
        assert f.fetch(database_url, "SELECT id FROM webhook_outbox") == []
        logged = f.fetch(database_url, "SELECT resource_id, outcome FROM webhook_deliveries")
        assert logged == [{"resource_id": record, "outcome": "delivered"}]
