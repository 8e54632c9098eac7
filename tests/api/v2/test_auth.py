"""Tokens, the v2 Accept rule and location access (behaviour 1.2), shared by every v2 operation."""

from __future__ import annotations

import time

import pytest

from altegio_server.security import token_digest
from tests import sql
from tests.conftest import AUTH, DEMO, PRAGUE, READONLY_AUTH, error

PARTNER, USER, READONLY = DEMO["partner_token"], DEMO["user_token"], DEMO["readonly_user_token"]
UNAUTHENTICATED = error("Authentication needed.")
DENIED = error("Access denied.")
ACCEPT_MESSAGE = "Unsupported Accept header: requests to API v2 must accept application/vnd.api.v2+json"

# One reading and one writing operation of each family, in both spellings.
READS = ["/api/v2/companies/101/positions", "/api/v2/locations/101/positions/1",
         "/api/v2/companies/101/tags/1051", "/api/v2/locations/101/tags"]
WRITES = [("POST", "/api/v2/companies/101/tags", {"title": "New", "color": "#000000"}),
          ("PUT", "/api/v2/locations/101/tags/1051", {"title": "New"}),
          ("DELETE", "/api/v2/companies/101/tags/1052", None),
          ("POST", "/api/v2/locations/101/positions", {"title": "New", "salon_ids": [101]}),
          ("PUT", "/api/v2/companies/101/positions/3", {"position_id": 3, "title": "New", "salon_ids": [101]}),
          ("DELETE", "/api/v2/locations/101/positions/3", None)]


def state(api) -> tuple:
    """Everything the writes above could change, read with full rights."""
    return tuple(api.get(p).json() for p in ("/api/v2/locations/101/tags", "/api/v2/locations/101/positions",
                                             "/api/v2/locations/101/tags/1052", "/api/v2/locations/101/positions/3"))


@pytest.mark.parametrize("auth", [
    None,
    "",
    "garbage",
    "Basic dXNlcjpwYXNz",
    f"Bearer {PARTNER}",
    f"Bearer {PARTNER},",
    f"Bearer {PARTNER}, User",
    f"User {USER}",
    f"Bearer {USER}, User {PARTNER}",
    f"Bearer nobody-knows-me, User {USER}",
    f"Bearer {PARTNER}, User nobody-knows-me",
    f"Bearer {PARTNER} User {USER}",
    f"Bearer {PARTNER}, User {USER}, User {USER}",
    f"Bearer {PARTNER}, User {USER}x",
    f"Bearer {PARTNER[:-1]}, User {USER}",
])
def test_missing_or_wrong_tokens_are_401(api, auth):
    for path in READS:
        r = api.get(path, auth=auth)
        assert (r.status_code, r.json()) == (401, UNAUTHENTICATED), path


def test_a_token_with_bytes_outside_ascii_is_401(api):
    r = api.get(READS[0], auth=None, headers={"Authorization": f"Bearer {PARTNER}, User \xe9\xff".encode("latin-1")})
    assert r.status_code == 401
    assert r.json() == UNAUTHENTICATED


def test_a_revoked_partner_token_is_401(api, database_url):
    sql.execute(database_url, ("INSERT INTO partner_tokens (name, token_hash, created_at, revoked_at) "
                               "VALUES ('Old integration', $1, 0, 100)", token_digest("revoked-partner-token")))
    r = api.get(READS[0], auth=f"Bearer revoked-partner-token, User {USER}")
    assert r.status_code == 401
    assert r.json() == UNAUTHENTICATED
    sql.execute(database_url, "UPDATE partner_tokens SET revoked_at = 5")
    assert api.get(READS[0]).status_code == 401


@pytest.mark.parametrize("method, path, body", WRITES)
def test_writes_without_tokens_are_401_and_change_nothing(api, method, path, body):
    before = state(api)
    r = api.request(method, path, json=body, auth=f"Bearer {PARTNER}")
    assert r.status_code == 401
    assert r.json() == UNAUTHENTICATED
    assert state(api) == before


@pytest.mark.parametrize("auth", [
    f"bearer {PARTNER},user {USER}",
    f"BEARER {PARTNER}, USER {USER}",
    f"Bearer   {PARTNER}   ,   User   {USER}   ",
    f"  Bearer\t{PARTNER},\tUser {USER}",
    f"bEaReR {PARTNER} ,UsEr {USER}",
])
def test_the_authorization_header_is_parsed_leniently(api, auth):
    r = api.get(READS[0], auth=auth)
    assert r.status_code == 200
    assert [p["id"] for p in r.json()["data"]] == ["1", "2", "3"]


