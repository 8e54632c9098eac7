"""v1 wire shapes: domain rows in, the vendor's v1 objects out (with their OpenAPI schemas)."""

from __future__ import annotations

from typing import Any

from altegio_server.colors import font_color_for
from altegio_server.events.browse import Facets, GroupService
from altegio_server.events.models import Event, Related
from altegio_server.timezones import local

AUTH_USER = {
    "type": "object",
    "required": ["id", "user_token", "name", "phone", "login", "email", "avatar", "is_approved",
                 "is_email_confirmed"],
    "properties": {
        "id": {"type": "integer"},
        "user_token": {"type": "string"},
        "name": {"type": "string"},
        "phone": {"type": "string", "description": '"" when the user has no phone'},
        "login": {"type": "string",
                  "description": "the matched login as stored: the e-mail, or the phone as + and digits"},
        "email": {"type": "string", "description": '"" when the user has no e-mail'},
        "avatar": {"type": "string"},
        "is_approved": {"type": "boolean"},
        "is_email_confirmed": {"type": "boolean"},
    },
}


def auth_user(user: dict[str, Any], token: str, login: str) -> dict[str, Any]:
    """The user of a successful /auth: every field present, texts never null."""
    return {
        "id": user["id"],
        "user_token": token,
        "name": user["name"],
        "phone": user["phone"] or "",
        "login": login,
        "email": user["email"] or "",
        "avatar": user["avatar"],
        "is_approved": bool(user["is_approved"]),
        "is_email_confirmed": bool(user["is_email_confirmed"]),
    }


# Group events (behaviour 7.2). Clients validate the whole object, so every field is always
# present with one JSON type: texts are "" rather than null, counts, flags and ids are numbers,
# and where the model has nothing to say (the root of the service category tree, a team
# member's votes, a user account) the answer is the empty value of the field's type: 0 or "".

