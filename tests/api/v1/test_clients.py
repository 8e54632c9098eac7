"""v1 clients: GET /api/v1/client/{location_id}/{client_id} (behaviour 16.4)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error

LOC = PRAGUE["id"]
JANA = {"name": "Jana", "surname": "Dvorak", "patronymic": "Marie", "phone": "+420 603 000-001",
        "email": "jana@example.com", "gender": 2, "birthday": "1990-05-17",
        "custom_field_values": [{"code": "shoe_size", "value": "38"}]}


def one(client_id: int, location_id: int = LOC) -> str:
    return f"/api/v1/client/{location_id}/{client_id}"


@pytest.fixture
def jana(api, database_url) -> int:
    """Jana, a client created by her booking; her id."""
    event = f.make_event(database_url)
    r = api.post(f"/api/v2/locations/{LOC}/events/{event}/appointments", json={"client": JANA, "clients_count": 1})
    assert r.status_code == 201, r.json()
    return r.json()["data"]["attributes"]["client_id"]


def test_a_client_is_read_whole_in_the_v1_shape(api, jana):
    r = api.get(one(jana), accept=None)
    assert (r.status_code, r.json()) == (200, {"success": True, "meta": [], "data": {
        "id": jana, "name": "Jana", "surname": "Dvorak", "middle_name": "Marie", "phone": "+420603000001",
        "email": "jana@example.com", "categories": [], "gender": "Female", "gender_id": 2, "discount": 0,
        "importance_id": 0, "importance": "", "card": "", "birth_date": "1990-05-17", "comment": "",
        "sms_check": 0, "sms_not": 0, "spent": 0, "balance": 0, "visits": 0,
        # Booked at 2027-01-10 12:00 UTC, 13:00 in Prague.
        "last_change_date": "2027-01-10T13:00:00+0100", "custom_fields": {"shoe_size": "38"},
    }})


def test_a_client_without_birthday_or_custom_fields_has_empty_values(api, database_url):
    event = f.make_event(database_url)
    body = {"client": {"name": "Petr", "phone": "+420603000002", "email": "", "surname": "", "gender": 0},
            "clients_count": 1}
    client_id = api.post(f"/api/v2/locations/{LOC}/events/{event}/appointments", json=body).json()["data"][
        "attributes"]["client_id"]
    data = api.get(one(client_id)).json()["data"]
    assert (data["birth_date"], data["custom_fields"], data["gender"], data["gender_id"], data["middle_name"]) == (
        "", {}, "Unknown", 0, "")


def test_a_read_only_user_may_read_a_client(api, jana):
    assert api.get(one(jana), auth=READONLY_AUTH).status_code == 200


@pytest.mark.parametrize("client_id", [987654, 2**63, 2**64])
def test_an_unknown_client_is_404(api, client_id):
    r = api.get(one(client_id))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_a_client_is_not_read_through_another_location(api, jana):
    r = api.get(one(jana, NEW_YORK["id"]))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_reading_a_client_without_tokens_is_401(api, jana):
    r = api.get(one(jana), auth=None)
    assert (r.status_code, r.json()) == (401, error("Authentication needed."))
