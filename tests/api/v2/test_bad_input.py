"""Bad input of every kind gets a clear 4xx in the envelope, never a 500, and changes nothing."""

from __future__ import annotations

import json

import pytest

from tests.conftest import error

TAGS, POSITIONS = "/api/v2/locations/101/tags", "/api/v2/companies/101/positions"
GOOD = {
    ("POST", TAGS): {"title": "Fine", "color": "#123456", "entity": 0, "icon": "star"},
    ("PUT", TAGS + "/1052"): {"title": "Fine", "color": "#123456", "entity": 0, "icon": "star"},
    ("POST", POSITIONS): {"title": "Fine", "description": "", "salon_ids": [101]},
    ("PUT", POSITIONS + "/3"): {"position_id": 3, "title": "Fine", "description": "", "salon_ids": [101]},
}
NUL = "bad\x00value"


def state(api) -> tuple:
    """Everything a body operation above could change."""
    return tuple(api.get(p).json() for p in (TAGS, TAGS + "/1052", "/api/v2/locations/102/tags", POSITIONS,
                                             POSITIONS + "/3", "/api/v2/companies/102/positions"))


def assert_refused(r, statuses=(400, 422)) -> None:
    assert r.status_code in statuses, (r.status_code, r.text)
    body = r.json()
    assert body["success"] is False and body["data"] is None
    assert isinstance(body["meta"]["message"], str) and body["meta"]["message"]
    if "errors" in body:
        assert body["errors"] == body["meta"]["errors"]
        assert all(isinstance(k, str) and v and all(isinstance(m, str) for m in v) for k, v in body["errors"].items())


@pytest.mark.parametrize("raw, status", [
    (b"", 422), (b"   \n", 422), (b"[]", 422), (b"[{}]", 422), (b'"title"', 422), (b"123", 422), (b"null", 422),
    (b"true", 422), (b"{\"title\": ", 400), (b"\xc3\x28", 400), (b'{"title": "\xff"}', 400), (b"\xef\xbb\xbf{}", 400),
])
def test_a_body_that_is_not_an_object_is_refused(api, raw, status):
    before = state(api)
    for method, path in GOOD:
        r = api.request(method, path, content=raw)
        assert_refused(r, (status,))
        if raw.strip() in (b"[]", b"[{}]", b'"title"', b"123", b"true"):
            assert r.json() == error("This value should be of type object.",
                                     {"body": ["This value should be of type object."]})
        if raw == b"null":
            assert r.json() == error("This value should not be null.", {"body": ["This value should not be null."]})
    assert state(api) == before


FIELD_VALUES = [None, True, False, 0, -1, 1.5, 10**30, -(10**30), 1e300, "", "x" * 70_000, NUL, "\ud7ff\ue000",
                [], [None], [10**30], [-1], ["1"], {}, {"a": 1}]


@pytest.mark.parametrize("value", FIELD_VALUES, ids=lambda v: repr(v)[:20])
def test_a_wrong_value_in_any_field_is_refused_or_harmless(api, value):
    for (method, path), good in GOOD.items():
        for name in good:
            r = api.request(method, path, json={**good, name: value})
            if r.status_code < 400:
                # A few values are right for some fields (null icon, 0 entity, empty description).
                assert r.status_code in (200, 201, 204), (method, path, name, r.status_code)
                continue
            assert_refused(r)
    # Whatever passed must not have corrupted anything: every list and item still reads.
    for path in (TAGS, POSITIONS, "/api/v2/locations/102/tags", "/api/v2/locations/102/positions"):
        listed = api.get(path + "?limit=1000")
        assert listed.status_code == 200
        for item in listed.json()["data"]:
            assert api.get(f"{path}/{item['id']}").status_code == 200


@pytest.mark.parametrize("value", FIELD_VALUES, ids=lambda v: repr(v)[:20])
def test_a_wrong_value_in_a_required_identity_field_changes_nothing(api, value):
    before = state(api)
    cases = [("POST", TAGS, "title"), ("POST", TAGS, "color"), ("PUT", TAGS + "/1052", "color"),
             ("POST", POSITIONS, "salon_ids"), ("PUT", POSITIONS + "/3", "position_id"),
             ("PUT", POSITIONS + "/3", "salon_ids"), ("POST", POSITIONS, "title")]
    for method, path, name in cases:
        if name == "title" and value == "\ud7ff\ue000":  # a fine title, in fact
            continue
        r = api.request(method, path, json={**GOOD[(method, path)], name: value})
        assert_refused(r)
    assert state(api) == before


@pytest.mark.parametrize("name", ["unknown", "id", "deleted", "TITLE", "title ", "", NUL, "a" * 10_000, "salon_ids.0"])
def test_unknown_fields_are_422_naming_the_field(api, name):
    before = state(api)
    named = name if len(name) <= 200 else "a" * 200 + "… (10000 characters)"  # echoed cut (behaviour 9.6)
    for (method, path), good in GOOD.items():
        r = api.request(method, path, json={**good, name: 1})
        assert r.status_code == 422
        assert r.json() == error("This field was not expected.", {named: ["This field was not expected."]})
    assert state(api) == before


def test_nul_characters_in_strings_are_422(api):
    before = state(api)
    for (method, path), good in GOOD.items():
        r = api.request(method, path, json={**good, "title": NUL})
        assert r.status_code == 422
        assert r.json() == error("This value contains invalid characters.",
                                 {"title": ["This value contains invalid characters."]})
    r = api.post(POSITIONS, {**GOOD[("POST", POSITIONS)], "rules_required_fields": ["ok", NUL]})
    assert r.json() == error("This value contains invalid characters.",
                             {"rules_required_fields.1": ["This value contains invalid characters."]})
    assert state(api) == before


