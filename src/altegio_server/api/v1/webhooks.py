"""v1 webhook settings of a location (behaviour 20.1): GET and POST /api/v1/hooks_settings/{location_id}."""

from __future__ import annotations

from typing import Any

from altegio_server.api.envelopes import Reply, v1_success
from altegio_server.api.openapi_shapes import v1_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import Bool, List, Obj, Str
from altegio_server.webhooks import rules, service

api = Api()
TAG = "v1 Webhooks"
PATH = "/api/v1/hooks_settings/{location_id}"

# Everything omitted is off or empty: a POST replaces the settings whole (behaviour 20.1).
SETTINGS_BODY = Obj({
    "urls": List(Str(min_length=1, max_length=rules.MAX_URL_LENGTH, check=rules.url_problem),
                 max_items=rules.MAX_URLS, default=list, description="where notifications are POSTed"),
    "active": Bool(default=False),
    **{flag: Bool(default=False) for flag in rules.VENDOR_FLAGS},
    "activity": Bool(default=False, description="extension: announce events (behaviour 20.2)"),
    "signing_secret": Str(nullable=True, default=None, min_length=1, max_length=256,
                          description="extension: sign each notification with this (behaviour 20.5)"),
})
_BOOL = {"type": "boolean"}
SETTINGS = {"type": "object", "required": ["urls", "active", *rules.FLAGS, "has_signing_secret"], "properties": {
    "urls": {"type": "array", "items": {"type": "string"}}, "active": _BOOL,
    **{flag: _BOOL for flag in rules.FLAGS}, "has_signing_secret": _BOOL}}


def present(settings: dict[str, Any]) -> dict[str, Any]:
    """The settings object; the secret itself is never shown."""
    return {"urls": settings["urls"], "active": bool(settings["active"]),
            **{flag: flag in settings["flags"] for flag in rules.FLAGS},
            "has_signing_secret": settings["signing_secret"] is not None}


@api.operation("GET", PATH, version=1, access="read", tag=TAG, summary="The location's webhook settings",
               responses=v1_responses(200, SETTINGS, errors=(404,)))
async def get_hooks_settings(ctx: Ctx) -> Reply:
    return v1_success(present(await service.get_settings(ctx.deps, ctx.location_id)))


@api.operation("POST", PATH, version=1, access="write", tag=TAG, body=SETTINGS_BODY,
               summary="Replace the location's webhook settings",
               responses=v1_responses(200, SETTINGS, errors=(400, 404, 413, 422)))
async def set_hooks_settings(ctx: Ctx) -> Reply:
    found = await service.set_settings(ctx.deps, ctx.location_id, ctx.body(SETTINGS_BODY))
    return v1_success(present(found))
