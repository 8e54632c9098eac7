"""Starting over (behaviour 12.4, 12.5): `db reset --yes` empties the database, `load --replace`
swaps a business for the fixture's version, and the README's own fixture loads beside the demo."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from altegio_server.clients.models import ClientDetails
from altegio_server.events.service import EventInput, create_event
from altegio_server.provisioning import fixture
from altegio_server.records.models import Booking
from altegio_server.records.service import create_record
from altegio_server.users.service import log_in
from tests import sql
from tests.api.v1.test_auth import with_service
from tests.cli.seven import TABLES, seven
from tests.cli.test_cli import cli
from tests.databases import TABLES as EVERY_TABLE

README = Path(__file__).resolve().parents[2] / "README.md"
EVERY_TABLE = (*EVERY_TABLE, "user_tokens")
DEMO_ROWS = ("SELECT COUNT(*) FROM locations WHERE chain_id = 1", "SELECT COUNT(*) FROM staff WHERE location_id < 200",
             "SELECT COUNT(*) FROM users WHERE id IN (1, 2)", "SELECT COUNT(*) FROM tags WHERE location_id < 200")


def readme_fixture() -> dict:
    """The YAML example under the README's "Fixture files" heading, as the reader copies it."""
    section = README.read_text(encoding="utf-8").split("### Fixture files", 1)[1]
    block = re.search(r"```yaml\n(.*?)```", section, re.S)
    assert block, "the README's fixture section has no YAML example"
    return yaml.safe_load(block.group(1))


def demo_rows(url: str) -> list[int]:
    return [sql.value(url, query) for query in DEMO_ROWS]


def replace(url: str, data) -> tuple[dict, dict]:
    return with_service(url, lambda deps: fixture.replace(deps, data))


def test_the_readme_fixture_loads_beside_the_demo_once_and_again_with_replace(database_url):
    demo = demo_rows(database_url)
    counts = with_service(database_url, lambda deps: fixture.load(deps, readme_fixture()))
    assert (counts["chains"], counts["locations"], counts["services"], counts["users"]) == (1, 1, 2, 1)
    with pytest.raises(fixture.FixtureError) as caught:
        with_service(database_url, lambda deps: fixture.load(deps, readme_fixture()))
    assert "chains[0].id: id 7 is already in the database" in str(caught.value).splitlines()
    removed, loaded = replace(database_url, readme_fixture())
    assert loaded == counts
    assert {t: n for t, n in removed.items() if t in counts} == counts
    assert demo_rows(database_url) == demo


def test_the_readme_fixture_loads_with_the_command_line_into_what_make_run_seeds(empty_url, tmp_path):
    assert cli("seed", "demo", "--database-url", empty_url).returncode == 0
    path = tmp_path / "my-business.yaml"
    path.write_text(yaml.safe_dump(readme_fixture()))
    done = cli("load", str(path), "--database-url", empty_url)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout == ("loaded: 1 chain, 1 location, 1 position, 1 team member, 1 service category, "
                           "2 services, 1 resource, 1 resource instance, 2 tags, 1 client, 1 user, 1 partner token\n")
    again = cli("load", str(path), "--database-url", empty_url)
    assert again.returncode == 1 and again.stderr.startswith(f"error: {path}: nothing was loaded:\n")
    replaced = cli("load", str(path), "--replace", "--database-url", empty_url)
    assert (replaced.returncode, replaced.stderr) == (0, "")
    assert replaced.stdout == ("removed: 1 chain, 1 location, 1 position, 1 team member, 1 service category, "
                               "2 services, 1 resource, 1 resource instance, 2 tags, 1 client, 1 user, "
                               "1 partner token\n" + done.stdout)


