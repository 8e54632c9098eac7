"""A small, valid fixture whose ids, logins and tokens do not clash with the demo's."""

from __future__ import annotations

import copy
import re
from typing import Any

PARTNER, USER = "seven-partner-token", "seven-user-token"
AUTH = f"Bearer {PARTNER}, User {USER}"

_SEVEN: dict[str, Any] = {
    "chains": [{
        "id": 7, "title": "Seven Gyms",
        "locations": [
            {"id": 701, "title": "Seven Central", "timezone": "Asia/Tokyo", "default_technical_break": 600,
             "staff": [{"id": 7001, "name": "Aiko", "specialization": "Yoga", "position_id": 500, "rating": 4.5},
                       {"id": 7002, "name": "Ren"}],
             "service_categories": [{"id": 7010, "title": "Classes"}],
             "services": [{"id": 7021, "title": "Zen yoga", "category_id": 7010, "group_event": True, "capacity": 10,
                           "duration": 3600, "price_min": 1000, "price_max": 1500.5, "prepaid": "optional",
                           "staff_ids": [7001, 7002]}],
             "resources": [{"id": 7031, "title": "Dojo", "service_ids": [7021],
                            "instances": [{"id": 7041, "title": "Dojo 1"}]}],
             "tags": [{"id": 7051, "title": "Morning", "color": "#ffcc00", "entity": 3},
                      {"id": 7052, "title": "Fixed", "color": "#000000", "editable": False}],
             "clients": [{"id": 7061, "name": "Kenji", "phone": "+81000000001", "gender": 1}]},
            {"id": 702, "title": "Seven East", "timezone": "Asia/Tokyo",
             "staff": [{"id": 7101, "name": "Sora"}]},
        ],
        "positions": [{"id": 500, "title": "Sensei", "description": "Teaches", "salon_ids": [701, 702]}],
    }],
    "users": [{"id": 70, "name": "Seven owner", "email": "owner@seven.example", "password": "pw-seven",
               "user_token": USER, "access": [{"location_id": 701}, {"location_id": 702, "read_only": True}]}],
    "partner_tokens": [{"name": "Seven app", "token": PARTNER}],
}
TABLES = ("chains", "locations", "positions", "position_locations", "staff", "service_categories", "services",
          "service_staff", "resources", "resource_instances", "service_resources", "tags", "clients", "users",
          "user_locations", "partner_tokens")


def seven() -> dict[str, Any]:
    """A fresh copy, safe to change."""
    return copy.deepcopy(_SEVEN)


def changed(place: str, value: Any) -> dict[str, Any]:
    """The fixture with the field at `place` (`chains[0].locations[0].timezone`) set to value."""
    data = seven()
    *parents, last = re.findall(r"[^.\[\]]+", place)
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return data