def test_very_long_strings_are_422_and_long_enough_ones_are_kept_whole(api):
    before = state(api)
    r = api.post(TAGS, {"title": "T" * 256, "color": "#000000"})
    assert r.json()["errors"] == {"title": ["This value is too long. It should have 255 characters or less."]}
    r = api.post(POSITIONS, {"title": "P", "description": "d" * 65536, "salon_ids": [101]})
    assert r.json()["errors"] == {"description": ["This value is too long. It should have 65535 characters or less."]}
    assert state(api) == before
    title = "Ž" * 255
    r = api.post(TAGS, {"title": title, "color": "#000000", "icon": "ü" * 255})
    assert r.status_code == 200
    assert api.get(f"{TAGS}/{r.json()['data']['id']}").json()["data"]["attributes"]["title"] == title


def test_unicode_beyond_the_basic_plane_is_stored_as_sent(api):
    title = "Yoga 🧘 ﷺ 𝔘"
    r = api.post(POSITIONS, {"title": title, "description": "\u200b\t\n", "salon_ids": [101]})
    assert r.status_code == 201
    got = api.get(f"{POSITIONS}/{r.json()['data']['id']}").json()["data"]["attributes"]
    assert (got["title"], got["description"]) == (title, "\u200b\t\n")


@pytest.mark.parametrize("path", [
    "/api/v2/companies/" + "1" * 30 + "/positions", "/api/v2/locations/9223372036854775808/tags",
    "/api/v2/locations/101/tags/" + "9" * 40, "/api/v2/companies/101/positions/18446744073709551616",
    "/api/v2/locations/0/tags", "/api/v2/locations/-101/tags",
    "/api/v2/locations/101/tags/-1", "/api/v2/locations/1e3/tags", "/api/v2/locations/%F0%9F%98%80/tags",
    "/api/v2/locations/101/tags/%ff",
])
def test_absurd_ids_in_paths_are_404_for_every_method(api, path):
    before = state(api)
    for method in ("GET", "POST", "PUT", "DELETE"):
        r = api.request(method, path, json={"title": "X", "color": "#000000", "salon_ids": [101]})
        if r.status_code == 405:  # a list path that does not take PUT or DELETE, say
            continue
        assert r.status_code == 404, (method, r.status_code)
        assert r.json() == error("Not found")
    assert state(api) == before


@pytest.mark.parametrize("query", [
    "limit=" + "9" * 40, "offset=" + "9" * 40, "limit=-0", "limit=%00", "limit=1%002", "limit=%ff", "offset=+1",
    "limit=١٢", "limit=0x10", "limit= 5", "offset=1&offset=x",
])
def test_absurd_paging_values_are_400(api, query):
    r = api.get(POSITIONS + "?" + query)
    assert_refused(r, (400,))
    assert set(r.json()["errors"]) <= {"limit", "offset"}


@pytest.mark.parametrize("query", ["entity=%00", "entity=%ff", "entity=" + "9" * 40, "entity=-0", "entity=0x1",
                                   "entity=1e0", "entity=null"])
def test_absurd_entity_filters_are_400(api, query):
    r = api.get(TAGS + "?" + query)
    assert r.status_code == 400
    assert r.json() == error("Invalid entity type", {"entity": ["Invalid entity type"]})


def test_unknown_query_parameters_are_ignored(api):
    assert api.get(POSITIONS + "?foo=bar&limit=1").json()["meta"]["pagination"]["limit"] == 1
    assert api.get(TAGS + "?filter[x]=1").status_code == 200


def test_a_deeply_nested_value_is_refused_without_a_crash(api):
    nested = json.dumps({"title": "T", "salon_ids": [101], "description": json.loads("[" * 500 + "]" * 500)})
    r = api.post(POSITIONS, content=nested.encode())
    assert r.status_code == 422
    assert r.json()["errors"] == {"description": ["This value should be of type string."]}


def test_a_thousand_salons_are_checked_and_the_first_20_unknown_ones_named(api):
    r = api.post(POSITIONS, {"title": "T", "salon_ids": [101] + list(range(5000, 5999))})
    message = "The salon does not belong to this chain"
    assert (r.status_code, r.json()) == (422, error(f"{message} (979 more field errors not listed)",
                                                    {f"salon_ids.{i}": [message] for i in range(1, 21)}))
    r = api.post(POSITIONS, {"title": "T", "salon_ids": [101] * 1001})
    assert r.json()["errors"] == {"salon_ids": ["This collection should contain 1000 elements or less."]}


def test_an_answer_lists_at_most_20_field_errors_and_says_how_many_more(api):
    """A body of 40,000 unknown keys (0.8 MB) is answered in 2 KB, not 12 MB (behaviour 9.6)."""
    body = {f"unknown_{i:07d}": 1 for i in range(40_000)}
    for (method, path), good in GOOD.items():
        r = api.request(method, path, json={**good, **body})
        listed = {f"unknown_{i:07d}": ["This field was not expected."] for i in range(20)}
        assert (r.status_code, r.json()) == (422, error(
            "This field was not expected. (39980 more field errors not listed)", listed))
        assert len(r.content) < 4096


def test_long_unknown_keys_are_echoed_cut_to_200_characters(api):
    body = {"😀" * 5000 + f"{i:02d}": 1 for i in range(30)}
    r = api.post("/api/v2/companies/101/tags", json={"title": "VIP", "color": "#ff2828", **body})
    listed = {"😀" * 200 + "… (5002 characters)": ["This field was not expected."] * 5}
    assert (r.status_code, r.json()) == (422, error(
        "This field was not expected. (10 more field errors not listed)", listed))
