"""v2 positions (behaviour 3)."""

from __future__ import annotations

from typing import Any

from altegio_server.api import query as q
from altegio_server.api.envelopes import Reply, json_response, no_content, pagination, resource
from altegio_server.api.openapi_shapes import resource_schema, v2_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import Bool, Int, List, Obj, Str
from altegio_server.errors import InvalidRequest
from altegio_server.positions import service
from altegio_server.positions.service import SALONS_REQUIRED, TITLE_REQUIRED

api = Api()
TAG = "Positions"

_TITLE = Str(required=True, min_length=1, max_length=255, check=lambda v: None if v.strip() else TITLE_REQUIRED,
             messages={"missing": TITLE_REQUIRED, "null": TITLE_REQUIRED, "blank": TITLE_REQUIRED})
# Duplicates are kept here so that a field error names the index the client sent; the service folds them.
_SALONS = List(Int(min=1), required=True, min_items=1, max_items=1000,
               messages={"missing": SALONS_REQUIRED, "null": SALONS_REQUIRED, "short": SALONS_REQUIRED})
_OPTIONAL = {
    "description": Str(nullable=True, max_length=65535, default=""),
    "services_binding_type": Str(choices=("none", "optional", "required"), default="none"),
    "rules_required_fields": List(Str(max_length=255), max_items=100, default=list),
    "only_chain_appointment": Bool(default=False),
}
CREATE = Obj({"title": _TITLE, **_OPTIONAL, "salon_ids": _SALONS})
UPDATE = Obj({"position_id": Int(required=True), "title": _TITLE, **_OPTIONAL, "salon_ids": _SALONS})

ATTRIBUTES = {
    "chain_id": {"type": "integer"}, "title": {"type": "string"}, "description": {"type": "string"},
    "services_binding_type": {"type": "string", "enum": ["none", "optional", "required"]},
    "rules_required_fields": {"type": "array", "items": {"type": "string"}},
    "only_chain_appointment": {"type": "boolean"},
    "salon_ids": {"type": "array", "items": {"type": "integer"}},
}
POSITION = resource_schema("position", ATTRIBUTES)


def _user(ctx: Ctx) -> int:
    """The caller: positions are shared between locations, so what they may see and change
    depends on all of their grants, not only the path's (behaviour 10)."""
    assert ctx.principal is not None  # every positions operation names a location, so it is authorized
    return ctx.principal.user_id


def present(p: dict[str, Any]) -> dict[str, Any]:
    return resource("position", p["id"], {
        "chain_id": p["chain_id"],
        "title": p["title"],
        "description": p["description"] or "",
        "services_binding_type": p["services_binding_type"],
        "rules_required_fields": p["rules_required_fields"],
        "only_chain_appointment": p["only_chain_appointment"],
        "salon_ids": p["salon_ids"],
    })


@api.operation("GET", "/api/v2/companies/{location_id}/positions", version=2, access="read", tag=TAG,
               summary="List the positions visible at a location", query=q.page_params(),
               responses=v2_responses(200, {"type": "array", "items": POSITION}, paginated=True, errors=(400, 404)))
async def list_positions(ctx: Ctx) -> Reply:
    errors: dict = {}
    limit, offset = q.page(ctx.query, errors)
    if errors:
        raise InvalidRequest(errors=errors)
    rows, total = await service.list_positions(ctx.deps, _user(ctx), ctx.location_id, limit, offset)
    return json_response({"data": [present(p) for p in rows], "meta": pagination(total, limit, offset)})


@api.operation("POST", "/api/v2/companies/{location_id}/positions", version=2, access="write", tag=TAG,
               summary="Create a position", body=CREATE,
               responses=v2_responses(201, POSITION, meta_object=True, errors=(400, 404, 422)))
async def create_position(ctx: Ctx) -> Reply:
    fields = ctx.body(CREATE)
    position = await service.create_position(ctx.deps, _user(ctx), ctx.location_id, fields)
    return json_response({"data": present(position), "meta": {}}, 201)


@api.operation("GET", "/api/v2/companies/{location_id}/positions/{position_id}", version=2, access="read",
               tag=TAG, summary="Get a position",
               responses=v2_responses(200, POSITION, meta_object=True, errors=(400, 404)))
async def get_position(ctx: Ctx) -> Reply:
    position = await service.get_position(ctx.deps, _user(ctx), ctx.location_id, ctx.path_int("position_id"))
    return json_response({"data": present(position), "meta": {}})


@api.operation("PUT", "/api/v2/companies/{location_id}/positions/{position_id}", version=2, access="write",
               tag=TAG, summary="Replace a position", body=UPDATE,
               responses=v2_responses(204, None, errors=(400, 404, 422)))
async def update_position(ctx: Ctx) -> Reply:
    position_id = ctx.path_int("position_id")
    fields = ctx.body(UPDATE)
    await service.update_position(ctx.deps, _user(ctx), ctx.location_id, position_id, fields)
    return no_content()


@api.operation("DELETE", "/api/v2/companies/{location_id}/positions/{position_id}", version=2,
               access="write", tag=TAG, summary="Delete a position nobody holds",
               responses=v2_responses(204, None, errors=(400, 404, 422)))
async def delete_position(ctx: Ctx) -> Reply:
    await service.delete_position(ctx.deps, _user(ctx), ctx.location_id, ctx.path_int("position_id"))
    return no_content()
