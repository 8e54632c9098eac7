"""An integrator's journey across both API versions, over plain HTTP against the real server.

The journey is written from docs/behaviour.md alone, the way client code would be: log in through
v1, look up a group service, create an event through v1, find it by its date through v1
search, read and book it through v2, see the booking counted through v1, and delete it
through v1. The only things it knows beforehand are what a business hands its integrator:
the base URL, the partner token, a login and password, and the location id. The server is
the command-line server in a process of its own, its clock fixed as a sandbox would have it
(ALTEGIO_FROZEN_TIME), once over SQLite and once over PostgreSQL.
"""

from __future__ import annotations

from typing import Any, Iterator

import httpx
import pytest

from tests.live_server import LiveServer

SANDBOX_NOW = "2027-01-10T12:00:00+00:00"
PARTNER_TOKEN = "demo-partner-token-5d3c1f0a"
LOGIN, PASSWORD = "owner@demo.example", "demo-password"
LOCATION = 101  # Europe/Prague
EVENT_DAY = "2027-01-15"
V2_ACCEPT = "application/vnd.api.v2+json"


@pytest.fixture
def base_url(database_url: str) -> Iterator[str]:
    from datetime import datetime

    with LiveServer(database_url, frozen_time=datetime.fromisoformat(SANDBOX_NOW)) as server:
        yield server.url


@pytest.fixture
def http(base_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base_url, timeout=30) as client:
        yield client


def expect(response: httpx.Response, status: int) -> Any:
    """The response's JSON, after checking its status (with the body in the message if not)."""
    assert response.status_code == status, f"{response.request.method} {response.request.url}: " \
                                           f"{response.status_code} {response.text}"
    return response.json() if response.content else None


def test_an_event_made_in_v1_is_found_read_booked_counted_and_deleted_across_versions(http):
    # Log in (v1, partner token alone) for a user token.
    body = expect(http.post("/api/v1/auth", json={"login": LOGIN, "password": PASSWORD},
                            headers={"Authorization": f"Bearer {PARTNER_TOKEN}"}), 201)
    assert body["success"] is True
    user_token = body["data"]["user_token"]
    auth = f"Bearer {PARTNER_TOKEN}, User {user_token}"
    v1 = {"Authorization": auth, "Accept": "application/json"}
    v2 = {"Authorization": auth, "Accept": V2_ACCEPT}

    # Pick a group service and a team member who provides it (v1).
    services = expect(http.get(f"/api/v1/activity/{LOCATION}/services", headers=v1), 200)
    assert services["meta"]["count"] == len(services["data"]) > 0
    service = next(s for s in services["data"] if s["staff"])
    staff_id = service["staff"][0]["id"]

    # Create the event (v1): a date in local time, no length (the service's own is taken).
    created = expect(http.post(f"/api/v1/activity/{LOCATION}", headers=v1, json={
        "date": f"{EVENT_DAY} 09:00", "service_id": service["id"], "staff_id": staff_id, "capacity": 5,
        "force": False, "comment": "Journey across API versions", "length": None, "label_ids": None,
    }), 200)
    event = created["data"]
    assert (created["success"], created["meta"]) == (True, [])
    assert (event["service_id"], event["staff_id"], event["capacity"], event["records_count"]) == \
        (service["id"], staff_id, 5, 0)
    assert event["date"].startswith(f"{EVENT_DAY}T09:00:00") and event["is_deleted"] is False
    assert event["service"]["title"] == service["title"] and event["staff"]["id"] == staff_id
    event_id = event["id"]

    # Find it by its date (v1 search).
    found = expect(http.get(f"/api/v1/activity/{LOCATION}/search",
                            params={"from": EVENT_DAY, "till": EVENT_DAY, "staff_ids[]": staff_id}, headers=v1), 200)
    assert [e["id"] for e in found["data"]] == [event_id] and found["meta"] == {"count": 1}
    assert found["data"][0] == event
    dates = expect(http.get(f"/api/v1/activity/{LOCATION}/search_dates",
                            params={"from": "2027-01-11", "till": "2027-01-17"}, headers=v1), 200)
    assert dates["data"] == [EVENT_DAY]

    # Read it (v2, current path spelling).
    read = expect(http.get(f"/api/v2/locations/{LOCATION}/events/{event_id}", headers=v2), 200)
    assert read["data"]["type"] == "activity" and read["data"]["id"] == str(event_id)
    attributes = read["data"]["attributes"]
    assert (attributes["timestamp"], attributes["capacity"], attributes["clients_count"]) == \
        (event["timestamp"], 5, 0)

    # Book two seats in it (v2, seed path spelling).
    booked = expect(http.post(f"/api/v2/companies/{LOCATION}/activities/{event_id}/records", headers=v2, json={
        "client": {"name": "Journey", "surname": "Tester", "phone": "+420 777 000 111",
                   "email": "journey@example.com", "gender": 0},
        "clients_count": 2,
    }), 201)
    assert booked["data"]["type"] == "record"
    assert (booked["data"]["attributes"]["activity_id"], booked["data"]["attributes"]["clients_count"]) == (event_id, 2)

    # The booking counts (v1).
    again = expect(http.get(f"/api/v1/activity/{LOCATION}/{event_id}", headers=v1), 200)
    assert again["data"]["records_count"] == 2
    assert expect(http.get(f"/api/v2/locations/{LOCATION}/events/{event_id}", headers=v2), 200)[
        "data"]["attributes"]["clients_count"] == 2

    # Delete it (v1): accepted, then gone from search, and read back as deleted by both versions.
    deleted = expect(http.delete(f"/api/v1/activity/{LOCATION}/{event_id}", headers=v1), 202)
    assert deleted == {"success": True, "data": None, "meta": {"message": "Accepted"}}
    found = expect(http.get(f"/api/v1/activity/{LOCATION}/search", params={"from": EVENT_DAY, "till": EVENT_DAY},
                            headers=v1), 200)
    assert found == {"success": True, "data": [], "meta": {"count": 0}}
    gone = expect(http.get(f"/api/v1/activity/{LOCATION}/{event_id}", headers=v1), 200)["data"]
    assert (gone["is_deleted"], gone["records_count"]) == (True, 0)
    assert expect(http.get(f"/api/v2/locations/{LOCATION}/events/{event_id}", headers=v2), 200)[
        "data"]["attributes"]["deleted"] is True
    expect(http.delete(f"/api/v1/activity/{LOCATION}/{event_id}", headers=v1), 404)
