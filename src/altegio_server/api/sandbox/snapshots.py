"""`/_sandbox/reset` and `/_sandbox/snapshots`: back to the baseline, and named snapshots of
the whole state (behaviour 19.3)."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from altegio_server.api.envelopes import Reply, json_response, no_content
from altegio_server.api.sandbox import SandboxApi, SandboxCtx
from altegio_server.api.schema import Obj, Str
from altegio_server.sandbox import snapshots as service
from altegio_server.sandbox.snapshot_rules import NAME_RULE

api = SandboxApi()

# The rule on names is the service's (400 on every control); the body's shape is the schema's (422).
SAVE = Obj({"name": Str(required=True, example="before-checkout", description=f"{NAME_RULE}")})
_SNAPSHOT_SCHEMA = {"type": "object", "required": ["name", "created_at", "size"], "properties": {
    "name": {"type": "string"}, "created_at": {"type": "string", "format": "date-time"},
    "size": {"type": "integer", "description": "rows held"}}}


def _json(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ONE = {200: _json(_SNAPSHOT_SCHEMA, "The snapshot restored")}
SAVED = {201: _json(_SNAPSHOT_SCHEMA, "The snapshot saved"), 400: {"description": "A name out of the rule"},
         409: {"description": "As many snapshots as the server keeps"}}
RESET = {200: _json({"type": "object", "required": ["baseline_created_at", "size"], "properties": {
    "baseline_created_at": {"type": "string", "format": "date-time"}, "size": {"type": "integer"}}},
    "The baseline, restored: when it was recorded, and its rows"), 409: {"description": "No baseline recorded"},
         503: {"description": "A wait ran out; nothing changed"}}
LIST = {200: _json({"type": "object", "required": ["data"], "properties": {
    "data": {"type": "array", "items": _SNAPSHOT_SCHEMA}}}, "Every snapshot, by name")}


def present(snapshot: service.Snapshot) -> dict[str, Any]:
    created = datetime.fromtimestamp(snapshot.created_at, tz=timezone.utc).isoformat()
    return {"name": snapshot.name, "created_at": created, "size": snapshot.size}


@api.operation("POST", "/_sandbox/reset", summary="Back to the state of the last `seed demo` or `load`",
               responses=RESET)
async def reset(ctx: SandboxCtx) -> Reply:
    baseline = present(await service.reset(ctx.deps, ctx.sandbox.gate))
    return json_response({"baseline_created_at": baseline["created_at"], "size": baseline["size"]})


@api.operation("GET", "/_sandbox/snapshots", summary="The saved snapshots", responses=LIST)
async def list_snapshots(ctx: SandboxCtx) -> Reply:
    return json_response({"data": [present(s) for s in await service.snapshots(ctx.deps)]})


@api.operation("POST", "/_sandbox/snapshots", summary="Save the whole state under a name (replacing one of "
               "that name)", body=SAVE, responses=SAVED)
async def save_snapshot(ctx: SandboxCtx) -> Reply:
    name = ctx.body(SAVE)["name"]
    return json_response(present(await service.save(ctx.deps, name, ctx.sandbox.max_snapshots)), 201)


@api.operation("POST", "/_sandbox/snapshots/{name}/restore", summary="Put the whole state back as saved",
               responses={**ONE, 400: {"description": "A name out of the rule"}, 404: {"description": "No such "
                          "snapshot"}, 503: {"description": "A wait ran out; nothing changed"}})
async def restore_snapshot(ctx: SandboxCtx) -> Reply:
    return json_response(present(await service.restore(ctx.deps, ctx.params["name"], ctx.sandbox.gate)))


@api.operation("DELETE", "/_sandbox/snapshots/{name}", summary="Forget a snapshot",
               responses={204: {"description": "Forgotten"}, 400: {"description": "A name out of the rule"},
                          404: {"description": "No such snapshot"}})
async def delete_snapshot(ctx: SandboxCtx) -> Reply:
    await service.delete(ctx.deps, ctx.params["name"])
    return no_content()
