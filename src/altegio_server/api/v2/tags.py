"""v2 tags (behaviour 6)."""

from __future__ import annotations

from typing import Any

from altegio_server.api.envelopes import Reply, json_response, no_content, resource
from altegio_server.api.openapi_shapes import resource_schema, v2_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import Field, Obj, Str
from altegio_server.colors import HEX_COLOR, font_color_for
from altegio_server.errors import FieldErrors, InvalidRequest
from altegio_server.tags import service
from altegio_server.tags.rules import INVALID_ENTITY, SLUGS, parse_entity

api = Api()
TAG = "Tags"

TITLE_REQUIRED = "Required parameter title was not passed. Enter a category name"
COLOR_REQUIRED = "Required parameter color was not passed. Enter a color"
COLOR_FORMAT = "The color must be in #rrggbb format"


class Entity(Field):
    """0-3 as a number or numeric string; anything else is refused with 400 by the handler."""

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        return value

    def schema(self) -> dict[str, Any]:
        kinds: list[dict[str, Any]] = [{"type": "integer", "enum": [0, 1, 2, 3]},
                                       {"type": "string", "enum": ["0", "1", "2", "3"]}]
        if self.nullable:
            kinds.append({"type": "null"})
        return {"oneOf": kinds, "description": "0 common, 1 client, 2 record (appointment), 3 activity (event)"}


def _title(required: bool) -> Str:
    return Str(required=required, min_length=1, max_length=255, check=_not_blank,
               messages={"missing": TITLE_REQUIRED, "null": TITLE_REQUIRED, "blank": TITLE_REQUIRED})


def _not_blank(value: str) -> str | None:
    return TITLE_REQUIRED if not value.strip() else None


def _color(required: bool) -> Str:
    return Str(required=required, pattern=HEX_COLOR, max_length=7, example="#ff2828",
               messages={"missing": COLOR_REQUIRED, "null": COLOR_REQUIRED, "pattern": COLOR_FORMAT})


CREATE = Obj({"title": _title(True), "color": _color(True), "entity": Entity(nullable=True),
              "icon": Str(nullable=True, max_length=255)})
UPDATE = Obj({"title": _title(False), "color": _color(False), "entity": Entity(nullable=True),
              "icon": Str(nullable=True, max_length=255)})

ATTRIBUTES = {
    "company_id": {"type": "integer"}, "title": {"type": "string"}, "color": {"type": "string"},
    "font_color": {"type": "string"}, "icon": {"type": "string"},
    "entity_type": {"type": "string", "enum": list(SLUGS.values())},
    "is_deleted": {"type": "boolean"}, "is_editable": {"type": "boolean"}, "salon_id": {"type": "integer"},
    "entity": {"type": "integer", "enum": list(SLUGS)}, "entity_slug": {"type": "string"},
    "deleted": {"type": "integer", "enum": [0, 1]}, "not_editable": {"type": "integer", "enum": [0, 1]},
}
TAG_RESOURCE = resource_schema("tag", ATTRIBUTES)
ENTITY_QUERY = {"name": "entity", "in": "query", "required": False,
                "schema": {"type": "string", "enum": [*SLUGS.values(), *map(str, SLUGS)]}}


def present(t: dict[str, Any]) -> dict[str, Any]:
    slug = SLUGS[t["entity"]]
    deleted, editable = bool(t["deleted"]), bool(t["editable"])
    return resource("tag", t["id"], {
        "company_id": t["location_id"],
        "title": t["title"],
        "color": t["color"],
        "font_color": font_color_for(t["color"]),
        "icon": t["icon"],
        "entity_type": slug,
        "is_deleted": deleted,
        "is_editable": editable,
        "salon_id": t["location_id"],
        "entity": t["entity"],
        "entity_slug": slug,
        "deleted": int(deleted),
        "not_editable": int(not editable),
    })


def _entity(fields: dict[str, Any], default: int | None) -> int | None:
    raw = fields.get("entity")
    if raw is None:
        return default
    entity = parse_entity(raw, slugs=False)  # the body takes numbers only, the list filter slugs too
    if entity is None:
        raise InvalidRequest(INVALID_ENTITY, {"entity": [INVALID_ENTITY]})
    return entity


@api.operation("GET", "/api/v2/companies/{location_id}/tags", version=2, access="read", tag=TAG,
               summary="List a location's tags, optionally of one entity", query=[ENTITY_QUERY],
               responses=v2_responses(200, {"type": "array", "items": TAG_RESOURCE}, errors=(400, 404)))
async def list_tags(ctx: Ctx) -> Reply:
    raw = ctx.query.get("entity")
    entity = None
    if raw not in (None, ""):
        entity = parse_entity(raw)
        if entity is None:
            raise InvalidRequest(INVALID_ENTITY, {"entity": [INVALID_ENTITY]})
    rows = await service.list_tags(ctx.deps, ctx.location_id, entity)
    return json_response({"data": [present(t) for t in rows], "meta": []})


@api.operation("POST", "/api/v2/companies/{location_id}/tags", version=2, access="write", tag=TAG,
               summary="Create a tag (answers 200, as the vendor does)", body=CREATE,
               responses=v2_responses(200, TAG_RESOURCE, errors=(400, 404, 422)))
async def create_tag(ctx: Ctx) -> Reply:
    fields = ctx.body(CREATE)
    entity = _entity(fields, 0)
    assert entity is not None  # the default stands in for a missing entity
    tag = await service.create_tag(ctx.deps, ctx.location_id, fields["title"], fields["color"],
                                   fields.get("icon") or "", entity)
    return json_response({"data": present(tag), "meta": []})


@api.operation("GET", "/api/v2/companies/{location_id}/tags/{tag_id}", version=2, access="read", tag=TAG,
               summary="Get a tag (deleted ones too)",
               responses=v2_responses(200, TAG_RESOURCE, errors=(400, 404)))
async def get_tag(ctx: Ctx) -> Reply:
    tag = await service.get_tag(ctx.deps, ctx.location_id, ctx.path_int("tag_id"))
    return json_response({"data": present(tag), "meta": []})


@api.operation("PUT", "/api/v2/companies/{location_id}/tags/{tag_id}", version=2, access="write", tag=TAG,
               summary="Change a tag's title, color, entity or icon", body=UPDATE,
               responses=v2_responses(204, None, errors=(400, 404, 422)))
async def update_tag(ctx: Ctx) -> Reply:
    tag_id = ctx.path_int("tag_id")
    fields = ctx.body(UPDATE)
    changes: dict[str, Any] = {k: fields[k] for k in ("title", "color") if k in fields}
    if fields.get("icon") is not None:
        changes["icon"] = fields["icon"]
    entity = _entity(fields, None)
    if entity is not None:
        changes["entity"] = entity
    await service.update_tag(ctx.deps, ctx.location_id, tag_id, changes if fields else None)
    return no_content()


@api.operation("DELETE", "/api/v2/companies/{location_id}/tags/{tag_id}", version=2, access="write", tag=TAG,
               summary="Delete a tag (soft)", responses=v2_responses(204, None, errors=(400, 404)))
async def delete_tag(ctx: Ctx) -> Reply:
    await service.delete_tag(ctx.deps, ctx.location_id, ctx.path_int("tag_id"))
    return no_content()
