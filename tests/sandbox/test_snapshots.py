"""Reset and snapshots through HTTP, on both databases (behaviour 19.3)."""

from __future__ import annotations

import asyncio
from typing import Any, Iterator

import pytest

from altegio_server.auth import partner_tokens
from altegio_server.clock import FixedClock
from altegio_server.db import open_database
from altegio_server.deps import Deps
from altegio_server.sandbox.snapshot_rules import domain_tables
from altegio_server.users import service as users
from tests.conftest import NOW, PRAGUE, error
from tests.event_factories import create_event, events_path
from tests.sandbox.conftest import SANDBOX_TOKEN, Sandboxed, sandboxed
from tests.sql import execute, fetch, in_transaction

EPOCH = "1970-01-01T00:00:00+00:00"  # the test databases are seeded at the clock's zero
NOW_TEXT = NOW.isoformat()
NAME_RULE = "A snapshot's name is 1 to 64 characters: letters A-Z and a-z, digits, '-', '_' and '.'."


def rows(database_url: str) -> int:
    """Every row of the domain tables, as a snapshot of this moment would count them."""
    async def work(conn: Any) -> int:
        names = domain_tables(await conn.table_names())
        return sum([await conn.fetchval(f"SELECT COUNT(*) FROM {t}") for t in names])

    return asyncio.run(in_transaction(database_url, work))


def book(api: Sandboxed, event_id: int, phone: str, seats: int = 1) -> Any:
    client = {"phone": phone, "name": "Jo", "surname": "Doe", "email": "", "gender": 0}
    return api.post(events_path(event_id=event_id) + "/appointments", json={"client": client, "clients_count": seats})


def test_reset_goes_back_to_the_state_seeding_left(sandbox: Sandboxed, database_url: str):
    baseline = rows(database_url)
    event = create_event(sandbox)
    assert book(sandbox, event["id"], "+420777000111").status_code == 201
    r = sandbox.control("POST", "reset")
    assert (r.status_code, r.json()) == (200, {"baseline_created_at": EPOCH, "size": baseline})
    assert sandbox.get(events_path(event_id=event["id"])).status_code == 404
    assert rows(database_url) == baseline
    assert fetch(database_url, "SELECT COUNT(*) AS n FROM records") == [{"n": 0}]


def test_reset_keeps_the_clock_the_sandbox_token_and_the_partner_tokens(sandbox: Sandboxed, database_url: str):
    clock = sandbox.control("PUT", "clock", json={"now": "2027-02-01T08:00:00+00:00"}).json()
    _, token = asyncio.run(_with_deps(database_url, lambda deps: partner_tokens.issue(deps, "after the seed")))
    assert sandbox.control("POST", "reset").status_code == 200
    assert sandbox.control("GET", "clock").json() == clock  # answered with the sandbox token, still the same
    r = sandbox.get(f"/api/v2/locations/{PRAGUE['id']}/tags", auth=f"Bearer {token}, User {_demo_user_token()}")
    assert r.status_code == 200


def test_ids_handed_out_before_a_reset_are_never_handed_out_again(sandbox: Sandboxed):
    first = create_event(sandbox)
    sandbox.control("POST", "reset")
    second = create_event(sandbox)
    assert second["id"] > first["id"]
    sandbox.control("POST", "snapshots", json={"name": "a"})
    third = create_event(sandbox, date="2027-01-16 09:00:00")
    sandbox.control("POST", "snapshots/a/restore")
    fourth = create_event(sandbox, date="2027-01-16 09:00:00")
    assert fourth["id"] > third["id"]
    assert sandbox.get(events_path(event_id=third["id"])).status_code == 404


def test_a_snapshot_is_saved_listed_restored_and_deleted(sandbox: Sandboxed, database_url: str, clock: FixedClock):
    event = create_event(sandbox)
    size = rows(database_url)
    r = sandbox.control("POST", "snapshots", json={"name": "with-one.event_1"})
    saved = {"name": "with-one.event_1", "created_at": NOW_TEXT, "size": size}
    assert (r.status_code, r.json()) == (201, saved)
    sandbox.delete(events_path(event_id=event["id"]))
    assert book(sandbox, create_event(sandbox, date="2027-01-16 09:00:00")["id"], "+420777000112").status_code == 201
    r = sandbox.control("GET", "snapshots")
    assert (r.status_code, r.json()) == (200, {"data": [saved]})
    r = sandbox.control("POST", "snapshots/with-one.event_1/restore")
    assert (r.status_code, r.json()) == (200, saved)
    r = sandbox.get(events_path(event_id=event["id"]))
    assert (r.status_code, r.json()["data"]) == (200, event)
    assert rows(database_url) == size
    r = sandbox.control("DELETE", "snapshots/with-one.event_1")
    assert (r.status_code, r.content) == (204, b"")
    assert sandbox.control("GET", "snapshots").json() == {"data": []}