# --- Accept ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("accept", [
    "application/vnd.api.v2+json",
    "application/vnd.yclients.v2+json",
    "application/vnd.alteg.v2+json",
    "application/vnd.api.v2+json; charset=utf-8",
    "APPLICATION/VND.API.V2+JSON",
    "application/json, application/vnd.api.v2+json;q=0.9",
    "application/vnd.api.v2+json , */*",
])
def test_a_v2_media_type_in_accept_is_enough(api, accept):
    r = api.get(READS[0], accept=accept)
    assert r.status_code == 200
    assert r.json()["meta"] == {"pagination": {"total": 3, "limit": 100, "offset": 0}}


@pytest.mark.parametrize("accept", [
    None, "", "*/*", "application/json", "application/vnd.api.v1+json", "application/vnd.api.v2+jsonx",
    "application/vnd.api.v20+json", "text/html", "application/vnd..v2+json", "xapplication/vnd.api.v2+json",
])
def test_without_a_v2_media_type_the_answer_is_400_naming_it(api, accept):
    for path in READS:
        r = api.get(path, accept=accept)
        assert (r.status_code, r.json()) == (400, error(ACCEPT_MESSAGE)), path


def test_the_accept_rule_comes_before_authentication(api):
    r = api.get(READS[0], accept="application/json", auth=None)
    assert r.status_code == 400
    assert r.json() == error(ACCEPT_MESSAGE)


@pytest.mark.parametrize("method, path, body", WRITES)
def test_writes_without_a_v2_accept_are_400_and_change_nothing(api, method, path, body):
    before = state(api)
    r = api.request(method, path, json=body, accept="application/json")
    assert r.status_code == 400
    assert r.json() == error(ACCEPT_MESSAGE)
    assert state(api) == before


@pytest.mark.parametrize("accept", ["application/vnd.yclients.v2+json", "application/vnd.alteg.v2+json",
                                    "application/vnd.api.v2+json; charset=utf-8"])
@pytest.mark.parametrize("method, path, body, status", [
    ("POST", "/api/v2/locations/101/tags", {"title": "New", "color": "#000000"}, 200),
    ("POST", "/api/v2/companies/101/positions", {"title": "New", "salon_ids": [101]}, 201),
    ("PUT", "/api/v2/companies/101/tags/1051", {"title": "New"}, 204),
    ("DELETE", "/api/v2/locations/101/positions/3", None, 204),
    ("POST", "/api/v2/locations/101/tags", {"color": "#000000"}, 422),
    ("GET", "/api/v2/locations/101/tags/999", None, 404),
])
def test_every_accepted_media_type_gets_the_same_answers(api, accept, method, path, body, status):
    r = api.request(method, path, json=body, accept=accept)
    assert r.status_code == status
    if status == 204:
        assert r.content == b""
    elif status >= 400:
        assert r.json()["success"] is False and r.json()["data"] is None
    else:
        assert r.json()["data"]["attributes"]["title"] == "New"


# --- the location ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/api/v2/companies/999/positions", "/api/v2/locations/999/tags/1051",
                                  "/api/v2/locations/" + "9" * 30 + "/tags"])
def test_an_unknown_location_is_404_but_only_for_a_known_caller(api, path):
    r = api.get(path)
    assert r.status_code == 404
    assert r.json() == error("Not found")
    r = api.get(path, auth=f"Bearer {PARTNER}, User wrong")
    assert r.status_code == 401
    assert r.json() == UNAUTHENTICATED


@pytest.fixture
def outpost(database_url):
    """Location 103 of the demo chain, with a tag and a position, that the demo users have no access to."""
    sql.execute(database_url,
                "INSERT INTO locations (id, chain_id, title, timezone) VALUES (103, 1, 'Outpost', 'Europe/Prague')",
                "INSERT INTO tags (id, location_id, title, color) VALUES (3051, 103, 'Outpost tag', '#000000')",
                "INSERT INTO position_locations (position_id, location_id) VALUES (3, 103)")
    return 103


