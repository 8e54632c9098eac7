"""The vendor's v1 record object (behaviour 16.1): an appointment row in, the v1 object out.

It takes the plain row that `records.service.get_record_details` gives and knows nothing of
HTTP, so that anything answering in v1's record shape (webhooks, later) can present with it.
Every field is always present with one JSON type, as with v1 events (behaviour 7.2).
"""

from __future__ import annotations

import json
from typing import Any

from altegio_server.colors import font_color_for
from altegio_server.timezones import local, local_text

_INT, _NUM, _STR, _BOOL = {"type": "integer"}, {"type": "number"}, {"type": "string"}, {"type": "boolean"}
_EMPTY = {"type": "array", "maxItems": 0}


def _schema(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "required": list(properties), "properties": properties}


_SERVICE = _schema({"id": _INT, "title": _STR, "cost": _NUM, "cost_per_unit": _NUM, "manual_cost": _NUM,
                    "discount": _NUM, "first_cost": _NUM, "amount": _INT})
_STAFF = _schema({"id": _INT, "api_id": _STR, "name": _STR, "specialization": _STR,
                  "position": {"type": "object", "description": "{} when the team member has no position",
                               "properties": {"id": _INT, "title": _STR}},
                  "avatar": _STR, "avatar_big": _STR, "rating": _NUM, "votes_count": _INT})
_CLIENT = _schema({"id": _INT, "name": _STR, "surname": _STR, "patronymic": _STR, "display_name": _STR,
                   "comment": _STR, "phone": _STR, "card": _STR, "email": _STR, "success_visits_count": _INT,
                   "fail_visits_count": _INT, "discount": _NUM, "sex_id": _INT,
                   "birth_date": {"type": "string", "description": 'YYYY-MM-DD, "" when unknown'},
                   "custom_fields": _EMPTY})
_LABEL = _schema({"id": _INT, "title": _STR, "color": _STR, "icon": _STR, "font_color": _STR})
_ISO = "%Y-%m-%dT%H:%M:%S%z"
RECORD = _schema({
    "id": _INT, "company_id": _INT, "staff_id": _INT,
    "services": {"type": "array", "items": _SERVICE, "description": "the event's service"},
    "goods_transactions": _EMPTY, "staff": _STAFF,
    "client": {**_CLIENT, "type": ["object", "null"], "description": "null for a walk-in visitor"},
    "clients_count": _INT,
    "date": {"type": "string", "example": "2027-01-15 09:00:00", "description": "local start, no offset"},
    "datetime": {"type": "string", "example": "2027-01-15T09:00:00+01:00", "description": "local start with offset"},
    "create_date": {"type": "string", "example": "2027-01-10T13:00:00+0100"},
    "last_change_date": {"type": "string", "example": "2027-01-10T13:00:00+0100"},
    "comment": _STR, "online": _BOOL,
    "visit_attendance": {"type": "integer", "enum": [-1, 0, 1, 2]},
    "attendance": {"type": "integer", "enum": [-1, 0, 1, 2]},
    "confirmed": {"type": "integer", "enum": [1]}, "seance_length": _INT, "length": _INT,
    "sms_before": _INT, "sms_now": _INT, "sms_now_text": _STR, "email_now": _INT, "notified": _INT,
    "master_request": _INT, "api_id": _STR, "from_url": _STR, "review_requested": _INT, "visit_id": _INT,
    "created_user_id": _INT, "deleted": _BOOL, "paid_full": {"type": "integer", "enum": [0, 1, 2]},
    "prepaid": _BOOL, "prepaid_confirmed": _BOOL, "is_sale_bill_printed": _BOOL,
    "custom_color": _STR, "custom_font_color": _STR, "record_labels": {"type": "array", "items": _LABEL},
    "activity_id": _INT, "custom_fields": _EMPTY, "documents": _EMPTY, "sms_remain_hours": _INT,
    "email_remain_hours": _INT, "bookform_id": _INT, "record_from": _STR, "is_mobile": _INT,
})