def test_snapshots_are_listed_by_name_and_a_restore_keeps_them_all(sandbox: Sandboxed, database_url: str):
    size = rows(database_url)
    for name in ("b", "a", "C"):
        sandbox.control("POST", "snapshots", json={"name": name})
    sandbox.control("POST", "snapshots/b/restore")
    listed = [{"name": n, "created_at": NOW_TEXT, "size": size} for n in ("C", "a", "b")]
    assert sandbox.control("GET", "snapshots").json() == {"data": listed}


def test_saving_under_a_name_in_use_replaces_that_snapshot(sandbox: Sandboxed, database_url: str):
    sandbox.control("POST", "snapshots", json={"name": "same"})
    create_event(sandbox)
    sandbox.control("POST", "clock/advance", json={"seconds": 60})  # a frozen clock, a minute on
    r = sandbox.control("POST", "snapshots", json={"name": "same"})
    replaced = {"name": "same", "created_at": "2027-01-10T12:01:00+00:00", "size": rows(database_url)}
    assert (r.status_code, r.json()) == (201, replaced)
    assert sandbox.control("GET", "snapshots").json() == {"data": [replaced]}
    assert fetch(database_url, "SELECT COUNT(*) AS n FROM sandbox_snapshots") == [{"n": 2}]  # and the baseline


@pytest.mark.parametrize("name", ["", "x" * 65, "a b", "ünïcode", "semi;colon", "(baseline)", 7, None])
def test_a_name_out_of_the_rule_is_refused_and_saves_nothing(sandbox: Sandboxed, database_url: str, name):
    r = sandbox.control("POST", "snapshots", json={"name": name})
    if isinstance(name, str):
        assert (r.status_code, r.json()) == (400, error(NAME_RULE, {"name": [NAME_RULE]}))
    else:
        message = "This value should not be null." if name is None else "This value should be of type string."
        assert (r.status_code, r.json()) == (422, error(message, {"name": [message]}))
    assert sandbox.control("GET", "snapshots").json() == {"data": []}
    assert fetch(database_url, "SELECT name FROM sandbox_snapshots") == [{"name": "(baseline)"}]


def test_a_save_without_a_name_is_422(sandbox: Sandboxed):
    r = sandbox.control("POST", "snapshots", json={})
    assert (r.status_code, r.json()) == (422, error("This field is missing.", {"name": ["This field is missing."]}))


def test_invalid_json_is_400(sandbox: Sandboxed):
    r = sandbox.client.post("/_sandbox/snapshots", content=b"{", headers={"Authorization": f"Bearer {SANDBOX_TOKEN}"})
    assert (r.status_code, r.json()) == (400, error("Invalid JSON"))


@pytest.mark.parametrize("method, path", [("POST", "snapshots/{}/restore"), ("DELETE", "snapshots/{}")])
def test_a_bad_name_in_the_path_is_400_and_an_unknown_one_404(sandbox: Sandboxed, method, path):
    r = sandbox.control(method, path.format("no%20spaces"))
    assert (r.status_code, r.json()) == (400, error(NAME_RULE, {"name": [NAME_RULE]}))
    r = sandbox.control(method, path.format("x" * 65))
    assert (r.status_code, r.json()) == (400, error(NAME_RULE, {"name": [NAME_RULE]}))
    r = sandbox.control(method, path.format("never-saved"))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_the_baseline_cannot_be_named_in_a_path(sandbox: Sandboxed):
    r = sandbox.control("POST", "snapshots/(baseline)/restore")
    assert (r.status_code, r.json()) == (400, error(NAME_RULE, {"name": [NAME_RULE]}))
    assert sandbox.control("DELETE", "snapshots/(baseline)").status_code == 400
    assert sandbox.control("POST", "reset").status_code == 200


def test_without_a_baseline_reset_is_409_and_changes_nothing(sandbox: Sandboxed, database_url: str):
    execute(database_url, "DELETE FROM sandbox_snapshots")
    event = create_event(sandbox)
    r = sandbox.control("POST", "reset")
    message = ("There is no baseline to reset to: it is recorded by `altegio-server seed demo` and "
               "`altegio-server load`")
    assert (r.status_code, r.json()) == (409, error(message))
    assert sandbox.get(events_path(event_id=event["id"])).status_code == 200


