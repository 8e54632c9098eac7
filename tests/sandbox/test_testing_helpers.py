"""`altegio_server.testing`: the sandbox server in a thread, its controls as methods, and the
pytest plugin, run as an integrator's project would run it (behaviour 19.7)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from altegio_server.testing import Sandbox, SandboxError
from tests.conftest import NOW
from tests.event_factories import event_body
from tests.live_server import ROOT


@pytest.fixture
def running(database_url: str):
    with Sandbox(database_url, frozen_time=NOW, schedule=False) as sandbox:
        yield sandbox


def _book(sandbox: Sandbox, event_id: int, phone: str) -> httpx.Response:
    client = {"phone": phone, "name": "Jo", "surname": "Doe", "email": "", "gender": 0}
    return httpx.post(f"{sandbox.base_url}/api/v2/locations/101/events/{event_id}/appointments",
                      json={"client": client, "clients_count": 1}, headers=sandbox.headers)


def _create(sandbox: Sandbox, **overrides) -> dict:
    r = httpx.post(f"{sandbox.base_url}/api/v2/locations/101/events", json=event_body(**overrides),
                   headers=sandbox.headers)
    assert r.status_code == 201, r.text
    return r.json()["data"]


def test_the_sandbox_serves_the_demo_over_real_http_with_its_ids(running: Sandbox):
    assert running.location_id == 101 and running.locations[1]["id"] == 102
    r = httpx.get(f"{running.base_url}/api/v2/locations/101/tags", headers=running.headers)
    assert r.status_code == 200 and len(r.json()["data"]) == 5
    assert running.authorization == f"Bearer {running.partner_token}, User {running.user_token}"


def test_the_clock_methods_move_the_servers_rules(running: Sandbox):
    assert running.clock.get() == {"now": NOW.isoformat(), "frozen": False, "offset_seconds": 0}
    event = _create(running, date="2027-01-12 09:00:00")
    running.clock.set("2027-01-12T08:00:00+01:00")
    assert running.clock.advance(hours=3)["now"] == "2027-01-12T10:00:00+00:00"
    assert _book(running, int(event["id"]), "+420777000201").status_code == 422  # the class has ended
    assert running.clock.real()["offset_seconds"] == 0
    assert _book(running, int(event["id"]), "+420777000202").status_code == 201


def test_snapshot_restore_and_reset_through_the_methods(running: Sandbox):
    event = _create(running)
    running.snapshot("with-class")
    assert [s["name"] for s in running.snapshots()] == ["with-class"]
    _book(running, int(event["id"]), "+420777000203")
    running.restore("with-class")
    r = httpx.get(f"{running.base_url}/api/v2/locations/101/events/{event['id']}", headers=running.headers)
    assert r.json()["data"]["attributes"]["clients_count"] == 0
    running.reset()
    r = httpx.get(f"{running.base_url}/api/v2/locations/101/events/{event['id']}", headers=running.headers)
    assert r.status_code == 404
    running.delete_snapshot("with-class")
    assert running.snapshots() == []


def test_faults_rate_limits_and_the_journal_through_the_methods(running: Sandbox):
    tags = f"{running.base_url}/api/v2/locations/101/tags"
    running.fault("GET", "/api/v2/locations/{location_id}/tags", 503, times=1)
    assert [httpx.get(tags, headers=running.headers).status_code for _ in range(2)] == [503, 200]
    running.rate_limit(per_second=1000, per_minute=1)
    assert [httpx.get(tags, headers=running.headers).status_code for _ in range(2)] == [200, 429]
    assert [e["status"] for e in running.requests(method="GET")] == [429, 200, 200, 503]


def test_fresh_puts_everything_back(running: Sandbox):
    event = _create(running)
    running.clock.advance(days=1)
    running.fault("GET", "/api/v2/locations/{location_id}/tags", 503)
    running.rate_limit(per_second=1, per_minute=1)
    running.fresh()
    assert running.clock.get()["offset_seconds"] == 0
    assert running.requests() == []
    r = httpx.get(f"{running.base_url}/api/v2/locations/101/events/{event['id']}", headers=running.headers)
    assert r.status_code == 404
    assert httpx.get(f"{running.base_url}/api/v2/locations/101/tags", headers=running.headers).status_code == 200


def test_a_control_that_answers_an_error_raises_with_its_status_and_body(running: Sandbox):
    with pytest.raises(SandboxError) as raised:
        running.restore("never-made")
    assert raised.value.status == 404
    assert raised.value.body == {"success": False, "data": None, "meta": {"message": "Not found"}}


def test_a_naive_datetime_is_refused_before_any_request():
    with pytest.raises(ValueError):
        Sandbox(frozen_time=NOW.replace(tzinfo=None))


def test_the_readmes_test_passes_with_the_plugin_as_an_integrator_runs_it(tmp_path: Path):
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Testing from Python"):]
    [code] = re.findall(r"```python\n(.*?)```", section, flags=re.S)[:1]
    (tmp_path / "test_readme.py").write_text(code)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    env.pop("ALTEGIO_DATABASE_URL", None)
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
                          cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 passed" in done.stdout
