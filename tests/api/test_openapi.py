"""The OpenAPI document and the interactive docs page tell the truth about the server."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from tests.conftest import READONLY_AUTH

V2_PATH = re.compile(r"^/api/v2/")


@pytest.fixture
def doc(api) -> dict:
    r = api.get("/openapi.json", auth=None, accept=None)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/json"
    return r.json()


def operations(doc: dict) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, item in doc["paths"].items() for method in item}


def served(api) -> set[tuple[str, str]]:
    """(method, path) of every API route the application really has."""
    return set(api.client.app.served)


def test_the_document_lists_exactly_the_operations_the_server_has(api, doc):
    assert doc["openapi"].startswith("3.1")
    assert "500 `Internal server error`" in doc["info"]["description"]
    assert operations(doc) == served(api)
    ids = [op["operationId"] for item in doc["paths"].values() for op in item.values()]
    assert len(ids) == len(set(ids))


def test_positions_and_tags_are_documented_in_both_spellings(doc):
    for base in ("/api/v2/companies/{location_id}", "/api/v2/locations/{location_id}"):
        for family, item in (("positions", "position_id"), ("tags", "tag_id")):
            assert set(doc["paths"][f"{base}/{family}"]) == {"get", "post"}
            assert set(doc["paths"][f"{base}/{family}/{{{item}}}"]) == {"get", "put", "delete"}


def test_every_documented_operation_is_answered_by_the_server(api, doc):
    for method, path in sorted(operations(doc)):
        concrete = re.sub(r"\{\w+\}", "101", path)
        r = api.request(method, concrete, auth=None, json={} if method in ("POST", "PUT", "PATCH") else None)
        assert r.status_code not in (404, 405), (method, path)
        assert r.status_code == 401 and r.json()["meta"]["message"] == "Authentication needed."


def test_every_operation_documents_the_errors_the_server_can_give(doc):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            codes = set(op["responses"])
            assert "401" in codes, (method, path)
            if "{location_id}" in path:
                assert "404" in codes, (method, path)
                # Only a user's grants can be broken; the partner token alone has none.
                assert ("403" in codes) == (op["security"] != [{"PartnerToken": []}]), (method, path)
            if V2_PATH.match(path):
                assert "400" in codes
            if method in ("post", "put", "patch"):
                assert {"400", "413"} <= codes, (method, path)
                assert "requestBody" in op
            for code, response in op["responses"].items():
                assert response["description"]
                if code != "204":
                    Draft202012Validator.check_schema(response["content"]["application/json"]["schema"])


def schema_of(doc: dict, method: str, template: str, status: int) -> dict | None:
    response = doc["paths"][template][method.lower()]["responses"][str(status)]
    return response.get("content", {}).get("application/json", {}).get("schema")


# (method, documented path, concrete path, body, status); run with both spellings.
SAMPLES = [
    ("GET", "/positions", "/positions", None, 200),
    ("GET", "/positions", "/positions?limit=1&offset=2", None, 200),
    ("GET", "/positions", "/positions?limit=x", None, 400),
    ("POST", "/positions", "/positions", {"title": "Coach", "salon_ids": [101]}, 201),
    ("POST", "/positions", "/positions", {"salon_ids": []}, 422),
    ("GET", "/positions/{position_id}", "/positions/1", None, 200),
    ("GET", "/positions/{position_id}", "/positions/99", None, 404),
    ("PUT", "/positions/{position_id}", "/positions/3", {"position_id": 3, "title": "Desk", "salon_ids": [101]}, 204),
    ("PUT", "/positions/{position_id}", "/positions/3", {"position_id": 4, "title": "Desk", "salon_ids": [101]}, 422),
    ("DELETE", "/positions/{position_id}", "/positions/1", None, 422),
    ("DELETE", "/positions/{position_id}", "/positions/3", None, 204),
    ("GET", "/tags", "/tags", None, 200),
    ("GET", "/tags", "/tags?entity=activity", None, 200),
    ("GET", "/tags", "/tags?entity=9", None, 400),
    ("POST", "/tags", "/tags", {"title": "VIP", "color": "#ff2828", "entity": "1", "icon": "star"}, 200),
    ("POST", "/tags", "/tags", {"color": "#ff2828"}, 422),
    ("POST", "/tags", "/tags", b"{oops", 400),
    ("GET", "/tags/{tag_id}", "/tags/1055", None, 200),
    ("PUT", "/tags/{tag_id}", "/tags/1052", {"title": "VIP", "entity": None}, 204),
    ("PUT", "/tags/{tag_id}", "/tags/1055", {"title": "VIP"}, 403),
    ("DELETE", "/tags/{tag_id}", "/tags/1051", None, 204),
    ("GET", "/tags/{tag_id}", "/tags/1051", None, 200),  # deleted by now
    ("DELETE", "/tags/{tag_id}", "/tags/1051", None, 404),
]


@pytest.mark.parametrize("spelling", ["companies", "locations"])
def test_real_responses_and_requests_match_the_documented_schemas(api, doc, spelling):
    base = f"/api/v2/{spelling}/101"
    template_base = f"/api/v2/{spelling}/{{location_id}}"
    for method, template, path, body, status in SAMPLES:
        op = doc["paths"][template_base + template][method.lower()]
        if isinstance(body, dict) and status < 300:
            Draft202012Validator(op["requestBody"]["content"]["application/json"]["schema"]).validate(body)
        kw = {"content": body} if isinstance(body, bytes) else {"json": body}
        r = api.request(method, base + path, **kw)
        assert r.status_code == status, (method, path, r.text)
        schema = schema_of(doc, method, template_base + template, status)
        if status == 204:
            assert schema is None and r.content == b""
        else:
            Draft202012Validator(schema).validate(r.json())
    for auth, accept, status in [(None, None, 400), ("Bearer x, User y", "application/vnd.api.v2+json", 401),
                                 (READONLY_AUTH, "application/vnd.api.v2+json", 403)]:
        r = api.request("POST", base + "/tags", json={"title": "X", "color": "#000000"}, auth=auth, accept=accept)
        assert r.status_code == status
        Draft202012Validator(schema_of(doc, "POST", template_base + "/tags", status)).validate(r.json())


def test_documented_request_schemas_refuse_what_the_server_refuses(doc):
    create_tag = doc["paths"]["/api/v2/locations/{location_id}/tags"]["post"]["requestBody"]["content"]
    validator = Draft202012Validator(create_tag["application/json"]["schema"])
    assert not validator.is_valid({"title": "X"})
    assert not validator.is_valid({"title": "X", "color": "red"})
    assert not validator.is_valid({"title": "X", "color": "#000000", "entity": 7})
    assert not validator.is_valid({"title": "X", "color": "#000000", "extra": 1})
    assert validator.is_valid({"title": "X", "color": "#000000", "entity": None, "icon": None})


def test_the_docs_page_and_its_assets_are_served(api):
    r = api.get("/docs", auth=None, accept=None)
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "/openapi.json" in r.text and "application/vnd.api.v2+json" in r.text
    for asset in re.findall(r'(?:href|src)="(/docs/static/[^"]+)"', r.text):
        got = api.get(asset, auth=None, accept=None)
        assert got.status_code == 200 and len(got.content) > 1000, asset
    assert api.get("/docs/", auth=None, accept=None).status_code == 200
    assert api.get("/docs/static/nothing.js", auth=None, accept=None).status_code == 404