def test_replace_removes_everything_under_the_named_chain_user_and_token(database_url):
    with_service(database_url, lambda deps: fixture.load(deps, seven()))
    event = with_service(database_url, lambda deps: create_event(deps, 701, EventInput(
        staff_id=7001, service_id=7021, date="2027-01-11 10:00", length=None, capacity=5,
        resource_instance_ids=[7041], label_ids=[7051])))
    with_service(database_url, lambda deps: create_record(deps, 701, event.id, Booking(
        seats=2, client=ClientDetails(phone="+81000000002", name="Yui")), 70))
    with_service(database_url, lambda deps: log_in(deps, "owner@seven.example", "pw-seven"))
    demo = demo_rows(database_url)

    smaller = seven()
    smaller["chains"][0]["title"] = "Seven Gyms, renamed"
    del smaller["chains"][0]["locations"][1]  # 702 goes
    smaller["chains"][0]["positions"][0]["salon_ids"] = [701]
    smaller["users"][0]["access"] = [{"location_id": 701}]
    removed, loaded = replace(database_url, smaller)
    assert removed == {"records": 1, "event_labels": 1, "event_resource_instances": 1, "events": 1, "clients": 2,
                       "tags": 2, "service_resources": 1, "service_staff": 2, "resource_instances": 1,
                       "resources": 1, "services": 1, "service_categories": 1, "staff": 3, "user_locations": 2,
                       "position_locations": 2, "positions": 1, "locations": 2, "chains": 1, "user_tokens": 1,
                       "users": 1, "partner_tokens": 1}
    assert loaded["locations"] == 1 and loaded["clients"] == 1
    assert sql.value(database_url, "SELECT title FROM chains WHERE id = 7") == "Seven Gyms, renamed"
    assert sql.value(database_url, "SELECT COUNT(*) FROM locations WHERE id = 702") == 0
    assert sql.value(database_url, "SELECT COUNT(*) FROM events WHERE location_id = 701") == 0
    assert sql.value(database_url, "SELECT COUNT(*) FROM user_tokens") == 0
    assert demo_rows(database_url) == demo


def test_a_replace_refused_for_another_clash_removes_nothing(database_url):
    with_service(database_url, lambda deps: fixture.load(deps, seven()))
    before = sql.counts(database_url, TABLES)
    clashing = seven()
    clashing["chains"][0]["locations"][0]["tags"][0]["id"] = 1051  # the demo's, in another chain
    with pytest.raises(fixture.FixtureError) as caught:
        replace(database_url, clashing)
    assert str(caught.value).splitlines() == ["chains[0].locations[0].tags[0].id: id 1051 is already in the database"]
    assert sql.counts(database_url, TABLES) == before


def test_replace_of_what_is_not_there_is_a_plain_load(database_url):
    removed, loaded = replace(database_url, seven())
    assert removed == {} and loaded["chains"] == 1


def test_db_reset_without_yes_refuses_in_one_line_and_keeps_everything(database_url):
    before = sql.counts(database_url, EVERY_TABLE)
    done = cli("db", "reset", "--database-url", database_url)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "error: db reset deletes everything the database holds; add --yes to confirm\n"
    assert sql.counts(database_url, EVERY_TABLE) == before


def test_db_reset_empties_every_table_keeps_the_schema_and_the_demo_comes_back_with_its_ids(empty_url):
    first = cli("seed", "demo", "--json", "--database-url", empty_url)
    assert first.returncode == 0
    ids = {t: sql.fetch(empty_url, f"SELECT id FROM {t} ORDER BY id") for t in ("events", "records", "clients")}
    with_service(empty_url, lambda deps: log_in(deps, "owner@demo.example", "demo-password"))

    done = cli("db", "reset", "--yes", "--database-url", empty_url)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("emptied the database, its schema kept; removed: 1 chain, 2 locations, ")
    # How many seats are taken depends on the hour of seeding; how many classes there are does not.
    assert re.search(r", 130 events, \d+ appointments, 2 users, 1 login token, 1 partner token\n$", done.stdout)
    assert set(sql.counts(empty_url, EVERY_TABLE).values()) == {0}
    assert sql.value(empty_url, "SELECT COUNT(*) FROM schema_migrations") > 0

    again = cli("seed", "demo", "--json", "--database-url", empty_url)
    assert again.returncode == 0 and "already there" not in again.stdout
    assert json.loads(again.stdout)["locations"][0]["events"]["count"] == 65
    assert {t: sql.fetch(empty_url, f"SELECT id FROM {t} ORDER BY id") for t in ids} == ids
