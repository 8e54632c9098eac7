"""Envelopes and the errors every operation shares (behaviour 1.1, 1.3, 1.4)."""

from __future__ import annotations

import logging
from contextlib import contextmanager

import pytest

from altegio_server.api.routing import MAX_BODY
from tests import sql
from tests.conftest import error

NOT_FOUND = error("Not found")
INVALID_JSON = error("Invalid JSON")
TOO_LARGE = error("Request body is too large")
NEW_TAG = b'{"title": "Big", "color": "#000000"}'
BODY_OPERATIONS = [("POST", "/api/v2/companies/101/tags"), ("PUT", "/api/v2/locations/101/tags/1051"),
                   ("POST", "/api/v2/locations/101/positions"), ("PUT", "/api/v2/companies/101/positions/3")]


def state(api) -> tuple:
    return tuple(api.get(p).json() for p in ("/api/v2/locations/101/tags", "/api/v2/locations/101/positions",
                                             "/api/v2/locations/101/tags/1051", "/api/v2/locations/101/positions/3"))


@pytest.mark.parametrize("path", [
    "/", "/api", "/api/v2", "/api/v1", "/api/v2/companies", "/api/v2/companies/101", "/api/v2/locations/101/nothing",
    "/api/v3/companies/101/tags", "/api/v2/companies/abc/tags", "/api/v2/companies/-1/tags",
    "/api/v2/companies/1.5/tags", "/api/v2/companies/101/tags/x", "/api/v2/companies/101/tags/1051/extra",
    "/api/v2/companies/101/tags/%00", "/api/v2/companies/101/positions/-3", "/api/v2/locations/101/tags/1051//x",
    "/API/V2/companies/101/tags",
])
def test_an_unknown_path_is_404_in_the_envelope(api, path):
    r = api.get(path)
    assert r.status_code == 404
    assert r.json() == NOT_FOUND
    assert r.headers["content-type"] == "application/json"


@pytest.mark.parametrize("method, path, allowed", [
    ("PATCH", "/api/v2/companies/101/positions", "GET, HEAD, POST"),
    ("DELETE", "/api/v2/locations/101/positions", "GET, HEAD, POST"),
    ("POST", "/api/v2/companies/101/positions/1", "DELETE, GET, HEAD, PUT"),
    ("PATCH", "/api/v2/locations/101/tags/1051", "DELETE, GET, HEAD, PUT"),
    ("PUT", "/api/v2/companies/101/tags", "GET, HEAD, POST"),
    ("OPTIONS", "/api/v2/companies/101/tags", "GET, HEAD, POST"),
    ("POST", "/openapi.json", "GET, HEAD"),
])
def test_a_known_path_with_a_method_it_does_not_serve_is_405(api, method, path, allowed):
    r = api.request(method, path, json={})
    assert r.status_code == 405
    assert r.json() == error("Method not allowed")
    assert ", ".join(sorted(m.strip() for m in r.headers["allow"].split(","))) == allowed


@pytest.mark.parametrize("path", ["/api/v2/companies/101/positions", "/api/v2/locations/101/tags/1052",
                                  "/api/v2/locations/101/tags/999"])
def test_head_answers_like_get_without_a_body(api, path):
    get, head = api.get(path), api.request("HEAD", path)
    assert head.status_code == get.status_code
    assert head.content == b""
    assert head.headers["content-length"] == str(len(get.content))
    assert head.headers["content-type"] == "application/json"


@pytest.mark.parametrize("method, path", BODY_OPERATIONS)
def test_a_body_that_is_not_json_is_400_and_changes_nothing(api, method, path):
    before = state(api)
    for body in [b"{", b"{'title': 'x'}", b'{"title": "x",}', b"nul", b"\xff\xfe{}", b"{}{}",
                 b'{"title": "\\ud800"}', b"[" * 2000 + b"]" * 2000, b"NaN", b"\x00"]:
        r = api.request(method, path, content=body, headers={"Content-Type": "application/json"})
        assert (r.status_code, r.json()) == (400, INVALID_JSON), body[:20]
    assert state(api) == before


@pytest.mark.parametrize("method, path", BODY_OPERATIONS)
def test_a_body_over_one_mebibyte_is_413_with_or_without_a_content_length(api, method, path):
    before = state(api)
    big = NEW_TAG[:-1] + b', "icon": "' + b"x" * MAX_BODY + b'"}'
    r = api.request(method, path, content=big)
    assert r.status_code == 413
    assert r.json() == TOO_LARGE

    def chunks():
        for start in range(0, len(big), 64 * 1024):
            yield big[start:start + 64 * 1024]

    r = api.request(method, path, content=chunks())
    assert r.status_code == 413
    assert r.json() == TOO_LARGE
    assert state(api) == before


def test_a_body_of_exactly_one_mebibyte_is_read(api):
    body = NEW_TAG + b" " * (MAX_BODY - len(NEW_TAG))
    r = api.post("/api/v2/locations/101/tags", content=body)
    assert r.status_code == 200
    assert r.json()["data"]["attributes"]["title"] == "Big"


