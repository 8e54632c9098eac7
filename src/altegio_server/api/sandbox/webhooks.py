"""`/_sandbox/webhooks/...`: the delivery log, replaying a delivery, a test notification (behaviour 20.6)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

import orjson
from starlette.datastructures import QueryParams

from altegio_server.api import query as q
from altegio_server.api.envelopes import Reply, json_response
from altegio_server.api.sandbox import SandboxApi, SandboxCtx
from altegio_server.api.schema import Int, Obj
from altegio_server.errors import FieldErrors, InvalidRequest
from altegio_server.webhooks import rules, service

api = SandboxApi()
MAX_LIMIT = 500
RESOURCES = (*rules.FLAGS, "test")
OUTCOMES = ("delivered", "failed")
CHOICE = "The value you selected is not a valid choice."
QUERY = [
    {"name": "location_id", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 0}},
    {"name": "resource", "in": "query", "required": False, "schema": {"type": "string", "enum": list(RESOURCES)}},
    {"name": "status", "in": "query", "required": False, "schema": {"type": "string", "enum": list(OUTCOMES)}},
    {"name": "limit", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT, "default": 100}},
]
TEST = Obj({"location_id": Int(required=True, min=1)})
_DELIVERY = {"type": "object", "properties": {
    "id": {"type": "integer"}, "delivery_id": {"type": "string"}, "location_id": {"type": "integer"},
    "resource": {"type": "string"}, "resource_id": {"type": "integer"}, "url": {"type": "string"},
    "status": {"type": "string", "enum": list(OUTCOMES)}, "http_status": {"type": ["integer", "null"]},
    "attempts": {"type": "integer"}, "latency_ms": {"type": ["integer", "null"]},
    "error": {"type": ["string", "null"]}, "sent_at": {"type": "string", "format": "date-time"},
    "notification": {"type": "object", "description": "the body that was sent"}}}
LISTED = {200: {"description": "Deliveries, newest first", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"data": {"type": "array", "items": _DELIVERY}}}}}}}


def present(d: dict[str, Any]) -> dict[str, Any]:
    return {"id": d["id"], "delivery_id": d["delivery_id"], "location_id": d["location_id"],
            "resource": d["resource"], "resource_id": d["resource_id"], "url": d["url"], "status": d["outcome"],
            "http_status": d["http_status"], "attempts": d["attempts"], "latency_ms": d["latency_ms"],
            "error": d["error"], "sent_at": datetime.fromtimestamp(d["sent_at"], tz=timezone.utc).isoformat(),
            "notification": orjson.loads(d["body"])}


def _listed(found: list[dict[str, Any]]) -> Reply:
    return json_response({"data": [present(d) for d in found]})


def parse_filters(query: QueryParams) -> tuple[dict[str, Any], int]:
    """The filters and limit of a query; InvalidRequest naming each bad one (the console's too)."""
    errors: FieldErrors = {}
    location_id = q.uint(query, "location_id", errors)
    limit = q.positive(query, "limit", errors, 100, MAX_LIMIT)
    chosen = {}
    for name, choices in (("resource", RESOURCES), ("status", OUTCOMES)):
        chosen[name] = query.get(name)
        if chosen[name] is not None and chosen[name] not in choices:
            errors[name] = [CHOICE]
    if errors:
        raise InvalidRequest(errors=errors)
    return {"location_id": location_id, "resource": chosen["resource"], "outcome": chosen["status"]}, limit


@api.operation("GET", "/_sandbox/webhooks/deliveries", query=QUERY, responses=LISTED,
               summary="The webhook delivery log, newest first, filtered by location, resource and status")
async def list_deliveries(ctx: SandboxCtx) -> Reply:
    filters, limit = parse_filters(ctx.query)
    return _listed(await service.list_deliveries(ctx.deps, filters, limit))


@api.operation("POST", "/_sandbox/webhooks/deliveries/{delivery_id}/replay", responses=LISTED,
               summary="Send a logged delivery's body to its URL again (one attempt, logged anew)")
async def replay_delivery(ctx: SandboxCtx) -> Reply:
    return _listed([await service.replay_delivery(ctx.deps, int(ctx.params["delivery_id"]))])


@api.operation("POST", "/_sandbox/webhooks/test", body=TEST, responses=LISTED,
               summary="Send a `test` notification to each URL of a location's webhook settings (one attempt)")
async def send_test(ctx: SandboxCtx) -> Reply:
    return _listed(await service.send_test(ctx.deps, ctx.body(TEST)["location_id"]))
