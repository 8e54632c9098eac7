"""Reset and snapshots through HTTP (behaviour 19.3)."""

from __future__ import annotations

from tests.sandbox.conftest import Sandboxed
from tests.event_factories import create_event, events_path


def test_smoke(sandbox: Sandboxed):
    event = create_event(sandbox)
    r = sandbox.control("POST", "snapshots", json={"name": "one"})
    print(r.status_code, r.json())
    r = sandbox.control("GET", "snapshots")
    print(r.status_code, r.json())
    r = sandbox.control("POST", "reset")
    print(r.status_code, r.json())
    print(sandbox.get(events_path(event_id=event["id"])).status_code)
    r = sandbox.control("POST", "snapshots/one/restore")
    print(r.status_code, r.json())
    print(sandbox.get(events_path(event_id=event["id"])).status_code)
    assert 0
