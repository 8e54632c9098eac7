"""Loading fixtures into a database that already holds the demo: all or nothing."""

from __future__ import annotations

import asyncio

import pytest
from starlette.testclient import TestClient

from altegio_server.api.app import create_app
from altegio_server.clock import FixedClock
from altegio_server.config import Settings
from altegio_server.db import open_database
from altegio_server.deps import Deps
from altegio_server.provisioning import demo, fixture
from tests import sql
from tests.cli.seven import AUTH, TABLES, changed, seven
from tests.conftest import DEMO, V2

LOC = "chains[0].locations[0]"


def load(url: str, data) -> dict[str, int]:
    async def run():
        db = open_database(url, pool_size=1)
        await db.connect()
        try:
            return await fixture.load(Deps(db, FixedClock(0)), data)
        finally:
            await db.close()

    return asyncio.run(run())


def refused(url: str, data) -> list[str]:
    before = sql.counts(url, TABLES)
    with pytest.raises(fixture.FixtureError) as caught:
        load(url, data)
    assert sql.counts(url, TABLES) == before
    return str(caught.value).splitlines()


def test_a_fixture_loads_whole_and_its_tokens_work(database_url):
    before = sql.counts(database_url, TABLES)
    counts = load(database_url, seven())
    after = sql.counts(database_url, TABLES)
    assert {t: after[t] - before[t] for t in TABLES} == {t: counts.get(t, 0) for t in TABLES}
    assert counts == {"chains": 1, "locations": 2, "positions": 1, "position_locations": 2, "staff": 3,
                      "service_categories": 1, "services": 1, "service_staff": 2, "resources": 1,
                      "resource_instances": 1, "service_resources": 1, "tags": 2, "clients": 1, "users": 1,
                      "user_locations": 2, "partner_tokens": 1}
    app = create_app(Settings(database_url=database_url), clock=FixedClock(0))
    headers = {"Authorization": AUTH, "Accept": V2}
    with TestClient(app) as client:
        r = client.get("/api/v2/locations/702/positions", headers=headers)
        assert r.json()["data"] == [{"type": "position", "id": "500", "attributes": {
            "chain_id": 7, "title": "Sensei", "description": "Teaches", "services_binding_type": "none",
            "rules_required_fields": [], "only_chain_appointment": False, "salon_ids": [701, 702]}}]
        tags = client.get("/api/v2/locations/701/tags", headers=headers).json()["data"]
        assert [(t["id"], t["attributes"]["entity"], t["attributes"]["is_editable"]) for t in tags] == [
            ("7051", 3, True), ("7052", 0, False)]
        # Identities continue past the fixture's ids (PostgreSQL needs telling; SQLite knows).
        r = client.post("/api/v2/locations/701/positions", json={"title": "New", "salon_ids": [701]}, headers=headers)
        assert r.status_code == 201 and int(r.json()["data"]["id"]) == 501
        r = client.post("/api/v2/locations/701/tags", json={"title": "New", "color": "#000000"}, headers=headers)
        assert int(r.json()["data"]["id"]) == 7053
        # Read-only at 702, no access to the demo's locations.
        assert client.delete("/api/v2/locations/702/positions/500", headers=headers).status_code == 403
        assert client.get("/api/v2/locations/101/tags", headers=headers).status_code == 403
    assert sql.fetch(database_url, "SELECT rating, price_min, price_max, is_group FROM staff, services "
                                   "WHERE staff.id = 7001 AND services.id = 7021") == [
        {"rating": 4.5, "price_min": 1000, "price_max": 1500.5, "is_group": True}]


def test_loading_the_same_fixture_twice_names_every_clash_and_adds_nothing(database_url):
    load(database_url, seven())
    found = refused(database_url, seven())
    assert f"{LOC}.id: id 701 is already in the database" in found
    assert "chains[0].positions[0].id: id 500 is already in the database" in found
    assert "users[0].email: 'owner@seven.example' is already the login of a user in the database" in found
    assert "users[0].user_token: this token is already in the database" in found
    assert "partner_tokens[0].token: this token is already in the database" in found
    assert len(found) == 18  # 15 ids, a login and two tokens


@pytest.mark.parametrize("place, value, problem", [
    (f"{LOC}.tags[0].id", 1051, f"{LOC}.tags[0].id: id 1051 is already in the database"),
    ("chains[0].id", 1, "chains[0].id: id 1 is already in the database"),
    ("chains[0].locations[1].staff[0].id", 2003,
     "chains[0].locations[1].staff[0].id: id 2003 is already in the database"),
    ("users[0].id", 2, "users[0].id: id 2 is already in the database"),
    ("users[0].email", DEMO["user"]["login"],
     f"users[0].email: '{DEMO['user']['login']}' is already the login of a user in the database"),
    ("users[0].user_token", DEMO["readonly_user_token"], "users[0].user_token: this token is already in the database"),
    ("partner_tokens[0].token", DEMO["partner_token"],
     "partner_tokens[0].token: this token is already in the database"),
])
def test_what_the_database_already_holds_is_named_and_nothing_is_loaded(database_url, place, value, problem):
    assert refused(database_url, changed(place, value)) == [problem]


@pytest.mark.parametrize("place, value", [
    (f"{LOC}.services[0].price_min", "1000"),
    (f"{LOC}.timezone", "Mars/Olympus"),
    (f"{LOC}.staff[0].position_id", 404),
    ("users[0].access[0].read_only", "no"),
])
def test_a_bad_value_anywhere_loads_nothing(database_url, place, value):
    assert refused(database_url, changed(place, value))[0].startswith(place + ":")


def seed_demo(url: str) -> bool:
    async def run():
        db = open_database(url, pool_size=1)
        await db.connect()
        try:
            return await demo.seed(Deps(db, FixedClock(0)))
        finally:
            await db.close()

    return asyncio.run(run())


def test_seeding_the_demo_again_adds_nothing_and_over_other_data_names_the_clashes(database_url):
    before = sql.counts(database_url, TABLES)
    assert seed_demo(database_url) is False
    assert sql.counts(database_url, TABLES) == before
    sql.execute(database_url, "UPDATE chains SET title = 'Not the demo' WHERE id = 1")
    with pytest.raises(fixture.FixtureError) as caught:
        seed_demo(database_url)
    assert "chains[0].id: id 1 is already in the database" in str(caught.value).splitlines()
    assert sql.counts(database_url, TABLES) == before
