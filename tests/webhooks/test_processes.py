"""Several server processes over one database (behaviour 20.4): each sends what it claims, and
every notification arrives once, whichever process took the booking."""

from __future__ import annotations

import time

import httpx

from tests import factories as f
from tests.conftest import AUTH, NOW, PRAGUE
from tests.live_server import LiveServer
from tests.webhooks.receiver import Receiver

LOC = PRAGUE["id"]
ENV = {"ALTEGIO_WEBHOOK_DELAY": "0", "ALTEGIO_WEBHOOK_POLL": "0.05"}


def test_notifications_booked_through_several_processes_arrive_once_each(database_url):
    workers = 2 if database_url.startswith("postgresql") else 1
    headers = {"Authorization": AUTH, "Accept": "application/vnd.api.v2+json"}
    with Receiver() as receiver, LiveServer(database_url, workers=workers, frozen_time=NOW, env=ENV) as one, \
            LiveServer(database_url, frozen_time=NOW, env=ENV) as two:
        r = httpx.post(f"{one.url}/api/v1/hooks_settings/{LOC}", headers=headers,
                       json={"urls": [receiver.url], "active": True, "record": True})
        assert r.status_code == 200, r.text
        event = f.make_event(database_url, capacity=50)
        booked = []
        for i in range(12):
            server = (one, two)[i % 2]
            client = {"name": "N", "surname": "S", "email": "", "gender": 0, "phone": f"+4206010002{i:02d}"}
            r = httpx.post(f"{server.url}/api/v2/locations/{LOC}/events/{event}/appointments", headers=headers,
                           json={"client": client, "clients_count": 1})
            assert r.status_code == 201, r.text
            booked.append(int(r.json()["data"]["id"]))
        arrived = receiver.wait(12, timeout=30)
        time.sleep(0.5)
        assert sorted(b["body"]["resource_id"] for b in arrived) == sorted(booked)
        assert len(receiver.received) == 12