@pytest.fixture
def two_at_most(database_url: str, clock: FixedClock) -> Iterator[Sandboxed]:
    with sandboxed(database_url, clock, sandbox_max_snapshots=2) as api:
        yield api


def test_over_the_bound_a_new_name_is_409_and_a_name_in_use_is_still_replaced(two_at_most: Sandboxed):
    assert two_at_most.control("POST", "snapshots", json={"name": "one"}).status_code == 201
    assert two_at_most.control("POST", "snapshots", json={"name": "two"}).status_code == 201
    r = two_at_most.control("POST", "snapshots", json={"name": "three"})
    message = "There are 2 snapshots already, as many as the server keeps: delete one first"
    assert (r.status_code, r.json()) == (409, error(message))
    assert two_at_most.control("POST", "snapshots", json={"name": "two"}).status_code == 201
    assert [s["name"] for s in two_at_most.control("GET", "snapshots").json()["data"]] == ["one", "two"]
    two_at_most.control("DELETE", "snapshots/one")
    assert two_at_most.control("POST", "snapshots", json={"name": "three"}).status_code == 201


@pytest.mark.parametrize("method, path", [("POST", "reset"), ("GET", "snapshots"), ("POST", "snapshots"),
                                          ("POST", "snapshots/a/restore"), ("DELETE", "snapshots/a")])
def test_every_control_needs_the_sandbox_token(sandbox: Sandboxed, method, path):
    r = sandbox.control(method, path, json={"name": "a"}, auth="Bearer not-it")
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))


def test_a_wrong_method_is_405(sandbox: Sandboxed):
    r = sandbox.control("GET", "reset")
    assert (r.status_code, r.headers["allow"]) == (405, "POST")
    r = sandbox.control("PUT", "snapshots/a")
    assert (r.status_code, r.headers["allow"]) == (405, "DELETE")


def test_access_granted_after_a_snapshot_ends_with_its_restore_at_once(sandbox: Sandboxed, database_url: str):
    sandbox.control("POST", "snapshots", json={"name": "before"})
    issued = asyncio.run(_with_deps(database_url, lambda deps: users.create_user(
        deps, "Later", "later@example.com", None, "a-long-password", [(PRAGUE["id"], False)])))
    auth = f"Bearer {_partner_token()}, User {issued.token}"
    tags = f"/api/v2/locations/{PRAGUE['id']}/tags"
    assert sandbox.get(tags, auth=auth).status_code == 200  # granted, and kept for a second (behaviour 9.2)
    sandbox.control("POST", "snapshots/before/restore")
    r = sandbox.get(tags, auth=auth)
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))


def test_the_controls_are_documented(sandbox: Sandboxed):
    paths = sandbox.get("/openapi.json").json()["paths"]
    assert set(paths["/_sandbox/reset"]) == {"post"}
    assert set(paths["/_sandbox/snapshots"]) == {"get", "post"}
    assert set(paths["/_sandbox/snapshots/{name}/restore"]) == {"post"}
    assert set(paths["/_sandbox/snapshots/{name}"]) == {"delete"}


async def _with_deps(url: str, work: Any) -> Any:
    db = open_database(url, pool_size=1)
    await db.connect()
    try:
        return await work(Deps(db, FixedClock(NOW)))
    finally:
        await db.close()


def _partner_token() -> str:
    from tests.conftest import DEMO

    return str(DEMO["partner_token"])


def _demo_user_token() -> str:
    from tests.conftest import DEMO

    return str(DEMO["user_token"])


def test_reset_and_restore_leave_every_table_of_the_sandbox_alone(sandbox: Sandboxed, database_url: str):
    execute(database_url, "CREATE TABLE sandbox_other_control (id INTEGER PRIMARY KEY, note TEXT)",
            "INSERT INTO sandbox_other_control (id, note) VALUES (1, 'recorded before')")
    sandbox.control("POST", "snapshots", json={"name": "s"})
    execute(database_url, "INSERT INTO sandbox_other_control (id, note) VALUES (2, 'recorded after')")
    sandbox.control("POST", "snapshots/s/restore")
    sandbox.control("POST", "reset")
    assert fetch(database_url, "SELECT id, note FROM sandbox_other_control ORDER BY id") == [
        {"id": 1, "note": "recorded before"}, {"id": 2, "note": "recorded after"}]
