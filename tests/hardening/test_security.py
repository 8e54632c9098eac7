"""Secrets only as hashes and never in a log line; one location's user cannot reach another
location's data through any operation; hostile text is stored intact or refused, never run.

How secrets are compared (reviewed, and pinned by the last test here): a request's tokens are
hashed (SHA-256) and looked up by that digest with an indexed equality in SQL, so no token is
ever compared in Python; a password is checked by scrypt and `hmac.compare_digest`, and an
unknown login is checked against a dummy hash so the time taken does not reveal which logins
exist.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys
from typing import Any

import httpx

from tests import factories as f
from tests.conftest import AUTH, DEMO, NEW_YORK, NOW, PRAGUE, V2
from tests.event_factories import book_seats
from tests.hardening import bodies, outsider
from tests.live_server import LiveServer

DEMO_SECRETS = [DEMO["partner_token"], DEMO["user_token"], DEMO["readonly_user_token"], DEMO["user"]["password"],
                "viewer-password"]


def _cli(url: str, *args: str, stdin: str | None = None) -> str:
    done = subprocess.run([sys.executable, "-m", "altegio_server", *args, "--database-url", url],
                          input=stdin, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _all_text(url: str) -> str:
    """Every value of every row of every table, as one text."""
    if url.startswith("sqlite"):
        tables = [r["name"] for r in f.fetch(url, "SELECT name FROM sqlite_master WHERE type = 'table'")]
    else:
        tables = [r["table_name"] for r in f.fetch(
            url, "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")]
    assert "users" in tables and "user_tokens" in tables
    return "\n".join(repr(row) for t in tables for row in f.fetch(url, f'SELECT * FROM "{t}"'))


def test_no_token_or_password_is_stored_in_plain_text(api, database_url):
    login = api.post("/api/v1/auth", json={"login": DEMO["user"]["login"], "password": DEMO["user"]["password"]},
                     accept=None, auth=f"Bearer {DEMO['partner_token']}")
    assert login.status_code == 201, login.text
    created = json.loads(_cli(database_url, "user", "create", "--name", "Ivan", "--email", "ivan@example.com",
                              "--password-stdin", "--location", "101", "--json", stdin="ivan-secret-pass\n"))
    partner = json.loads(_cli(database_url, "partner-token", "issue", "--name", "CRM", "--json"))
    changed = json.loads(_cli(database_url, "user", "set-password", "ivan@example.com", "--password-stdin", "--json",
                              stdin="ivan-second-pass\n"))
    secrets = DEMO_SECRETS + [login.json()["data"]["user_token"], created["user_token"], partner["token"],
                              changed["user_token"], "ivan-secret-pass", "ivan-second-pass"]
    stored = _all_text(database_url)
    assert [s for s in secrets if s in stored or s.lower() in stored.lower()] == []


def test_no_token_or_password_appears_in_any_log_line(database_url):
    server = LiveServer(database_url, frozen_time=NOW, args=("--access-log",), env={"ALTEGIO_LOG_LEVEL": "debug"})
    with server:
        headers = {"Authorization": AUTH, "Accept": V2}
        base = f"{server.url}/api/v2/locations/{PRAGUE['id']}"
        assert httpx.get(f"{base}/tags", headers=headers).status_code == 200
        tag = {"title": "Logged", "color": "#123456"}
        assert httpx.post(f"{base}/tags", headers=headers, json=tag).status_code == 200
        assert httpx.get(f"{base}/tags", headers={"Authorization": "Bearer wrong-partner, User wrong-user",
                                                  "Accept": V2}).status_code == 401
        partner_only = {"Authorization": f"Bearer {DEMO['partner_token']}"}
        good = httpx.post(f"{server.url}/api/v1/auth", headers=partner_only,
                          json={"login": DEMO["user"]["login"], "password": DEMO["user"]["password"]})
        assert good.status_code == 201
        bad = httpx.post(f"{server.url}/api/v1/auth", headers=partner_only,
                         json={"login": DEMO["user"]["login"], "password": "not-the-password"})
        assert bad.status_code == 401
        issued = good.json()["data"]["user_token"]
        httpx.get(f"{base}/tags", headers={"Authorization": f"Bearer {DEMO['partner_token']}, User {issued}",
                                           "Accept": V2})
        server.stop()  # every line flushed
        log = server.log()
    assert "GET /api/v2/locations/101/tags" in log and "POST /api/v1/auth" in log, "the access log was not on"
    leaked = [s for s in DEMO_SECRETS + [issued, "not-the-password", "wrong-partner", "wrong-user"] if s in log]
    assert leaked == []


def test_secrets_are_looked_up_by_digest_and_passwords_compared_in_constant_time():
    from altegio_server import security
    from altegio_server.auth import service as auth
    from altegio_server.users import service as users

    assert "compare_digest" in inspect.getsource(security.verify_password)
    assert ("digests.recall(partner_token, token_digest), caches.digests.recall(user_token, token_digest)"
            in inspect.getsource(auth.authorize))
    assert "WHERE token_hash = $2" in auth._AUTHORIZE and "p.token_hash = $1" in auth._AUTHORIZE
    assert "_dummy_hash()" in inspect.getsource(users._password_matches)


# Location isolation: the demo user (locations 101 and 102) against the outsider's location.

def _own_ids() -> dict[str, Any]:
    return {"location_id": PRAGUE["id"], "event_id": 1, "record_id": 1, "tag_id": PRAGUE["tag_ids"]["common"][0],
            "position_id": PRAGUE["position_ids"][0], "client_id": PRAGUE["client"]["id"],
            "strategy_id": 1}


def _outsider_ids(made: dict[str, int]) -> dict[str, Any]:
    """The outsider's ids under every name an operation may use, in paths and bodies."""
    return {
        "location_id": outsider.LOCATION, "event_id": made["event_id"], "record_id": made["record_id"],
        "tag_id": outsider.TAGS["common"], "position_id": outsider.POSITION,
        "staff_id": outsider.STAFF, "service_id": outsider.SERVICE, "reschedule_activity_id": made["event_id"],
        "category_id": outsider.CATEGORY, "strategy_id": made["strategy_id"],
        "duplication_strategy_id": made["strategy_id"], "staff": [{"id": outsider.STAFF}],
        "resource_instance_ids": [outsider.INSTANCE], "label_ids": [outsider.TAGS["activity"], outsider.TAGS["record"]],
        "labels": [outsider.TAGS["record"]], "salon_ids": [outsider.LOCATION], "client_id": outsider.CLIENT,
        "client": {"id": outsider.CLIENT, "name": "Taken over", "phone": "+491700000001", "email": "",
                   "surname": "", "gender": 0},
        "clients_count": 1, "capacity": 3, "date": "2027-01-20 09:00:00", "length": 3600,
        "from": "2027-01-20", "count": 1,
    }


