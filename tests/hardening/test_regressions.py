"""Bugs the fuzzer and the hardening tests found, each pinned by the smallest request that showed it."""

from __future__ import annotations

from tests.conftest import PRAGUE, error
from tests.event_factories import create_event

LOC = PRAGUE["id"]
NOT_UINT = "This value should be a non-negative integer."


def test_a_position_with_a_null_description_is_created_without_one(api):
    r = api.post(f"/api/v2/locations/{LOC}/positions", json={"title": "Coach", "description": None,
                                                              "salon_ids": [LOC]})
    assert r.status_code == 201, r.text
    assert r.json()["data"]["attributes"]["description"] == ""


def test_a_position_replaced_with_a_null_description_has_none(api):
    position = PRAGUE["position_ids"][0]
    r = api.put(f"/api/v2/locations/{LOC}/positions/{position}",
                json={"position_id": position, "title": "Coach", "description": None, "salon_ids": [LOC]})
    assert r.status_code == 204, r.text
    assert api.get(f"/api/v2/locations/{LOC}/positions/{position}").json()["data"]["attributes"]["description"] == ""


def test_digits_of_other_scripts_are_not_numbers(api):
    r = api.get(f"/api/v2/locations/{LOC}/positions", params={"limit": "\u0661\u0660"})  # Arabic-Indic "10"
    assert r.status_code == 400
    assert r.json() == error(NOT_UINT, {"limit": [NOT_UINT]})


def test_a_phone_in_digits_of_another_script_is_refused(api):
    event = create_event(api)
    r = api.post(f"/api/v2/locations/{LOC}/events/{event['id']}/appointments", json={
        "client": {"name": "A", "phone": "+\u0664\u0662\u0660\u0666\u0660\u0661\u0660\u0660\u0660\u0660",
                   "email": "", "surname": "", "gender": 0}, "clients_count": 1})
    assert r.status_code == 422
    assert r.json()["errors"] == {"client.phone": ["This value is not a valid phone number."]}


def test_the_first_event_of_a_fresh_database_has_id_1_on_every_database(api):
    assert create_event(api)["id"] == "1"


def test_the_document_says_which_bodies_may_be_left_out_and_anchors_patterns(api):
    paths = api.get("/openapi.json").json()["paths"]
    tag = paths["/api/v2/companies/{location_id}/tags/{tag_id}"]["put"]["requestBody"]
    assert tag["required"] is False
    created = paths["/api/v2/companies/{location_id}/activities"]["post"]["requestBody"]
    assert created["required"] is True
    date = created["content"]["application/json"]["schema"]["properties"]["date"]
    assert date["pattern"].startswith("^(?:") and date["pattern"].endswith(")$")
    title = created["content"]["application/json"]["schema"]["properties"]["comment"]
    assert title["pattern"] == "^[^\\u0000]*$"
    booking = paths["/api/v2/companies/{location_id}/activities/{event_id}/records"]["post"]["requestBody"]
    assert [o["required"] for o in booking["content"]["application/json"]["schema"]["anyOf"]] == \
        [["client"], ["comer"], ["comer_id"]]


def test_an_id_of_thousands_of_digits_is_an_unknown_id(api):
    r = api.get(f"/api/v2/locations/{LOC}/events/{'9' * 5000}")  # Python reads at most 4,300 digits as an int
    assert (r.status_code, r.json()) == (404, error("Not found"))
