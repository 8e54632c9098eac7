"""v1 shapes of a location's team members, services, service categories and resources
(behaviour 15), with their OpenAPI schemas.

Every field is always present with one JSON type, as in the event's nested objects
(behaviour 7.2). What the server does not model answers with a fixed value, listed in
behaviour 15.2: `api_id` "", `weight` 0, `information` "", `hidden`/`fired`/`status` 0,
votes and comments 0, `user_id` 0, `discount` 0, `active` 1, `is_chain` false.
"""

from __future__ import annotations

import json
from typing import Any

from altegio_server.api.v1.presenters import staff_member

_INT, _NUM, _STR = {"type": "integer"}, {"type": "number"}, {"type": "string"}
_IDS = {"type": "array", "items": _INT}
_PREPAID = {"type": "string", "enum": ["forbidden", "optional", "required"]}


def _schema(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


def _fixed(value: Any, schema: dict[str, Any]) -> dict[str, Any]:
    return {**schema, "enum": [value], "description": "not modelled: always " + json.dumps(value)}


STAFF = _schema({
    "id": _INT, "name": _STR, "company_id": _INT, "specialization": _STR, "api_id": _fixed("", _STR),
    "rating": _NUM, "prepaid": _fixed("forbidden", _PREPAID), "show_rating": _fixed(0, _INT),
    "comments_count": _fixed(0, _INT), "votes_count": _fixed(0, _INT),
    "average_score": {**_NUM, "description": "the rating"}, "avatar": _STR, "avatar_big": _STR,
    "user_id": _fixed(0, _INT),
    "position": {"type": "object", "description": "{} when the team member has no position",
                 "properties": {"id": _INT, "title": _STR}},
    "information": _fixed("", _STR), "hidden": _fixed(0, _INT), "fired": _fixed(0, _INT),
    "status": _fixed(0, _INT), "weight": _fixed(0, _INT),
})


def staff(s: dict[str, Any]) -> dict[str, Any]:
    """A live team member: the event's `staff` object and the management fields."""
    return {**staff_member(s), "information": "", "hidden": 0, "fired": 0, "status": 0, "weight": 0}


SERVICE = _schema({
    "id": _INT, "salon_service_id": {**_INT, "description": "the service's id"}, "title": _STR,
    "category_id": {**_INT, "description": "0 when the service has no category"},
    "price_min": _NUM, "price_max": _NUM, "discount": _fixed(0, _INT), "comment": _STR,
    "weight": _fixed(0, _INT), "active": _fixed(1, _INT), "api_id": _fixed("", _STR), "prepaid": _PREPAID,
    "is_multi": {"type": "boolean", "description": "a group-event service"},
    "capacity": {**_INT, "description": "default seats of its events"},
    "duration": {**_INT, "description": "seconds"}, "image_url": _STR,
    "staff": {"type": "array", "description": "live team members who provide it, by id",
              "items": _schema({"id": _INT, "seance_length": {**_INT, "description": "seconds"}})},
    "resources": {**_IDS, "description": "ids of the resources (not instances) it needs"},
})


def service(s: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": s["id"], "salon_service_id": s["id"], "title": s["title"], "category_id": s["category_id"] or 0,
        "price_min": s["price_min"], "price_max": s["price_max"], "discount": 0, "comment": s["comment"],
        "weight": 0, "active": 1, "api_id": "", "prepaid": s["prepaid"], "is_multi": bool(s["is_group"]),
        "capacity": s["capacity"], "duration": s["duration"], "image_url": s["image_url"],
        "staff": [{"id": m["id"], "seance_length": m["length"]} for m in s["staff"]],
        "resources": s["resource_ids"],
    }


CATEGORY = _schema({
    "id": _INT, "salon_service_id": {**_INT, "description": "the category's id"}, "title": _STR,
    "api_id": _fixed("", _STR), "weight": _fixed(0, _INT), "is_chain": _fixed(False, {"type": "boolean"}),
    "staff": {**_IDS, "description": "live team members providing one of its live services, by id"},
})


def category(c: dict[str, Any]) -> dict[str, Any]:
    return {"id": c["id"], "salon_service_id": c["id"], "title": c["title"], "api_id": "", "weight": 0,
            "is_chain": False, "staff": c["staff_ids"]}


RESOURCE = _schema({
    "id": _INT, "title": _STR, "salon_id": _INT,
    "instances": {"type": "array", "description": "by id; an event books these ids",
                  "items": _schema({"id": _INT, "title": _STR, "resource_id": _INT})},
})


def resource(r: dict[str, Any]) -> dict[str, Any]:
    return {"id": r["id"], "title": r["title"], "salon_id": r["location_id"],
            "instances": [{"id": i["id"], "title": i["title"], "resource_id": i["resource_id"]}
                          for i in r["instances"]]}