BODY_IDS = {"staff_id", "service_id", "reschedule_activity_id", "resource_instance_ids", "label_ids", "labels",
            "salon_ids", "client_id", "client", "duplication_strategy_id", "category_id", "position_id", "staff"}


def _operations(doc: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """The operations a user's location grants govern. Online booking, with the partner token
    alone, books at every location by design (behaviour 18.1); its own test file checks that
    another location's event is never booked through this one's path."""
    return [(method.upper(), path, op) for path, methods in doc["paths"].items() for method, op in methods.items()
            if "{location_id}" in path and op["security"] != [{"PartnerToken": []}]]


def _path(template: str, ids: dict[str, Any]) -> str:
    for name, value in ids.items():
        template = template.replace("{" + name + "}", str(value))
    return template


def _body(op: dict[str, Any], ids: dict[str, Any]) -> Any:
    schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    return None if schema is None else bodies.make(schema, ids)


def _sweep(api, url: str, auth: str, own: dict[str, Any], theirs: dict[str, Any], mark: str) -> None:
    """Every operation with `theirs` in the path, or `own` in the path and theirs in the body:
    refused, nothing of theirs changes and nothing of theirs (marked `mark`) shows."""
    before = outsider.snapshot(url, theirs["location_id"])
    operations = _operations(api.get("/openapi.json").json())
    assert len(operations) >= 30
    for method, template, op in operations:
        # Their location in the path: no access, whatever else is sent.
        r = api.request(method, _path(template, theirs), json=_body(op, theirs), auth=auth)
        assert r.status_code == 403, (method, template, r.status_code, r.text)
        # Our location with their ids in the path: not found here (a tag: not ours to change).
        if template.count("{") > 1:
            ids = dict(theirs, location_id=own["location_id"])
            r = api.request(method, _path(template, ids), json=_body(op, theirs), auth=auth)
            assert r.status_code in (403, 404), (method, template, r.status_code, r.text)
            assert mark not in r.text
        # Our own ids in the path, theirs in the body: refused if the body names anything of
        # theirs; otherwise it may only change our own data.
        body = _body(op, theirs)
        r = api.request(method, _path(template, own), json=body, auth=auth)
        assert r.status_code < 500 and mark not in r.text, (method, template, r.status_code, r.text)
        if isinstance(body, dict) and set(body) & BODY_IDS:
            assert r.status_code >= 400, (method, template, body, r.text)
    assert outsider.snapshot(url, theirs["location_id"]) == before


def _own_event_and_appointment(url: str) -> None:
    f.make_event(url)  # event 1 of our own, with appointment 1 below, for own paths
    f.execute(url, "INSERT INTO records (location_id, event_id, clients_count, created_at, updated_at) "
                   "VALUES ($1, 1, 1, 0, 0)", PRAGUE["id"])
    f.execute(url, "UPDATE events SET clients_count = 1 WHERE id = 1")


def test_no_operation_reaches_another_locations_data_whatever_ids_are_tried(api, database_url):
    made = outsider.add(database_url)
    _own_event_and_appointment(database_url)
    _sweep(api, database_url, AUTH, _own_ids(), _outsider_ids(made), outsider.MARK)
    # The outsider's own user still sees their data, and only theirs.
    r = api.get(f"/api/v2/locations/{outsider.LOCATION}/tags",
                auth=f"Bearer {DEMO['partner_token']}, User {outsider.USER_TOKEN}")
    assert r.status_code == 200 and {t["attributes"]["company_id"] for t in r.json()["data"]} == {outsider.LOCATION}
    assert api.get(f"/api/v2/locations/{PRAGUE['id']}/tags",
                   auth=f"Bearer {DEMO['partner_token']}, User {outsider.USER_TOKEN}").status_code == 403


def _sibling_ids(url: str) -> dict[str, Any]:
    """New York's ids, for a user granted Prague alone: the same chain, shared positions and all.
    New York gets a position of its own (4), marked so that a leak shows."""
    f.execute(url, "INSERT INTO positions (id, chain_id, title) VALUES (4, 1, 'New York only desk')")
    f.execute(url, "INSERT INTO position_locations (position_id, location_id) VALUES (4, $1)", NEW_YORK["id"])
    event = f.make_event(url, location_id=NEW_YORK["id"], staff_id=NEW_YORK["staff_ids"][0],
                         service_id=NEW_YORK["group_service_ids"][0])
    client = 2061  # Anna, New York's client (the demo's ids: the location's base 2000 + 61)
    record = book_seats(url, event, 1, client)
    tags = NEW_YORK["tag_ids"]
    strategy = outsider.add_strategy(url, NEW_YORK["id"])
    return {
        "location_id": NEW_YORK["id"], "event_id": event, "record_id": record, "tag_id": tags["common"][0],
        "position_id": 4, "staff_id": NEW_YORK["staff_ids"][0], "service_id": NEW_YORK["group_service_ids"][0],
        "reschedule_activity_id": event, "resource_instance_ids": NEW_YORK["resource_instance_ids"][:1],
        "label_ids": [tags["activity"][0], tags["record"][0]], "labels": [tags["record"][0]],
        "salon_ids": [NEW_YORK["id"]], "client_id": client, "category_id": 2010, "strategy_id": strategy,
        "duplication_strategy_id": strategy, "staff": [{"id": NEW_YORK["staff_ids"][0]}],
        "client": {"id": client, "name": "Taken over", "phone": "+420601000001", "email": "", "surname": "",
                   "gender": 0},
        "clients_count": 1, "capacity": 3, "date": "2027-01-20 09:00:00", "length": 3600,
        "from": "2027-01-20", "count": 1,
    }


def test_a_user_of_one_location_reaches_nothing_of_the_chains_other_location(api, database_url):
    prague_only = outsider.user_of(database_url, [(PRAGUE["id"], False)])
    _own_event_and_appointment(database_url)
    own = dict(_own_ids(), position_id=3)  # Front desk: Prague's alone
    _sweep(api, database_url, prague_only, own, _sibling_ids(database_url), "New York")


# Hostile text in every text field and query parameter.

HOSTILE = [
    "'; DROP TABLE events; --",
    "\" OR 1=1; --",
    "Robert'); DELETE FROM records WHERE ('1'='1",
    "%_\\ LIKE wildcards",
    "ctrl\x01\x07\x1b[31m\r\n\tchars",
    "\u202eRTL override\u200f \u05e9\u05dc\u05d5\u05dd",
    "emoji 👩‍👩‍👧‍👦🎉 and 漢字",
    "x" * 70_000,
]

GOOD_BODIES = {  # operation id -> a body the operation accepts, for the hostile text to reach storage
    "create_tag": {"title": "T", "color": "#123456"},
    "update_tag": {"title": "T"},
    "create_position": {"title": "P", "salon_ids": [PRAGUE["id"]]},
    "update_position": {"position_id": PRAGUE["position_ids"][0], "title": "P", "salon_ids": [PRAGUE["id"]]},
}


def _base_body(op: dict[str, Any], own: dict[str, Any], n: int) -> dict[str, Any] | None:
    name = op["operationId"].removesuffix("_current_spelling")
    if name in GOOD_BODIES:
        return GOOD_BODIES[name]
    ids = {"staff_id": PRAGUE["staff_ids"][n % 3], "service_id": PRAGUE["group_service_ids"][0],
           "resource_instance_ids": [], "label_ids": [], "capacity": 10, "length": 3600,
           "date": f"2027-02-{1 + n % 28:02} {6 + n % 14:02}:00:00", "clients_count": 1,
           "client": {"name": "C", "phone": f"+42055{n:07}", "email": "", "surname": "", "gender": 0},
           "phone": f"+42077{n:07}",  # a v1 client's own, so that each create makes a client
           "reschedule_activity_id": own["event_id"], "position_id": own["position_id"]}
    return _body(op, ids)


def _echoed(sent: dict[str, Any], answer: Any, field: str, value: str) -> None:
    """A text field that comes back under its own name must come back exactly as sent."""
    data = answer.get("data") if isinstance(answer, dict) else None
    attributes = data.get("attributes", data) if isinstance(data, dict) else None
    if isinstance(attributes, dict) and "." not in field and isinstance(attributes.get(field), str):
        assert attributes[field] == value, (field, attributes[field][:80])


def test_hostile_text_in_every_field_is_stored_intact_or_refused_never_run(api, database_url):
    f.make_event(database_url, capacity=1000)  # event 1, for the event operations to change
    f.make_event(database_url, capacity=100_000, start=f.NOW_TS + 2 * f.DAY)  # event 2, for appointments
    doc = api.get("/openapi.json").json()
    n = 0
    for method, template, op in _operations(doc):
        if op["operationId"].endswith("_current_spelling"):
            continue  # one handler: the seed spelling is enough
        own = dict(_own_ids(), event_id=2 if "/records" in template or "/appointments" in template else 1)
        path = _path(template, own)
        schema = op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
        for field in bodies.string_fields(schema) if schema else []:
            for value in HOSTILE:
                n += 1
                if template.endswith("/records/{record_id}") and method != "PATCH":
                    # Book a fresh appointment to change, so each change has its own.
                    booked = api.post(f"/api/v2/locations/{PRAGUE['id']}/events/2/appointments", json={
                        "client": {"name": "H", "phone": f"+42066{n:07}", "email": "", "surname": "", "gender": 0},
                        "clients_count": 1})
                    assert booked.status_code == 201, booked.text
                    path = _path(template, dict(own, record_id=booked.json()["data"]["id"]))
                body = bodies.put(_base_body(op, own, n) or {}, field, value)
                r = api.request(method, path, json=body)
                assert r.status_code < 500, (method, template, field, value[:40], r.text)
                if r.status_code < 300 and r.content:
                    _echoed(body, r.json(), field, value)
        for param in op.get("parameters", []):
            if param["in"] != "query":
                continue
            for value in HOSTILE[:-1] + ["x" * 5000]:
                r = api.request(method, path, params={param["name"]: value})
                assert r.status_code < 500, (method, template, param["name"], value[:40], r.text)
            raw = api.request(method, f"{path}?{param['name']}=%FF%FE%00%C3%28")  # not UTF-8
            assert raw.status_code < 500, (method, template, param["name"], raw.text)
    for value in HOSTILE:  # and the login, which takes the partner token alone
        for body in ({"login": value, "password": "demo-password"},
                     {"login": DEMO["user"]["login"], "password": value}):
            r = api.post("/api/v1/auth", json=body, accept=None, auth=f"Bearer {DEMO['partner_token']}")
            assert r.status_code in (401, 422), (body["login"][:40], r.text)
    # Nothing was run: every table is still there, the demo data with it.
    assert f.count_rows(database_url, "events") >= 1 and f.count_rows(database_url, "tags") >= 10
    assert api.get(f"/api/v2/locations/{NEW_YORK['id']}/tags").status_code == 200


def test_a_body_with_a_lone_surrogate_or_bad_utf8_is_refused_as_invalid_json(api):
    for raw in (b'{"title": "\\ud800", "color": "#123456"}', b'{"title": "\xff\xfe", "color": "#123456"}'):
        r = api.request("POST", f"/api/v2/locations/{PRAGUE['id']}/tags", content=raw,
                        headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["meta"]["message"] == "Invalid JSON", r.text
