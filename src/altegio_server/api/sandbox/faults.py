"""`/_sandbox/faults`: set, list and delete faults injected into API requests (behaviour 19.6)."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from altegio_server.api.envelopes import Reply, json_response, no_content
from altegio_server.api.sandbox import SandboxApi, SandboxCtx
from altegio_server.api.schema import INT64_MAX, Int, Num, Obj, Str
from altegio_server.errors import NotFound
from altegio_server.sandbox import faults as service
from altegio_server.sandbox.faults import MAX_DELAY_MS, MAX_PATH, MAX_TIMES, METHODS, Fault, canonical

api = SandboxApi()

_API_PATH = re.compile(r"/api/[A-Za-z0-9_.{}/-]*")
BAD_PATH = "This value should be a path of the API: /api/ then letters, digits, _ . - / and {parameters}."


def _path_problem(text: str) -> str | None:
    return None if _API_PATH.fullmatch(text) else BAD_PATH


FAULT = Obj({
    "method": Str(required=True, max_length=8, choices=METHODS, description="an HTTP method, or `*` for any"),
    "path": Str(required=True, max_length=MAX_PATH, check=_path_problem,
                example="/api/v2/locations/{location_id}/events/{event_id}/appointments",
                description="an operation's path template (either v2 spelling), or a prefix of paths"),
    "status": Int(min=400, max=599, nullable=True, default=None,
                  description="the status to answer instead of running the request; null: run it"),
    "delay_ms": Int(min=0, max=MAX_DELAY_MS, default=0, description="milliseconds to wait first"),
    "probability": Num(min=0, max=1, default=1.0, description="the chance that a matching request is hit"),
    "times": Int(min=1, max=MAX_TIMES, nullable=True, default=None,
                 description="how many requests it hits before it is spent; null: no end"),
})
_FAULT_SCHEMA = {"type": "object", "properties": {
    "id": {"type": "integer"}, "method": {"type": "string"}, "path": {"type": "string"},
    "status": {"type": ["integer", "null"]}, "delay_ms": {"type": "integer"}, "probability": {"type": "number"},
    "times": {"type": ["integer", "null"], "description": "firings left; 0 when spent"}}}
CREATED = {201: {"description": "The fault, set", "content": {"application/json": {"schema": _FAULT_SCHEMA}}}}
LISTED = {200: {"description": "Every fault, oldest first", "content": {"application/json": {"schema": {
    "type": "object", "properties": {"data": {"type": "array", "items": _FAULT_SCHEMA}}}}}}}
GONE = {204: {"description": "Deleted"}}


@lru_cache(maxsize=1)
def served() -> set[tuple[str, str]]:
    """(method, canonical template) of every API operation."""
    from altegio_server.api.app import all_operations

    return {(op.method, canonical(path)) for op in all_operations() for path in op.paths}


def _listed(faults: list[Fault]) -> dict[str, Any]:
    return {"data": [fault.as_json() for fault in faults]}


@api.operation("POST", "/_sandbox/faults", summary="Set a fault", body=FAULT, responses=CREATED)
async def post_fault(ctx: SandboxCtx) -> Reply:
    fault = await service.create(ctx.deps.db, ctx.body(FAULT), served())
    return json_response(fault.as_json(), 201)


@api.operation("GET", "/_sandbox/faults", summary="The faults set", responses=LISTED)
async def get_faults(ctx: SandboxCtx) -> Reply:
    return json_response(_listed(await service.listed(ctx.deps.db)))


@api.operation("DELETE", "/_sandbox/faults/{fault_id}", summary="Delete a fault", responses=GONE)
async def delete_fault(ctx: SandboxCtx) -> Reply:
    fault_id = int(ctx.params["fault_id"])
    if fault_id > INT64_MAX:
        raise NotFound()
    await service.delete(ctx.deps.db, fault_id)
    return no_content()


@api.operation("DELETE", "/_sandbox/faults", summary="Delete every fault", responses=GONE)
async def delete_faults(ctx: SandboxCtx) -> Reply:
    await service.delete_all(ctx.deps.db)
    return no_content()
