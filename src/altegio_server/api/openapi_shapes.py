"""Reusable pieces of the OpenAPI document: envelopes, errors and resources."""

from __future__ import annotations

from typing import Any, Iterable

ERROR_DESCRIPTIONS = {
    400: "Bad request: malformed parameters, a missing v2 Accept header, or invalid JSON",
    401: "Authentication needed.",
    403: "Access denied.",
    404: "Not found",
    405: "Method not allowed",
    409: "The team member or a resource instance is busy",
    413: "Request body is too large",
    422: "Validation failed",
    429: "Too many attempts: try again after the seconds in `Retry-After` (and in the message)",
}

FIELD_ERRORS = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}}}

ERROR = {
    "type": "object",
    "required": ["success", "data", "meta"],
    "properties": {
        "success": {"type": "boolean", "enum": [False]},
        "data": {"type": "null"},
        "meta": {
            "type": "object",
            "required": ["message"],
            "properties": {"message": {"type": "string"}, "errors": FIELD_ERRORS},
        },
        "errors": FIELD_ERRORS,
    },
}

EMPTY_META = {"type": "array", "maxItems": 0}
OBJECT_META = {"type": "object"}
PAGINATION_META = {
    "type": "object",
    "required": ["pagination"],
    "properties": {
        "pagination": {
            "type": "object",
            "required": ["total", "limit", "offset"],
            "properties": {k: {"type": "integer"} for k in ("total", "limit", "offset")},
        }
    },
}


def resource_schema(type_: str, attributes: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["type", "id", "attributes"],
        "properties": {
            "type": {"type": "string", "enum": [type_]},
            "id": {"type": "string"},
            "attributes": {"type": "object", "required": list(attributes), "properties": attributes},
        },
    }


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def error_response(code: int) -> dict[str, Any]:
    return {"description": ERROR_DESCRIPTIONS[code], **_json(ERROR)}


def errors_for(codes: Iterable[int]) -> dict[int, dict[str, Any]]:
    """Error responses every authenticated operation can give, plus the operation's own."""
    out = {}
    for code in sorted({401, 403, 405, *codes}):
        out[code] = error_response(code)
    return out


def v2_responses(status: int, data: dict[str, Any] | None, *, paginated: bool = False,
                 meta_object: bool = False, success_flag: bool = False,
                 errors: Iterable[int] = (400, 404)) -> dict[int, dict[str, Any]]:
    out = errors_for({400, *errors})
    if data is None:
        out[status] = {"description": "No content"}
        return out
    meta = PAGINATION_META if paginated else OBJECT_META if meta_object else EMPTY_META
    props: dict[str, Any] = {"data": data, "meta": meta}
    if success_flag:
        props["success"] = {"type": "boolean", "enum": [True]}
    out[status] = {"description": "OK", **_json({"type": "object", "required": list(props), "properties": props})}
    return out


def v1_responses(status: int, data: dict[str, Any] | None, meta: dict[str, Any] | None = None,
                 errors: Iterable[int] = (400, 404, 422)) -> dict[int, dict[str, Any]]:
    out = errors_for(errors)
    props = {"success": {"type": "boolean", "enum": [True]}, "data": data or {"type": "null"},
             "meta": meta or EMPTY_META}
    out[status] = {"description": "OK", **_json({"type": "object", "required": list(props), "properties": props})}
    return out
