"""Pure rules of changing team members, services and service categories (behaviour 15.6-15.9):
which columns a body sets, and the checks that need no database."""

from __future__ import annotations

from typing import Any

NO_STAFF = "No team member with this id at this location."
PRICES = "The maximum price should not be less than the minimum price."
STAFF_IN_USE = "The team member has upcoming events and cannot be deleted"
SERVICE_IN_USE = "The service has upcoming events and cannot be deleted"
CATEGORY_IN_USE = "The service category has services and cannot be deleted"

# Body field -> column, for what the model holds. Every other field is read and dropped.
_STAFF_COLUMNS = {"name": "name", "specialization": "specialization", "position_id": "position_id"}
_SERVICE_COLUMNS = {
    "title": "title", "category_id": "category_id", "comment": "comment", "price_min": "price_min",
    "price_max": "price_max", "duration": "duration", "is_multi": "is_group", "capacity": "capacity",
    "prepaid": "prepaid",
}
# A new service's columns where the body is silent: the table's defaults.
NEW_SERVICE = {"category_id": None, "price_min": 0, "price_max": 0, "duration": 3600, "is_group": False}


def _columns(data: dict[str, Any], names: dict[str, str]) -> dict[str, Any]:
    """The columns the body sets; an id of 0 (or null) means none, as in the answers."""
    out = {column: data[field] for field, column in names.items() if field in data}
    for column in ("position_id", "category_id"):
        if column in out and not out[column]:
            out[column] = None
    return out


def staff_columns(data: dict[str, Any]) -> dict[str, Any]:
    return _columns(data, _STAFF_COLUMNS)


def service_columns(data: dict[str, Any]) -> dict[str, Any]:
    return _columns(data, _SERVICE_COLUMNS)


def price_errors(service: dict[str, Any]) -> dict[str, list[str]]:
    """The service as it would be after the change: its prices must be in order."""
    return {"price_max": [PRICES]} if service["price_max"] < service["price_min"] else {}


def team_lengths(members: list[dict[str, Any]], duration: int) -> dict[int, int]:
    """Team member id -> seconds; a member without `seance_length` takes the service's duration.
    A team member named twice keeps the last length given."""
    return {m["id"]: m.get("seance_length") or duration for m in members}
