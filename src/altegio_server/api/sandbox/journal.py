"""`/_sandbox/journal` and `/_sandbox/requests`: the request journal, switched, read and cleared
(behaviour 19.4)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import orjson
from starlette.datastructures import QueryParams

from altegio_server.api.envelopes import Reply, json_response, no_content
from altegio_server.api.query import uint
from altegio_server.api.sandbox import SandboxApi, SandboxCtx
from altegio_server.api.schema import INT64_MAX, Bool, Obj
from altegio_server.db.base import Row
from altegio_server.errors import FieldErrors, InvalidRequest, NotFound
from altegio_server.sandbox import journal_service as service
from altegio_server.sandbox.clock import INSTANT_FORMAT, parse_instant
from altegio_server.sandbox.journal import FLUSH_SECONDS
from altegio_server.sandbox.journal_repository import Filters
from altegio_server.sandbox.journal_service import JournalState

api = SandboxApi()

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
MAX_PATH_FILTER = 1024
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
SWITCH = Obj({"enabled": Bool(required=True, description="false: record nothing from now on; true: record again")})

_OBJECT: dict[str, Any] = {"type": "object"}
_STATE = {200: {"description": "Whether the journal records, and its bounds", "content": {"application/json": {
    "schema": {"type": "object", "properties": {
        "enabled": {"type": "boolean"}, "entries": {"type": "integer"}, "max_entries": {"type": "integer"},
        "max_body_bytes": {"type": "integer"}, "flush_seconds": {"type": "number"}}}}}}}
_ENTRY: dict[int, dict[str, Any]] = {
    200: {"description": "One request as recorded", "content": {"application/json": {"schema": _OBJECT}}},
    404: {"description": "No such entry (never recorded, or dropped since)"}}
_ENTRIES: dict[int, dict[str, Any]] = {200: {"description": "Entries, newest first, and how many match",
                  "content": {"application/json": {"schema": _OBJECT}}},
            400: {"description": "A filter that is not valid; `errors` names it"}}
_FILTERS = [
    {"name": "method", "in": "query", "schema": {"type": "string", "enum": list(METHODS)}},
    {"name": "path", "in": "query", "description": "a part of the path, in any case",
     "schema": {"type": "string", "maxLength": MAX_PATH_FILTER}},
    {"name": "status", "in": "query", "schema": {"type": "integer", "minimum": 100, "maximum": 599}},
    {"name": "location_id", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": INT64_MAX}},
    {"name": "since", "in": "query", "description": "entries at or after this instant of the sandbox's clock",
     "schema": {"type": "string", "format": "date-time"}},
    {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT,
                                                 "default": DEFAULT_LIMIT}},
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
]


def _state_body(found: JournalState) -> dict[str, Any]:
    return {"enabled": found.enabled, "entries": found.entries, "max_entries": found.max_entries,
            "max_body_bytes": found.max_body_bytes, "flush_seconds": FLUSH_SECONDS}


@api.operation("GET", "/_sandbox/journal", summary="Whether the request journal records, and its bounds",
               responses=_STATE)
async def get_journal(ctx: SandboxCtx) -> Reply:
    return json_response(_state_body(await service.journal_state(ctx.sandbox)))


@api.operation("PUT", "/_sandbox/journal", summary="Switch the request journal on or off, for every server process",
               body=SWITCH, responses=_STATE)
async def put_journal(ctx: SandboxCtx) -> Reply:
    return json_response(_state_body(await service.switch(ctx.sandbox, ctx.body(SWITCH)["enabled"])))


@api.operation("GET", "/_sandbox/requests", summary="The API requests recorded, newest first", query=_FILTERS,
               responses=_ENTRIES)
async def list_requests(ctx: SandboxCtx) -> Reply:
    filters, limit, offset = parse_filters(ctx.query)
    total, rows = await service.entries(ctx.sandbox, filters, limit, offset)
    return json_response({"data": [present(row) for row in rows],
                          "meta": {"total": total, "limit": limit, "offset": offset}})


@api.operation("GET", "/_sandbox/requests/{id}", summary="One API request as recorded", responses=_ENTRY)
async def get_request(ctx: SandboxCtx) -> Reply:
    entry_id = int(ctx.params["id"])
    if entry_id > INT64_MAX:
        raise NotFound()
    return json_response(present(await service.entry(ctx.sandbox, entry_id)))


@api.operation("DELETE", "/_sandbox/requests", summary="Forget every recorded request",
               responses={204: {"description": "The journal is empty"}})
async def delete_requests(ctx: SandboxCtx) -> Reply:
    await service.clear(ctx.sandbox)
    return no_content()


def parse_filters(query: QueryParams) -> tuple[Filters, int, int]:
    """The filters, limit and offset of a query; InvalidRequest naming each bad one (the console's too)."""
    errors = FieldErrors()
    method = query.get("method") or None
    if method is not None and method.upper() not in METHODS:
        errors["method"] = [f"This value should be one of {', '.join(METHODS)}."]
    path = query.get("path") or None
    if path is not None and len(path) > MAX_PATH_FILTER:
        errors["path"] = [f"This value is too long. It should have {MAX_PATH_FILTER} characters or less."]
    status = uint(query, "status", errors)
    if status is not None and not 100 <= status <= 599:
        errors["status"] = ["This value should be between 100 and 599."]
    since_text = query.get("since") or None
    since = None if since_text is None else parse_instant(since_text)
    if since_text is not None and since is None:
        errors["since"] = [f"This value is not a valid date-time. Expected {INSTANT_FORMAT}."]
    location_id = uint(query, "location_id", errors)
    limit = uint(query, "limit", errors, DEFAULT_LIMIT, MAX_LIMIT)
    if limit == 0:
        errors["limit"] = ["This value should be greater than or equal to 1."]
    offset = uint(query, "offset", errors, 0)
    if errors:
        raise InvalidRequest(errors=errors)
    filters = Filters(method.upper() if method else None, path, status, location_id, since)
    return filters, limit or DEFAULT_LIMIT, offset or 0


def present(row: Row) -> dict[str, Any]:
    """One entry as `/_sandbox/requests` shows it."""
    return {
        "id": row["id"],
        "time": datetime.fromtimestamp(row["at"], tz=timezone.utc).isoformat(),
        "method": row["method"],
        "path": row["path"],
        "query": row["query"],
        "location_id": row["location_id"],
        "status": row["status"],
        "duration_ms": row["duration_us"] / 1000,
        "partner_token_id": row["partner_token_id"],
        "user_id": row["user_id"],
        "user_token_id": row["user_token_id"],
        "request": _body(row["request_body"], row["request_bytes"], row["request_cut"]),
        "response": _body(row["response_body"], row["response_bytes"], row["response_cut"]),
    }


def _body(text: str | None, size: int, cut: bool) -> dict[str, Any]:
    """A body as JSON when it is whole JSON, else as the text kept."""
    body: Any = text
    if text is not None and not cut:
        try:
            body = orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
    return {"body": body, "bytes": size, "cut": bool(cut)}
