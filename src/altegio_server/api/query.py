"""Query-string parameters: pages, integers and the three spellings of an array (behaviour 1.6)."""

from __future__ import annotations

import re
from datetime import datetime

from starlette.datastructures import QueryParams

from altegio_server.api.schema import INT64_MAX
from altegio_server.errors import FieldErrors

_UINT = re.compile(r"[0-9]{1,19}")  # ASCII digits only: int() would also take "١٢"
NOT_INT = "This value should be a non-negative integer."

MAX_LIMIT = 1000
MOMENT_INVALID = ("This value is not a valid datetime. Expected ISO 8601, e.g. 2027-01-15T09:00:00 "
                  "(local time of the location) or 2027-01-15T09:00:00+01:00.")


def uint(query: QueryParams, name: str, errors: FieldErrors, default: int | None = None,
         maximum: int = INT64_MAX) -> int | None:
    raw = query.get(name)
    if raw is None or raw == "":
        return default
    if not _UINT.fullmatch(raw) or int(raw) > INT64_MAX:
        errors.setdefault(name, []).append(NOT_INT)
        return default
    value = int(raw)
    if value > maximum:
        errors.setdefault(name, []).append(f"This value should be less than or equal to {maximum}.")
        return default
    return value


def positive(query: QueryParams, name: str, errors: FieldErrors, default: int, high: int = INT64_MAX) -> int:
    """A page number or size from 1 to `high`, or `default` if absent."""
    value = uint(query, name, errors, default)
    assert value is not None
    if not 1 <= value <= high:
        errors.setdefault(name, []).append(
            "This value should be greater than or equal to 1." if high == INT64_MAX
            else f"This value should be between 1 and {high}.")
    return value


def moment(query: QueryParams, name: str, errors: FieldErrors) -> str | None:
    """An ISO 8601 moment as given (the location's zone turns it into a time), or None if absent."""
    raw = query.get(name)
    if raw is None:
        return None
    try:
        valid = 1970 <= datetime.fromisoformat(raw).year <= 9998 and "\x00" not in raw
    except ValueError:
        valid = False
    if not valid:
        errors[name] = [MOMENT_INVALID]
    return raw


def page(query: QueryParams, errors: FieldErrors, default_limit: int = 100) -> tuple[int, int]:
    limit = uint(query, "limit", errors, default_limit, MAX_LIMIT)
    offset = uint(query, "offset", errors, 0)
    return limit, offset  # type: ignore[return-value]


def uint_list(query: QueryParams, name: str, errors: FieldErrors) -> list[int]:
    """`name[]=1&name[]=2`, `name=1&name=2` and `name=1,2` all give [1, 2]."""
    raw: list[str] = query.getlist(name + "[]") + query.getlist(name)
    values: list[int] = []
    for chunk in raw:
        for part in chunk.split(","):
            part = part.strip()
            if not part:
                continue
            if not _UINT.fullmatch(part) or int(part) > INT64_MAX:
                errors.setdefault(name, []).append(NOT_INT)
                return []
            values.append(int(part))
    return list(dict.fromkeys(values))


def page_params(prefix: str = "") -> list[dict]:
    """OpenAPI descriptions of `limit` and `offset`."""
    return [
        {"name": "limit", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 0, "maximum": MAX_LIMIT, "default": 100}},
        {"name": "offset", "in": "query", "required": False,
         "schema": {"type": "integer", "minimum": 0, "maximum": INT64_MAX, "default": 0}},
    ]


def array_param(name: str, description: str) -> dict:
    return {"name": f"{name}[]", "in": "query", "required": False, "description": description,
            "style": "form", "explode": True,
            "schema": {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": INT64_MAX}}}