def test_a_chunked_body_without_content_length_is_read(api):
    r = api.post("/api/v2/locations/101/tags", content=iter([NEW_TAG[:10], NEW_TAG[10:]]))
    assert r.status_code == 200
    assert r.json()["data"]["attributes"]["title"] == "Big"


@pytest.mark.parametrize("method, path, body, status", [
    ("GET", "/api/v2/companies/101/positions/", None, 200),
    ("GET", "/api/v2/locations/101/positions/1/", None, 200),
    ("POST", "/api/v2/locations/101/positions/", {"title": "Coach", "salon_ids": [101]}, 201),
    ("PUT", "/api/v2/companies/101/positions/3/", {"position_id": 3, "title": "Coach", "salon_ids": [101]}, 204),
    ("DELETE", "/api/v2/locations/101/positions/3/", None, 204),
    ("GET", "/api/v2/locations/101/tags/", None, 200),
    ("GET", "/api/v2/companies/101/tags/1051/", None, 200),
    ("POST", "/api/v2/companies/101/tags/", {"title": "Coach", "color": "#000000"}, 200),
    ("PUT", "/api/v2/locations/101/tags/1051/", {"title": "Coach"}, 204),
    ("DELETE", "/api/v2/companies/101/tags/1051/", None, 204),
    ("GET", "/api/v2/companies/101/tags/999/", None, 404),
])
def test_a_trailing_slash_is_the_same_operation(api, method, path, body, status):
    r = api.request(method, path, json=body)
    assert r.status_code == status


def test_the_answers_without_a_trailing_slash_are_the_same(api):
    for path in ("/api/v2/companies/101/positions", "/api/v2/locations/102/tags", "/api/v2/locations/101/tags/1"):
        with_slash, without = api.get(path + "/"), api.get(path)
        assert (with_slash.status_code, with_slash.json()) == (without.status_code, without.json())


def test_204_answers_have_no_body_at_all(api):
    for method, path, body in [("PUT", "/api/v2/locations/101/tags/1051", {"title": "New"}),
                               ("DELETE", "/api/v2/locations/101/tags/1051", None),
                               ("PUT", "/api/v2/locations/101/positions/3",
                                {"position_id": 3, "title": "New", "salon_ids": [101]}),
                               ("DELETE", "/api/v2/locations/101/positions/3", None)]:
        r = api.request(method, path, json=body)
        assert r.status_code == 204
        assert r.content == b""
        assert "content-type" not in r.headers
        assert r.headers.get("content-length", "0") == "0"


def test_v2_resources_carry_string_ids_and_typed_attributes(api):
    tag = api.get("/api/v2/locations/101/tags/1052").json()["data"]
    assert tag["id"] == "1052" and tag["attributes"]["company_id"] == 101
    position = api.get("/api/v2/locations/101/positions/1").json()["data"]
    assert position["id"] == "1" and position["attributes"]["salon_ids"] == [101, 102]


@contextmanager
def table_gone(url: str, table: str):
    """Take a table away for a moment: the server then fails for real on every query that needs it."""
    sql.execute(url, f"ALTER TABLE {table} RENAME TO {table}_gone")
    try:
        yield
    finally:
        sql.execute(url, f"ALTER TABLE {table}_gone RENAME TO {table}")


@pytest.mark.parametrize("method, path, body", [
    ("GET", "/api/v2/locations/101/positions", None),
    ("GET", "/api/v2/companies/101/positions/1", None),
    ("POST", "/api/v2/locations/101/positions", {"title": "Coach", "salon_ids": [101]}),
])
def test_an_unexpected_failure_is_500_in_the_envelope_with_details_only_in_the_log(
        api, database_url, caplog, method, path, body):
    with table_gone(database_url, "position_locations"), caplog.at_level(logging.ERROR, "altegio_server.api"):
        r = api.request(method, path, json=body)
    assert r.status_code == 500
    assert r.json() == error("Internal server error")
    assert b"Traceback" not in r.content and b"position_locations" not in r.content
    logged = [rec for rec in caplog.records if rec.name == "altegio_server.api"]
    assert logged and logged[0].exc_info is not None
    assert "position_locations" in str(logged[0].exc_info[1])


def test_a_write_that_fails_halfway_leaves_nothing_behind(api, database_url):
    with table_gone(database_url, "position_locations"):
        assert api.post("/api/v2/locations/101/positions", {"title": "Coach", "salon_ids": [101]}).status_code == 500
    assert sql.value(database_url, "SELECT COUNT(*) FROM positions") == 3
    assert api.get("/api/v2/locations/101/positions").json()["meta"]["pagination"]["total"] == 3


def test_the_authorization_check_failing_is_500_too(api, database_url):
    with table_gone(database_url, "user_locations"):
        r = api.get("/api/v2/locations/101/tags")
    assert r.status_code == 500
    assert r.json() == error("Internal server error")
