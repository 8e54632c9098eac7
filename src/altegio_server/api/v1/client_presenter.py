"""The vendor's v1 client object (behaviour 16.4): a client row in, the v1 object out, whole or
only some of its fields (behaviour 16.6).

Every field is always present with one JSON type. What the model does not hold (tags,
loyalty card, importance, money, visits, mailing choices) is the empty value of its type.
"""

from __future__ import annotations

import json
from typing import Any

from altegio_server.timezones import local

_INT, _NUM, _STR = {"type": "integer"}, {"type": "number"}, {"type": "string"}
GENDERS = {0: "Unknown", 1: "Male", 2: "Female"}

CLIENT = {"type": "object", "properties": {
    "id": _INT, "name": _STR, "surname": _STR, "middle_name": _STR,
    "phone": {"type": "string", "description": "as stored: + and digits"}, "email": _STR,
    "categories": {"type": "array", "maxItems": 0}, "gender": {"type": "string", "enum": list(GENDERS.values())},
    "gender_id": {"type": "integer", "enum": list(GENDERS)}, "discount": _NUM, "importance_id": _INT,
    "importance": _STR, "card": _STR,
    "birth_date": {"type": "string", "description": 'YYYY-MM-DD, "" when unknown'}, "comment": _STR,
    "sms_check": _INT, "sms_not": _INT, "spent": _NUM, "balance": _NUM, "visits": _INT,
    "last_change_date": {"type": "string", "example": "2027-01-10T13:00:00+0100"},
    "custom_fields": {"type": "object", "additionalProperties": {"type": ["string", "null"]},
                      "description": "custom field code -> value"},
}}
CLIENT["required"] = list(CLIENT["properties"])


def client(c: dict[str, Any]) -> dict[str, Any]:
    """The v1 client object of a `clients.service.get_client` row."""
    return {
        "id": c["id"], "name": c["name"], "surname": c["surname"], "middle_name": c["patronymic"],
        "phone": c["phone"], "email": c["email"], "categories": [], "gender": GENDERS[c["gender"]],
        "gender_id": c["gender"], "discount": 0, "importance_id": 0, "importance": "", "card": "",
        "birth_date": c["birthday"] or "", "comment": "", "sms_check": 0, "sms_not": 0, "spent": 0, "balance": 0,
        "visits": 0, "last_change_date": local(c["updated_at"], c["timezone"]).strftime("%Y-%m-%dT%H:%M:%S%z"),
        "custom_fields": {f["code"]: f["value"] for f in json.loads(c["custom_fields"] or "[]")},
    }


def client_fields(c: dict[str, Any], fields: tuple[str, ...]) -> dict[str, Any]:
    """The v1 client object with only these fields, in their order; all of them if none are named."""
    whole = client(c)
    return {name: whole[name] for name in fields} if fields else whole
