"""The command line, run as a user runs it: a separate process against a real database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.clock import FixedClock
from altegio_server.config import Settings
from altegio_server.db.migrate import available
from tests import databases, sql
from tests.cli.seven import AUTH as SEVEN_AUTH
from tests.cli.seven import TABLES, seven
from tests.conftest import V2

SRC = Path(__file__).resolve().parents[2] / "src"


def cli(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    env.pop("ALTEGIO_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "altegio_server", *args], capture_output=True, text=True,
                          env=env, timeout=120)


def test_db_upgrade_creates_the_schema_once(empty_url):
    versions = [version for version, _ in available()]
    first = cli("db", "upgrade", "--database-url", empty_url)
    assert (first.returncode, first.stdout, first.stderr) == (0, f"applied migrations: {versions}\n", "")
    again = cli("db", "upgrade", "--database-url", empty_url)
    assert (again.returncode, again.stdout, again.stderr) == (0, "the database is up to date\n", "")
    assert sql.counts(empty_url, ("chains", "events", "records", "schema_migrations")) == {
        "chains": 0, "events": 0, "records": 0, "schema_migrations": len(versions)}


def test_seed_demo_json_prints_one_object_whose_ids_exist_and_twice_adds_nothing(empty_url):
    first = cli("seed", "demo", "--json", "--database-url", empty_url)
    assert first.returncode == 0, first.stderr
    summary = json.loads(first.stdout)
    assert first.stdout.strip().count("\n") == 0
    counts = sql.counts(empty_url, TABLES)
    again = cli("seed", "demo", "--json", "--database-url", empty_url)
    assert again.returncode == 0 and json.loads(again.stdout) == summary
    assert sql.counts(empty_url, TABLES) == counts

    assert {"partner_token", "user_token", "user", "readonly_user_token", "chain_id", "locations"} <= set(summary)
    assert set(summary["user"]) >= {"id", "login", "password"}
    assert sql.value(empty_url, "SELECT COUNT(*) FROM chains WHERE id = $1", summary["chain_id"]) == 1
    for loc in summary["locations"]:
        lid = loc["id"]
        assert sql.value(empty_url, "SELECT timezone FROM locations WHERE id = $1", lid) == loc["timezone"]
        for table, key in (("staff", "staff_ids"), ("resource_instances", "resource_instance_ids")):
            found = sql.fetch(empty_url, f"SELECT id FROM {table} WHERE location_id = $1 ORDER BY id", lid)
            assert [r["id"] for r in found] == loc[key]
        groups = sql.fetch(empty_url, "SELECT id, is_group FROM services WHERE location_id = $1 ORDER BY id", lid)
        assert [r["id"] for r in groups if r["is_group"]] == loc["group_service_ids"]
        assert [r["id"] for r in groups if not r["is_group"]] == loc["other_service_ids"]
        linked = sql.fetch(empty_url, "SELECT position_id FROM position_locations WHERE location_id = $1 "
                                      "ORDER BY position_id", lid)
        assert [r["position_id"] for r in linked] == loc["position_ids"]
        for slug, number in (("common", 0), ("client", 1), ("record", 2), ("activity", 3)):
            tags = sql.fetch(empty_url, "SELECT id FROM tags WHERE location_id = $1 AND entity = $2 ORDER BY id",
                             lid, number)
            assert [r["id"] for r in tags] == loc["tag_ids"][slug]
        assert not sql.value(empty_url, "SELECT editable FROM tags WHERE id = $1", loc["readonly_tag_id"])

    auth = f"Bearer {summary['partner_token']}, User {summary['user_token']}"
    readonly = f"Bearer {summary['partner_token']}, User {summary['readonly_user_token']}"
    with TestClient(create_app(Settings(database_url=empty_url), clock=FixedClock(0))) as client:
        for loc in summary["locations"]:
            r = client.get(f"/api/v2/locations/{loc['id']}/tags", headers={"Authorization": auth, "Accept": V2})
            assert r.status_code == 200 and len(r.json()["data"]) == 5
        r = client.delete(f"/api/v2/locations/{summary['locations'][0]['id']}/positions/3",
                          headers={"Authorization": readonly, "Accept": V2})
        assert r.status_code == 403


def test_seed_demo_in_words_tells_what_to_try(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    first = cli("seed", "demo", "--database-url", url)
    assert first.returncode == 0
    assert "demo-partner-token" in first.stdout and "/api/v2/locations/101/tags" in first.stdout
    assert "already there" in cli("seed", "demo", "--database-url", url).stdout


def test_load_a_yaml_fixture_into_an_empty_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'seven.sqlite3'}"
    path = tmp_path / "seven.yaml"
    path.write_text(yaml.safe_dump(seven(), allow_unicode=True))
    done = cli("load", str(path), "--database-url", url)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("loaded: 1 chains, 2 locations, 1 positions")
    with TestClient(create_app(Settings(database_url=url), clock=FixedClock(0))) as client:
        headers = {"Authorization": SEVEN_AUTH, "Accept": V2}
        assert [p["id"] for p in client.get("/api/v2/locations/701/positions", headers=headers).json()["data"]] == ["500"]
        r = client.post("/api/v2/companies/701/tags", json={"title": "T", "color": "#000000"}, headers=headers)
        assert r.json()["data"]["id"] == "7053"


def test_load_a_json_fixture_beside_the_demo_on_postgresql(postgres_template, tmp_path):
    url = postgres_template.fresh()
    path = tmp_path / "seven.json"
    path.write_text(json.dumps(seven()))
    done = cli("load", str(path), "--database-url", url)
    assert done.returncode == 0, done.stderr
    with TestClient(create_app(Settings(database_url=url), clock=FixedClock(0))) as client:
        headers = {"Authorization": SEVEN_AUTH, "Accept": V2}
        r = client.post("/api/v2/locations/702/positions", json={"title": "T", "salon_ids": [702]},
                        headers={**headers})
        assert r.status_code == 403  # read-only there
        r = client.post("/api/v2/locations/701/positions", json={"title": "T", "salon_ids": [702]}, headers=headers)
        assert r.json()["data"]["id"] == "501"


def test_a_bad_fixture_fails_naming_each_place_and_loads_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'bad.sqlite3'}"
    assert cli("seed", "demo", "--database-url", url).returncode == 0
    before = sql.counts(url, TABLES)
    data = seven()
    location = data["chains"][0]["locations"][0]
    location["timezone"] = "Mars/Olympus"
    location["services"][0]["price_min"] = "cheap"
    location["tags"][0]["id"] = 1051  # the demo's
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    done = cli("load", str(path), "--database-url", url)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "nothing was loaded" in done.stderr
    assert "chains[0].locations[0].timezone: unknown IANA time zone 'Mars/Olympus'" in done.stderr
    assert "chains[0].locations[0].services[0].price_min: must be a number" in done.stderr
    assert "Traceback" not in done.stderr
    assert sql.counts(url, TABLES) == before
    # Fixed but for the id the demo holds: refused by the database check, naming the place.
    location["timezone"], location["services"][0]["price_min"] = "Asia/Tokyo", 1000
    path.write_text(yaml.safe_dump(data))
    done = cli("load", str(path), "--database-url", url)
    assert done.returncode == 1
    assert "chains[0].locations[0].tags[0].id: id 1051 is already in the database" in done.stderr
    assert sql.counts(url, TABLES) == before
    path.write_text("chains: [ {id: 1\n")
    done = cli("load", str(path), "--database-url", url)
    assert done.returncode == 1 and "not valid YAML" in done.stderr and "Traceback" not in done.stderr


def test_an_unusable_database_url_is_one_clear_line(tmp_path):
    for url in ("mysql://localhost/x", "postgresql://postgres@127.0.0.1:1/none"):
        done = cli("db", "upgrade", "--database-url", url)
        assert done.returncode == 2
        assert done.stderr.startswith("error: cannot open the database:") and "Traceback" not in done.stderr
