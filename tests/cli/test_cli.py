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
from tests import sql
from tests.cli.seven import AUTH as SEVEN_AUTH
from tests.cli.seven import TABLES, seven
from tests.conftest import V2
from tests.live_server import LiveServer

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
        team = sql.fetch(empty_url, "SELECT id, name, specialization FROM staff WHERE location_id = $1 "
                                    "ORDER BY id", lid)
        assert loc["team"] == team
        services = sql.fetch(empty_url, "SELECT id, title, is_group AS group_event, capacity, duration FROM services "
                                        "WHERE location_id = $1 ORDER BY id", lid)
        assert [{k: s[k] for k in services[0]} for s in loc["services"]] == [
            {**s, "group_event": bool(s["group_event"])} for s in services]
        rooms = sql.fetch(empty_url, "SELECT i.id, i.title, r.id AS resource_id, r.title AS resource_title "
                                     "FROM resource_instances i JOIN resources r ON r.id = i.resource_id "
                                     "WHERE i.location_id = $1 ORDER BY i.id", lid)
        assert [{k: i[k] for k in rooms[0]} for i in loc["resource_instances"]] == rooms
        client = loc["client"]
        assert sql.fetch(empty_url, "SELECT name, phone FROM clients WHERE id = $1 AND location_id = $2",
                         client["id"], lid) == [{"name": client["name"], "phone": client["phone"]}]
        events = sql.fetch(empty_url, "SELECT COUNT(*) AS n FROM events WHERE location_id = $1", lid)[0]["n"]
        appointments = sql.value(empty_url, "SELECT COUNT(*) FROM records WHERE location_id = $1", lid)
        assert loc["events"]["count"] == events == 65
        assert loc["events"]["appointments"] == appointments > 0

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
    again = cli("seed", "demo", "--database-url", url).stdout
    assert again.startswith("Demo data was already there; nothing added.\n")
    assert again.splitlines()[1:] == first.stdout.splitlines()


def test_the_seed_banner_shows_each_locations_team_services_rooms_client_and_events(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    lines = cli("seed", "demo", "--database-url", url).stdout.splitlines()
    prague = lines.index("  location 101: Demo Studio Prague (Europe/Prague)")
    assert lines[prague + 1:prague + 5] == [
        "    team members: 1001 Eva Dvorakova, 1002 Tomas Novak, 1003 Jan Svoboda",
        "    services:     1021 Morning yoga (group, 12 seats, 60 min), 1022 Pilates mat class (group, 8 seats, "
        "45 min), 1023 Padel clinic (group, 4 seats, 90 min), 1024 Personal training (not a group event, 60 min)",
        "    rooms:        1041 Room A, 1042 Room B, 1043 Court 1",
        "    client:       1061 Anna Novak (+420601000001)",
    ]
    count = sql.value(url, "SELECT COUNT(*) FROM events WHERE location_id = 101")
    assert count == 65 and lines[prague + 5].startswith(f"    events:       {count} from ")
    new_york = lines.index("  location 102: Demo Studio New York (America/New_York)")
    assert lines[new_york + 1] == "    team members: 2001 Maria Lopez, 2002 James Carter, 2003 Lena Park"
    assert lines[new_york + 3] == "    rooms:        2041 Room A, 2042 Room B, 2043 Court 1"


def test_load_a_yaml_fixture_into_an_empty_database(tmp_path):
    url = f"sqlite:///{tmp_path / 'seven.sqlite3'}"
    path = tmp_path / "seven.yaml"
    path.write_text(yaml.safe_dump(seven(), allow_unicode=True))
    done = cli("load", str(path), "--database-url", url)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("loaded: 1 chain, 2 locations, 1 position, 3 team members, 1 service category, "
                           "1 service, 1 resource, 1 resource instance, 2 tags, 1 client, 1 user, 1 partner token\n")
    with TestClient(create_app(Settings(database_url=url), clock=FixedClock(0))) as client:
        headers = {"Authorization": SEVEN_AUTH, "Accept": V2}
        positions = client.get("/api/v2/locations/701/positions", headers=headers).json()["data"]
        assert [p["id"] for p in positions] == ["500"]
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
        # Salon 701 only: a position shared with 702 would need write access there too.
        r = client.post("/api/v2/locations/701/positions", json={"title": "T", "salon_ids": [701]}, headers=headers)
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


WORKERS_WARNING = ("warning: SQLite lets one process write at a time, so 2 workers queue on its file lock; "
                   "use PostgreSQL for more than one worker")
NO_TOKEN_HINT = "hint: the database holds no partner token, so every request will be refused"


def test_serve_warns_when_sqlite_gets_more_than_one_worker(sqlite_template):
    with LiveServer(sqlite_template.fresh(), workers=2) as server:
        log = server.log()
    assert WORKERS_WARNING in log and NO_TOKEN_HINT not in log
    with LiveServer(sqlite_template.fresh()) as server:
        log = server.log()
    assert "warning:" not in log and "hint:" not in log


def test_serve_hints_how_to_get_a_partner_token_when_the_database_has_none(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.sqlite3'}"
    with LiveServer(url) as server:
        assert NO_TOKEN_HINT in server.log()
    assert cli("partner-token", "issue", "--name", "Mine", "--database-url", url).returncode == 0
    with LiveServer(url) as server:
        assert NO_TOKEN_HINT not in server.log()


@pytest.mark.parametrize("args, message", [
    (("bogus",), "error: altegio-server: argument command: invalid choice: 'bogus'"),
    (("seed", "demo", "--port", "eighty"), "error: altegio-server seed: argument --port: invalid int value: 'eighty'"),
    (("db",), "error: altegio-server db: the following arguments are required: db_command"),
    (("user", "grant", "a@b.example", "--location", "x"), "error: altegio-server user grant: argument --location: "
                                                           "'x' is not a location id"),
    (("load",), "error: altegio-server load: the following arguments are required: file"),
])
def test_a_command_line_that_cannot_be_parsed_is_one_error_line(args, message):
    done = cli(*args)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.startswith(message) and done.stderr.count("\n") == 1


def test_a_bad_setting_in_the_environment_is_one_error_line(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(SRC), "ALTEGIO_PORT": "eighty"}
    done = subprocess.run([sys.executable, "-m", "altegio_server", "user", "list", "--database-url",
                           f"sqlite:///{tmp_path / 'x.sqlite3'}"], capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == ("error: a setting of the environment is not usable: "
                           "invalid literal for int() with base 10: 'eighty'\n")


@pytest.mark.parametrize("args", [
    ("user", "grant", "nobody@demo.example", "--location", "101"),
    ("user", "revoke", "owner@demo.example", "--location", "999"),
    ("user", "set-password", "owner@demo.example", "--password", "short"),
    ("user", "create", "--name", "X", "--email", "owner@demo.example", "--password", "long-enough-pw"),
    ("partner-token", "revoke", "999"),
    ("partner-token", "issue", "--name", " "),
    ("load", "/nonexistent/file.yaml"),
])
def test_every_refused_command_says_error_on_stderr_and_exits_non_zero(sqlite_template, args):
    done = cli(*args, "--database-url", sqlite_template.fresh())
    assert done.returncode != 0 and done.stdout == ""
    assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
