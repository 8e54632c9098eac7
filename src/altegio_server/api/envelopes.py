"""The vendor's response envelopes, rendered with orjson."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from altegio_server.errors import FieldErrors

JSON = "application/json"


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(orjson.dumps(body), status_code=status, media_type=JSON, headers=headers)


def no_content() -> Response:
    return Response(status_code=204)


def resource(type_: str, id_: int, attributes: dict[str, Any]) -> dict[str, Any]:
    """A JSON:API resource object: the id is a string, everything else stays typed."""
    return {"type": type_, "id": str(id_), "attributes": attributes}


def pagination(total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"pagination": {"total": total, "limit": limit, "offset": offset}}


def error_body(message: str, errors: FieldErrors | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"message": message}
    body: dict[str, Any] = {"success": False, "data": None, "meta": meta}
    if errors:
        meta["errors"] = errors
        body["errors"] = errors
    return body


def error_response(status: int, message: str, errors: FieldErrors | None = None, headers: dict[str, str] | None = None) -> Response:
    return json_response(error_body(message, errors), status, headers)
