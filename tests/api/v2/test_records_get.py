"""Reading one appointment: GET /api/v2/locations/{id}/appointments/{record_id} (behaviour 16.3)."""

from __future__ import annotations

import pytest

from tests import factories as f
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error

LOC = PRAGUE["id"]
CLIENT = {"name": "Eva", "phone": "+420 602 000 001", "email": "", "surname": "", "gender": 0}


def one(record_id: int, location_id: int = LOC) -> str:
    return f"/api/v2/locations/{location_id}/appointments/{record_id}"


@pytest.fixture
def booked(api, database_url) -> tuple[int, int]:
    """(event, record) of a two-seat booking."""
    event = f.make_event(database_url, capacity=5)
    r = api.post(f"/api/v2/locations/{LOC}/events/{event}/appointments", json={"client": CLIENT, "clients_count": 2})
    assert r.status_code == 201, r.json()
    return event, int(r.json()["data"]["id"])


def test_an_appointment_is_read_as_the_record_resource(api, database_url, booked):
    event, record_id = booked
    r = api.get(one(record_id))
    client_id = f.clients_with_phone(database_url, LOC, "+420602000001")[0]
    assert (r.status_code, r.json()) == (200, {
        "data": f.record_resource(record_id, event_id=event, client_id=client_id, clients_count=2), "meta": []})


def test_a_read_only_user_may_read_one(api, booked):
    assert api.get(one(booked[1]), auth=READONLY_AUTH).status_code == 200


def test_a_cancelled_appointment_is_404(api, booked):
    assert api.delete(one(booked[1])).status_code == 204
    r = api.get(one(booked[1]))
    assert (r.status_code, r.json()) == (404, error("Not found"))


@pytest.mark.parametrize("record_id", [987654, 2**64])
def test_an_unknown_appointment_is_404(api, record_id):
    r = api.get(one(record_id))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_an_appointment_is_not_read_through_another_location(api, booked):
    r = api.get(one(booked[1], NEW_YORK["id"]))
    assert (r.status_code, r.json()) == (404, error("Not found"))


def test_the_v2_accept_header_is_required(api, booked):
    r = api.get(one(booked[1]), accept="application/json")
    assert r.status_code == 400
    assert r.json()["success"] is False


def test_the_seed_spelling_reads_the_same_appointment(api, booked):
    current, seed = api.get(one(booked[1])), api.get(f"/api/v2/companies/{LOC}/records/{booked[1]}")
    assert (seed.status_code, seed.json()) == (current.status_code, current.json())
    assert current.status_code == 200
