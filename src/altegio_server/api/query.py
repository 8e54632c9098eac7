"""Query-string parameters: pages, integers and the three spellings of an array (behaviour 1.6)."""

from __future__ import annotations

import re

from starlette.datastructures import QueryParams

from altegio_server.api.schema import INT64_MAX
from altegio_server.errors import FieldErrors

_UINT = re.compile(r"[0-9]{1,19}")  # ASCII digits only: int() would also take "١٢"
NOT_INT = "This value should be a non-negative integer."

MAX_LIMIT = 1000


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