def schema(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


_INT, _NUM, _STR, _BOOL = {"type": "integer"}, {"type": "number"}, {"type": "string"}, {"type": "boolean"}
_PREPAID = {"type": "string", "enum": ["forbidden", "optional", "required"]}

_ROOT_CATEGORY = schema({"id": _INT, "category_id": _INT, "is_category": _BOOL, "title": _STR,
                          "category": {"type": "array", "maxItems": 0}})
_CATEGORY = schema({"id": _INT, "category_id": _INT, "title": _STR, "is_category": _BOOL, "salon_service_id": _INT,
                     "prepaid": _PREPAID, "abonement_restriction": _INT, "category": _ROOT_CATEGORY})
_SERVICE = schema({
    "id": _INT, "title": _STR, "category_id": {**_INT, "description": "0 when the service has no category"},
    "image_url": _STR, "is_category": _BOOL, "salon_service_id": _INT, "comment": _STR, "price_min": _NUM,
    "price_max": _NUM, "prepaid": _PREPAID, "abonement_restriction": _INT,
    "category": {**_CATEGORY, "description": "the service's category (id 0 when none); its own `category` is the "
                                             "root of the tree, always id 0, as categories here are one level deep"},
})
_POSITION = {"type": "object", "description": "{} when the team member has no position",
             "properties": {"id": _INT, "title": _STR}}
_STAFF = schema({
    "id": _INT, "name": _STR, "company_id": _INT, "specialization": _STR, "api_id": _STR, "rating": _NUM,
    "prepaid": _PREPAID, "show_rating": _INT, "comments_count": _INT, "votes_count": _INT, "average_score": _NUM,
    "avatar": _STR, "avatar_big": _STR, "user_id": _INT, "position": _POSITION,
})
EVENT = schema({
    "id": _INT, "company_id": _INT, "salon_id": _INT, "service_id": _INT, "staff_id": _INT,
    "date": {"type": "string", "example": "2027-01-15T09:00:00.000+01:00",
             "description": "local start with milliseconds and the zone's offset"},
    "timestamp": _INT, "length": {**_INT, "description": "seconds, technical break included"}, "capacity": _INT,
    "records_count": {**_INT, "description": "seats booked by active appointments"},
    "color": _STR, "font_color": _STR, "instructions": _STR, "stream_link": _STR, "notified": _BOOL,
    "comment": _STR, "prepaid": {**_PREPAID, "description": "the service's prepayment rule"}, "is_deleted": _BOOL,
    "duration_details": schema({"id": _INT, "services_duration": _INT, "technical_break_duration": _INT}),
    "service": _SERVICE, "staff": _STAFF,
    "resource_instances": {"type": "array", "items": schema({"id": _INT, "title": _STR, "resource_id": _INT})},
    "labels": {"type": "array",
               "items": schema({"id": _INT, "title": _STR, "icon": _STR, "color": _STR, "font_color": _STR})},
})


def event(e: Event, related: Related) -> dict[str, Any]:
    """The rich v1 event; `related` must hold the event's staff, service, instances and labels."""
    service = related.services[e.service_id]
    return {
        "id": e.id,
        "company_id": e.location_id,
        "salon_id": e.location_id,
        "service_id": e.service_id,
        "staff_id": e.staff_id,
        "date": local(e.start_ts, e.timezone).isoformat(timespec="milliseconds"),
        "timestamp": e.start_ts,
        "length": e.length,
        "capacity": e.capacity,
        "records_count": e.clients_count,
        "color": e.color,
        "font_color": e.font_color,
        "instructions": e.instructions,
        "stream_link": e.stream_link,
        "notified": bool(e.notified),
        "comment": e.comment or "",
        "prepaid": service["prepaid"],
        "is_deleted": bool(e.deleted),
        "duration_details": {"id": e.id, "services_duration": e.services_duration,
                             "technical_break_duration": e.technical_break},
        "service": _service(service),
        "staff": staff_member(related.staff[e.staff_id]),
        "resource_instances": [{"id": i["id"], "title": i["title"], "resource_id": i["resource_id"]}
                               for i in related.resource_instances.get(e.id, [])],
        "labels": [{"id": t["id"], "title": t["title"], "icon": t["icon"], "color": t["color"],
                    "font_color": font_color_for(t["color"])} for t in related.labels.get(e.id, [])],
    }


def _service(s: dict[str, Any]) -> dict[str, Any]:
    category_id = s["category_id"] or 0
    return {
        "id": s["id"], "title": s["title"], "category_id": category_id, "image_url": s["image_url"],
        "is_category": False, "salon_service_id": s["id"], "comment": s["comment"], "price_min": s["price_min"],
        "price_max": s["price_max"], "prepaid": s["prepaid"], "abonement_restriction": 0,
        "category": {
            "id": category_id, "category_id": 0, "title": s["category_title"] or "", "is_category": True,
            "salon_service_id": category_id, "prepaid": "forbidden", "abonement_restriction": 0,
            "category": {"id": 0, "category_id": 0, "is_category": True, "title": "", "category": []},
        },
    }


def staff_member(s: dict[str, Any]) -> dict[str, Any]:
    """A team member as v1 nests it in an event, and as its team list starts (behaviour 15.2)."""
    position = {"id": s["position_id"], "title": s["position_title"]} if s["position_id"] is not None else {}
    return {
        "id": s["id"], "name": s["name"], "company_id": s["location_id"], "specialization": s["specialization"],
        "api_id": "", "rating": s["rating"], "prepaid": "forbidden", "show_rating": 0, "comments_count": 0,
        "votes_count": 0, "average_score": s["rating"], "avatar": s["avatar"], "avatar_big": s["avatar_big"],
        "user_id": 0, "position": position,
    }


FILTER_GROUP = schema({
    "code": {"type": "string", "enum": ["staff", "service", "resource", "service_category"]},
    "title": _STR,
    "data": {"type": "array", "items": schema({
        "id": _INT, "title": _STR,
        "is_disabled": {**_BOOL, "description": "true when choosing it would find no event in the period"}})},
})
_FILTER_TITLES = {"staff": "Team members", "service": "Services", "resource": "Resources",
                  "service_category": "Service categories"}


def filters(f: Facets) -> list[dict[str, Any]]:
    groups = (("staff", f.staff), ("service", f.services), ("resource", f.resources),
              ("service_category", f.categories))
    return [{"code": code, "title": _FILTER_TITLES[code],
             "data": [{"id": o.id, "title": o.title, "is_disabled": not o.available} for o in options]}
            for code, options in groups]


GROUP_SERVICE = schema({
    "id": _INT, "title": _STR, "capacity": {**_INT, "description": "the service's default number of seats"},
    "price_min": _NUM, "price_max": _NUM, "is_multi": {**_BOOL, "description": "a group service: always true"},
    "category": {**schema({"id": _INT, "title": _STR}), "description": "id 0 and title \"\" when none"},
    "staff": {"type": "array", "items": schema({"id": _INT, "name": _STR, "length": _INT})},
    "resources": {"type": "array", "items": schema({"id": _INT, "title": _STR, "salon_id": _INT})},
})


def group_service(s: GroupService) -> dict[str, Any]:
    return {
        "id": s.id, "title": s.title, "capacity": s.capacity, "price_min": s.price_min, "price_max": s.price_max,
        "is_multi": True, "category": {"id": s.category_id or 0, "title": s.category_title or ""},
        "staff": [{"id": m["id"], "name": m["name"], "length": m["length"]} for m in s.staff],
        "resources": [{"id": r["id"], "title": r["title"], "salon_id": r["location_id"]} for r in s.resources],
    }