def _services(r: dict[str, Any]) -> list[dict[str, Any]]:
    """The event's service, priced by the appointment's service item if it has one, else at
    the service's lowest price for each seat."""
    item = json.loads(r["service_item"]) if r["service_item"] else None
    amount = r["clients_count"]
    per_unit = item["cost_per_unit"] if item else r["price_min"]
    first_cost = per_unit * amount
    cost = item["manual_cost"] if item else first_cost
    return [{"id": r["service_id"], "title": r["service_title"], "cost": cost, "cost_per_unit": per_unit,
             "manual_cost": cost, "discount": item["discount_percent"] if item else 0, "first_cost": first_cost,
             "amount": amount}]


def _staff(r: dict[str, Any]) -> dict[str, Any]:
    position = {"id": r["position_id"], "title": r["position_title"]} if r["position_id"] is not None else {}
    return {"id": r["staff_id"], "api_id": "", "name": r["staff_name"], "specialization": r["staff_specialization"],
            "position": position, "avatar": r["staff_avatar"], "avatar_big": r["staff_avatar_big"],
            "rating": r["staff_rating"], "votes_count": 0}


def _client(r: dict[str, Any]) -> dict[str, Any] | None:
    if r["client_id"] is None:
        return None
    display = " ".join(part for part in (r["client_name"], r["client_surname"]) if part)
    return {"id": r["client_id"], "name": r["client_name"], "surname": r["client_surname"],
            "patronymic": r["client_patronymic"], "display_name": display, "comment": "", "phone": r["client_phone"],
            "card": "", "email": r["client_email"], "success_visits_count": 0, "fail_visits_count": 0,
            "discount": 0, "sex_id": r["client_gender"], "birth_date": r["client_birthday"] or "",
            "custom_fields": []}


def record(r: dict[str, Any]) -> dict[str, Any]:
    """The v1 record object of an appointment row with its `labels`."""
    tz = r["timezone"]
    return {
        "id": r["id"],
        "company_id": r["location_id"],
        "staff_id": r["staff_id"],
        "services": _services(r),
        "goods_transactions": [],
        "staff": _staff(r),
        "client": _client(r),
        "clients_count": r["clients_count"],
        "date": local_text(r["start_ts"], tz),
        "datetime": local(r["start_ts"], tz).isoformat(),
        "create_date": local(r["created_at"], tz).strftime(_ISO),
        "last_change_date": local(r["updated_at"], tz).strftime(_ISO),
        "comment": r["comment"],
        "online": False,
        "visit_attendance": r["attendance"],
        "attendance": r["attendance"],
        "confirmed": 1,
        "seance_length": r["length"],
        "length": r["length"],
        "sms_before": 0,
        "sms_now": 0,
        "sms_now_text": "",
        "email_now": 0,
        "notified": 0,
        "master_request": 0,
        "api_id": r["external_id"],
        "from_url": "",
        "review_requested": 0,
        "visit_id": r["id"],  # every appointment is its own visit here, as in v2
        "created_user_id": r["booking_user_id"],
        "deleted": bool(r["deleted"]),
        "paid_full": r["paid_full"],
        "prepaid": False,
        "prepaid_confirmed": False,
        "is_sale_bill_printed": False,
        "custom_color": r["custom_color"],
        "custom_font_color": font_color_for(r["custom_color"]),  # with "#", as the vendor's v1 example
        "record_labels": [{"id": t["id"], "title": t["title"], "color": t["color"], "icon": t["icon"],
                           "font_color": font_color_for(t["color"])} for t in r["labels"]],
        "activity_id": r["event_id"],
        "custom_fields": [],
        "documents": [],
        "sms_remain_hours": 0,
        "email_remain_hours": 0,
        "bookform_id": 0,
        "record_from": "",
        "is_mobile": 0,
    }
