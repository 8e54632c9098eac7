"""Helpers for v1 group-event tests: paths, request bodies, and the whole v1 event object
expected for the demo data (behaviour 7.2), spelled out field by field."""

from __future__ import annotations

from typing import Any

from tests.conftest import PRAGUE

ROOM_A, ROOM_B, COURT = PRAGUE["resource_instance_ids"]
STUDIO_ROOM, PADEL_COURT = 1031, 1032  # resources (kinds) of the Prague instances
COMMON_TAG, SYSTEM_TAG = PRAGUE["tag_ids"]["common"]
ACTIVITY_TAG = PRAGUE["tag_ids"]["activity"][0]
YOGA, PILATES, PADEL = PRAGUE["group_service_ids"]
PERSONAL = PRAGUE["other_service_ids"][0]
EVA, TOMAS, JAN = PRAGUE["staff_ids"]


def path(location: dict[str, Any] = PRAGUE, tail: Any = None) -> str:
    base = f"/api/v1/activity/{location['id']}"
    return base if tail is None else f"{base}/{tail}"


def v1_body(location: dict[str, Any] = PRAGUE, **overrides: Any) -> dict[str, Any]:
    """A minimal valid v1 body: the first team member and group service, ten seats, no length."""
    body = {"date": "2027-01-15 09:00", "service_id": location["group_service_ids"][0],
            "staff_id": location["staff_ids"][0], "capacity": 10, "force": False}
    body.update(overrides)
    return body


class V1:
    """The test client as a v1 integrator uses it: plain `Accept: application/json`."""

    def __init__(self, api: Any) -> None:
        self.api = api

    def request(self, method: str, url: str, **kw: Any):
        kw.setdefault("accept", "application/json")
        return self.api.request(method, url, **kw)

    def get(self, url: str, **kw: Any):
        return self.request("GET", url, **kw)

    def post(self, url: str, json: Any = None, **kw: Any):
        return self.request("POST", url, json=json, **kw)

    def put(self, url: str, json: Any = None, **kw: Any):
        return self.request("PUT", url, json=json, **kw)

    def delete(self, url: str, **kw: Any):
        return self.request("DELETE", url, **kw)


def create(v1: V1, location: dict[str, Any] = PRAGUE, **overrides: Any) -> dict[str, Any]:
    """Create an event through v1; its `data`."""
    r = v1.post(path(location), json=v1_body(location, **overrides))
    assert r.status_code == 200, r.text
    return r.json()["data"]


def one(data: Any, meta: Any = None) -> dict[str, Any]:
    return {"success": True, "data": data, "meta": [] if meta is None else meta}


_POSITIONS = {1: "Senior instructor", 2: "Instructor"}
_STAFF = {
    1001: ("Eva Dvorakova", "Yoga instructor", 1), 1002: ("Tomas Novak", "Pilates coach", 2),
    1003: ("Jan Svoboda", "Padel coach", None),
    2001: ("Maria Lopez", "Yoga instructor", 1), 2002: ("James Carter", "Pilates coach", 2),
    2003: ("Lena Park", "Padel coach", None),
}
_SERVICES = {  # offset from the location's base id: title, price_min, price_max
    21: ("Morning yoga", 15, 20), 22: ("Pilates mat class", 18, 18), 23: ("Padel clinic", 40, 55),
}
_INSTANCES = {1041: ("Room A", 1031), 1042: ("Room B", 1031), 1043: ("Court 1", 1032)}
_TAGS = {1051: ("Newcomer friendly", "", "#4caf50", "#ffffff"), 1054: ("Outdoor", "", "#ffeb3b", "#000000")}


def staff(staff_id: int) -> dict[str, Any]:
    name, specialization, position = _STAFF[staff_id]
    return {
        "id": staff_id, "name": name, "company_id": staff_id // 1000 + 100, "specialization": specialization,
        "api_id": "", "rating": 0, "prepaid": "forbidden", "show_rating": 0, "comments_count": 0, "votes_count": 0,
        "average_score": 0, "avatar": "", "avatar_big": "", "user_id": 0,
        "position": {"id": position, "title": _POSITIONS[position]} if position else {},
    }


def service(service_id: int) -> dict[str, Any]:
    base = service_id // 1000 * 1000
    title, price_min, price_max = _SERVICES[service_id - base]
    category = base + 10
    return {
        "id": service_id, "title": title, "category_id": category, "image_url": "", "is_category": False,
        "salon_service_id": service_id, "comment": "", "price_min": price_min, "price_max": price_max,
        "prepaid": "forbidden", "abonement_restriction": 0,
        "category": {"id": category, "category_id": 0, "title": "Group classes", "is_category": True,
                     "salon_service_id": category, "prepaid": "forbidden", "abonement_restriction": 0,
                     "category": {"id": 0, "category_id": 0, "is_category": True, "title": "", "category": []}},
    }


def instance(instance_id: int) -> dict[str, Any]:
    title, resource_id = _INSTANCES[instance_id]
    return {"id": instance_id, "title": title, "resource_id": resource_id}


def label(tag_id: int) -> dict[str, Any]:
    title, icon, color, font_color = _TAGS[tag_id]
    return {"id": tag_id, "title": title, "icon": icon, "color": color, "font_color": font_color}


def v1_event(event_id: int, location: dict[str, Any] = PRAGUE, **changes: Any) -> dict[str, Any]:
    """The whole v1 event expected for `v1_body(location)` with `changes`; staff, service,
    instances and labels follow their ids unless given whole."""
    staff_id = changes.pop("staff_id", location["staff_ids"][0])
    service_id = changes.pop("service_id", location["group_service_ids"][0])
    instance_ids = changes.pop("resource_instance_ids", [])
    label_ids = changes.pop("label_ids", [])
    expected = {
        "id": event_id, "company_id": location["id"], "salon_id": location["id"], "service_id": service_id,
        "staff_id": staff_id,
        "date": "2027-01-15T09:00:00.000+01:00" if location["id"] == PRAGUE["id"] else "2027-01-15T09:00:00.000-05:00",
        "timestamp": 1800000000 if location["id"] == PRAGUE["id"] else 1800021600,
        "length": 4800, "capacity": 10, "records_count": 0, "color": "", "font_color": "", "instructions": "",
        "stream_link": "", "notified": False, "comment": "", "prepaid": "forbidden", "is_deleted": False,
        "duration_details": {"id": event_id, "services_duration": 3600, "technical_break_duration": 1200},
        "service": service(service_id), "staff": staff(staff_id),
        "resource_instances": [instance(i) for i in instance_ids], "labels": [label(t) for t in label_ids],
    }
    unknown = set(changes) - set(expected)
    assert not unknown, f"not v1 event fields: {unknown}"
    expected.update(changes)
    return expected

