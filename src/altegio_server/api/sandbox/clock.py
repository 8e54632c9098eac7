"""`/_sandbox/clock`: read, set, advance and release the sandbox's clock (behaviour 19.2)."""

from __future__ import annotations

from altegio_server.api.envelopes import Reply, json_response
from altegio_server.api.sandbox import SandboxApi, SandboxCtx
from altegio_server.api.schema import Bool, Int, Obj, Str
from altegio_server.sandbox import service
from altegio_server.sandbox.clock import INSTANT_FORMAT, MAX_ADVANCE, ClockState, parse_instant, shown

api = SandboxApi()


def _instant_problem(text: str) -> str | None:
    if parse_instant(text) is not None:
        return None
    return f"This value is not a valid date-time. Expected {INSTANT_FORMAT}."


SET = Obj({
    "now": Str(required=True, max_length=64, check=_instant_problem, example="2027-01-15T09:00:00+01:00"),
    "frozen": Bool(default=True, description="true: time stands at `now`; false: it runs on from `now`"),
})
ADVANCE = Obj({"seconds": Int(required=True, min=-MAX_ADVANCE, max=MAX_ADVANCE, example=3600)})
CLOCK = {200: {"description": "The sandbox's clock", "content": {"application/json": {"schema": {
    "type": "object", "required": ["now", "frozen", "offset_seconds"],
    "properties": {"now": {"type": "string", "format": "date-time"}, "frozen": {"type": "boolean"},
                   "offset_seconds": {"type": "integer"}}}}}}}


def present(ctx: SandboxCtx, clock: ClockState) -> Reply:
    return json_response(shown(clock, ctx.sandbox.clock.base.timestamp()))


@api.operation("GET", "/_sandbox/clock", summary="The sandbox's clock", responses=CLOCK)
async def get_clock(ctx: SandboxCtx) -> Reply:
    return present(ctx, await service.clock(ctx.sandbox))


@api.operation("PUT", "/_sandbox/clock", summary="Set the sandbox's clock, frozen or running on", body=SET,
               responses=CLOCK)
async def put_clock(ctx: SandboxCtx) -> Reply:
    body = ctx.body(SET)
    at = parse_instant(body["now"])
    assert at is not None  # checked by the schema
    return present(ctx, await service.set_clock(ctx.sandbox, at, body["frozen"]))


@api.operation("POST", "/_sandbox/clock/advance", summary="Move the sandbox's clock on", body=ADVANCE,
               responses=CLOCK)
async def advance_clock(ctx: SandboxCtx) -> Reply:
    return present(ctx, await service.advance_clock(ctx.sandbox, ctx.body(ADVANCE)["seconds"]))


@api.operation("DELETE", "/_sandbox/clock", summary="Back to the server's own clock", responses=CLOCK)
async def delete_clock(ctx: SandboxCtx) -> Reply:
    return present(ctx, await service.real_clock(ctx.sandbox))
