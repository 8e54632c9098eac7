"""`/_sandbox/rate_limit`: turn on, read and turn off a rate limit like the vendor's (behaviour 19.5)."""

from __future__ import annotations

from dataclasses import asdict

from altegio_server.api.envelopes import Reply, json_response
from altegio_server.api.sandbox import SandboxApi, SandboxCtx
from altegio_server.api.schema import Bool, Int, Obj, Str
from altegio_server.sandbox import limits as service
from altegio_server.sandbox.limits import KEYS, OFF, RateLimit

api = SandboxApi()

MAX_PER_WINDOW = 1_000_000

SETTINGS = Obj({
    "enabled": Bool(default=True),
    "per_second": Int(min=1, max=MAX_PER_WINDOW, default=OFF.per_second, description="requests per second"),
    "per_minute": Int(min=1, max=MAX_PER_WINDOW, default=OFF.per_minute, description="requests per minute"),
    "key": Str(max_length=16, choices=KEYS, default=OFF.key,
               description="count per client address (`ip`) or per partner token (`partner_token`)"),
})
RATE_LIMIT = {200: {"description": "The rate limit's settings", "content": {"application/json": {"schema": {
    "type": "object", "required": ["enabled", "per_second", "per_minute", "key"],
    "properties": {"enabled": {"type": "boolean"}, "per_second": {"type": "integer"},
                   "per_minute": {"type": "integer"}, "key": {"type": "string", "enum": list(KEYS)}}}}}}}


def present(settings: RateLimit) -> Reply:
    return json_response(asdict(settings))


@api.operation("GET", "/_sandbox/rate_limit", summary="The rate limit's settings", responses=RATE_LIMIT)
async def get_rate_limit(ctx: SandboxCtx) -> Reply:
    return present(await service.read_settings(ctx.deps.db))


@api.operation("PUT", "/_sandbox/rate_limit", summary="Set the rate limit; counting starts afresh", body=SETTINGS,
               responses=RATE_LIMIT)
async def put_rate_limit(ctx: SandboxCtx) -> Reply:
    return present(await service.set_settings(ctx.deps.db, RateLimit(**ctx.body(SETTINGS))))


@api.operation("DELETE", "/_sandbox/rate_limit", summary="No rate limit", responses=RATE_LIMIT)
async def delete_rate_limit(ctx: SandboxCtx) -> Reply:
    return present(await service.set_settings(ctx.deps.db, None))