@pytest.mark.parametrize("spelling", ["companies", "locations"])
@pytest.mark.parametrize("auth", [AUTH, READONLY_AUTH])
def test_a_location_the_user_has_no_access_to_is_403(api, database_url, outpost, spelling, auth):
    for method, rest, body in [
        ("GET", "/tags", None), ("GET", "/tags/3051", None), ("POST", "/tags", {"title": "T", "color": "#000000"}),
        ("PUT", "/tags/3051", {"title": "T"}), ("DELETE", "/tags/3051", None),
        ("GET", "/positions", None), ("GET", "/positions/3", None),
        ("POST", "/positions", {"title": "T", "salon_ids": [101]}),
        ("PUT", "/positions/3", {"position_id": 3, "title": "T", "salon_ids": [101]}), ("DELETE", "/positions/3", None),
    ]:
        r = api.request(method, f"/api/v2/{spelling}/{outpost}{rest}", json=body, auth=auth)
        assert (r.status_code, r.json()) == (403, DENIED), (method, rest)
    assert sql.fetch(database_url, "SELECT id, title, deleted FROM tags WHERE location_id = 103") == [
        {"id": 3051, "title": "Outpost tag", "deleted": False}]
    assert sql.value(database_url, "SELECT COUNT(*) FROM positions") == 3


def test_a_user_with_access_to_one_location_sees_nothing_of_the_other(api, database_url):
    sql.execute(database_url,
                ("INSERT INTO users (id, name, email, password_hash, token_hash) VALUES (3, 'Prague only', "
                 "'prague@demo.example', 'x', $1)", token_digest("prague-only-token")),
                "INSERT INTO user_locations (user_id, location_id, read_only) VALUES (3, 101, FALSE)")
    auth = f"Bearer {PARTNER}, User prague-only-token"
    assert api.get("/api/v2/locations/101/tags", auth=auth).status_code == 200
    assert api.post("/api/v2/locations/101/tags", {"title": "Mine", "color": "#000000"}, auth=auth).status_code == 200
    for method, path in [("GET", "/api/v2/locations/102/tags"), ("GET", "/api/v2/companies/102/tags/2052"),
                         ("GET", "/api/v2/locations/102/positions"), ("DELETE", "/api/v2/locations/102/tags/2052")]:
        r = api.request(method, path, auth=auth)
        assert r.status_code == 403
        assert r.json() == DENIED


@pytest.mark.parametrize("path", READS)
def test_a_read_only_user_reads_everything(api, path):
    assert api.get(path, auth=READONLY_AUTH).json() == api.get(path).json()


@pytest.mark.parametrize("method, path, body", WRITES)
def test_a_read_only_user_cannot_write(api, method, path, body):
    before = state(api)
    r = api.request(method, path, json=body, auth=READONLY_AUTH)
    assert r.status_code == 403
    assert r.json() == DENIED
    assert state(api) == before


def test_a_read_only_user_with_a_bad_body_is_refused_for_access_first(api):
    r = api.post("/api/v2/locations/101/tags", content=b"{not json", auth=READONLY_AUTH)
    assert r.status_code == 403
    assert r.json() == DENIED


def test_a_token_revoked_by_another_process_stops_working_within_a_second(api, database_url):
    """The server keeps granted access for at most ALTEGIO_AUTH_CACHE_SECONDS (default 1 s)."""
    path = f"/api/v2/locations/{PRAGUE['id']}/tags"
    assert api.get(path).status_code == 200
    sql.execute(database_url, "UPDATE partner_tokens SET revoked_at = 1")
    time.sleep(1.1)
    assert api.get(path).status_code == 401


# --- what a caller can learn about ids (behaviour 9.7) ----------------------------------------------

def test_only_a_caller_with_valid_tokens_can_tell_unknown_locations_from_forbidden_ones(api, outpost):
    """The vendor's documented split, kept: 404 for no such resource, 403 for no access to it."""
    unknown, forbidden = "/api/v2/locations/999/tags", f"/api/v2/locations/{outpost}/tags"
    assert [(r.status_code, r.json()) for r in (api.get(unknown), api.get(forbidden))] == [
        (404, error("Not found")), (403, DENIED)]
    for auth in (f"Bearer {PARTNER}, User wrong", f"Bearer wrong, User {USER}", None):
        assert [(r.status_code, r.json()) for r in (api.get(unknown, auth=auth), api.get(forbidden, auth=auth))] == [
            (401, UNAUTHENTICATED), (401, UNAUTHENTICATED)]


@pytest.mark.parametrize("tag", [2052, 1051 + 10**6, 3051])
def test_a_tag_not_of_the_paths_location_is_404_whatever_is_done_to_it(api, outpost, tag):
    """A tag of another location, or of a location out of reach, is no tag at this path: reading,
    changing and deleting it all answer as for an id that exists nowhere, so no tag id elsewhere
    can be found out."""
    path = f"/api/v2/locations/101/tags/{tag}"
    assert [(r.status_code, r.json()) for r in (
        api.get(path), api.put(path, json={"title": "X"}), api.delete(path))] == [(404, error("Not found"))] * 3
