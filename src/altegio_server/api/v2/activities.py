"""v2 group events, resource type `activity` (behaviour 4)."""

from __future__ import annotations

import re
from typing import Any

import orjson
from starlette.datastructures import QueryParams

from altegio_server.api import query as q
from altegio_server.api.envelopes import Encoded, Reply, json_response, no_content, pagination, resource
from altegio_server.api.openapi_shapes import resource_schema, v2_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import INVALID_CHARS, Bool, Int, List, Obj, Str
from altegio_server.api.v2.tags import present as present_tag
from altegio_server.errors import FieldErrors, InvalidRequest
from altegio_server.events import rules, service
from altegio_server.events.models import Event, EventInput, EventQuery, Period, Related
from altegio_server.timezones import iso_offset, local_text

api = Api()
TAG = "Events"
PATH = "/api/v2/companies/{location_id}/activities"
ONE = PATH + "/{event_id}"

DATE_TIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}:[0-9]{2}"
_DATE_TIME = re.compile(DATE_TIME)
MAX_IDS = 1000
MAX_SEARCH = 255
INCLUDES = ("staff", "service", "resource_instances", "labels", "duration_details")
NOT_A_CHOICE = "The value you selected is not a valid choice."
# A `date` of the wrong type, length or shape is answered with the format (behaviour 13.1).
DATE_MESSAGES = dict.fromkeys(("type", "long", "pattern"), rules.DATE_INVALID)



def _ids_field(description: str) -> List:
    return List(Int(min=1), required=True, max_items=100, description=description)


BODY = Obj({
    "staff_id": Int(required=True, min=1, description="team member (master) who runs the event"),
    "service_id": Int(required=True, min=1, description="a group-event service of the location"),
    "resource_instance_ids": _ids_field("resource instances of the location; may be empty"),
    "label_ids": _ids_field("activity or common tags of the location; may be empty"),
    "date": Str(required=True, pattern=DATE_TIME, max_length=19, messages=DATE_MESSAGES,
                example="2027-01-15 09:00:00", description="local wall-clock time of the location"),
    "length": Int(required=True, min=rules.STEP, max=rules.MAX_LENGTH, messages={"range": rules.LENGTH_INVALID},
                  example=3600, description="seconds, a multiple of 300; includes a given technical break"),
    "technical_break_duration": Int(nullable=True, min=0, max=rules.MAX_BREAK,
                                    messages={"range": rules.BREAK_INVALID},
                                    description="seconds, a multiple of 300; null or absent: the location's "
                                                "default break is added to length"),
    "capacity": Int(required=True, min=1, max=rules.MAX_CAPACITY, messages={"range": rules.CAPACITY_INVALID}),
    "comment": Str(nullable=True, max_length=65535),
    "color": Str(nullable=True, pattern=r"(#[0-9a-fA-F]{6})?", max_length=7, example="#9c27b0",
                 messages={"pattern": rules.COLOR_INVALID}),
    "instructions": Str(nullable=True, max_length=65535),
    "stream_link": Str(nullable=True, max_length=2048),
    "force": Bool(nullable=True, description="skip the busy check of the team member and resource instances"),
})

_INT, _STR, _BOOL = {"type": "integer"}, {"type": "string"}, {"type": "boolean"}
_NULL_STR = {"type": ["string", "null"]}
ATTRIBUTES = {
    "master_id": _INT, "staff_id": _INT, "service_id": _INT, "timestamp": _INT, "length": _INT,
    "capacity": _INT, "clients_count": _INT, "color": _STR, "instructions": _STR, "stream_link": _STR,
    "font_color": _STR, "notified": _BOOL, "comment": _NULL_STR, "schedule_id": {"type": ["integer", "null"]},
    "schedule_till": _NULL_STR, "schedule_event_modified": _NULL_STR,
    "date": {"type": "string", "example": "2027-01-15T09:00:00+0100"}, "deleted": _BOOL, "company_id": _INT,
    "name": _STR, "description": _STR, "datetime": {"type": "string", "example": "2027-01-15 09:00:00"},
    "created_at": _STR, "updated_at": _STR,
}
ACTIVITY = resource_schema("activity", ATTRIBUTES)
ACTIVITY["properties"]["relationships"] = {"type": "object", "description": "with include[]"}

QUERY = [
    {"name": "filter[from]", "in": "query", "required": True,
     "description": "YYYY-MM-DD HH:MM:SS, local time, not in the location's past",
     "schema": {"type": "string", "pattern": f"^{DATE_TIME}$", "example": "2027-01-11 00:00:00"}},
    {"name": "filter[to]", "in": "query", "required": True,
     "description": "YYYY-MM-DD HH:MM:SS, local time, after filter[from]",
     "schema": {"type": "string", "pattern": f"^{DATE_TIME}$", "example": "2027-01-17 23:59:59"}},
    q.array_param("filter[master_ids]", "team member ids; also `filter[master_ids]=1,2`"),
    q.array_param("filter[service_ids]", "service ids; also `filter[service_ids]=1,2`"),
    {"name": "filter[capacity]", "in": "query", "required": False, "description": "at least this many free seats",
     "schema": {"type": "integer", "minimum": 0, "maximum": rules.MAX_CAPACITY}},
    {"name": "search", "in": "query", "required": False, "schema": {"type": "string", "maxLength": MAX_SEARCH},
     "description": "case-insensitive, in the service title, the comment and the instructions"},
    *q.page_params(),
]
INCLUDE = {"name": "include[]", "in": "query", "required": False, "style": "form", "explode": True,
           "description": "related objects to add under `included`",
           "schema": {"type": "array", "items": {"type": "string", "enum": list(INCLUDES)}}}


def _with_included(responses: dict[int, dict[str, Any]], status: int) -> dict[int, dict[str, Any]]:
    props = responses[status]["content"]["application/json"]["schema"]["properties"]
    props["included"] = {"type": "array", "items": {"type": "object"}, "description": "with include[]"}
    return responses


def present(e: Event) -> dict[str, Any]:
    return resource("activity", e.id, {
        "master_id": e.staff_id,
        "staff_id": e.staff_id,
        "service_id": e.service_id,
        "timestamp": e.start_ts,
        "length": e.length,
        "capacity": e.capacity,
        "clients_count": e.clients_count,
        "color": e.color,
        "instructions": e.instructions,
        "stream_link": e.stream_link,
        "font_color": e.font_color,
        "notified": bool(e.notified),
        "comment": e.comment,
        "schedule_id": None,
        "schedule_till": None,
        "schedule_event_modified": None,
        "date": iso_offset(e.start_ts, e.timezone),
        "deleted": bool(e.deleted),
        "company_id": e.location_id,
        "name": e.service_title,
        "description": e.comment or "",
        "datetime": local_text(e.start_ts, e.timezone),
        "created_at": iso_offset(e.created_at, e.timezone),
        "updated_at": iso_offset(e.updated_at, e.timezone),
    })


# Events are tuples of every column `present` reads, so equal events encode equally.
encoded = Encoded(present)  # kept in deps.caches.events (behaviour 9.3)


def _staff(s: dict[str, Any]) -> dict[str, Any]:
    position = {"id": s["position_id"], "title": s["position_title"]} if s["position_id"] is not None else None
    return resource("staff", s["id"], {
        "name": s["name"], "company_id": s["location_id"], "specialization": s["specialization"],
        "avatar": s["avatar"], "avatar_big": s["avatar_big"], "rating": s["rating"], "position": position,
    })


def _service(s: dict[str, Any]) -> dict[str, Any]:
    category = {"id": s["category_id"], "title": s["category_title"]} if s["category_id"] is not None else None
    return resource("service", s["id"], {
        "title": s["title"], "company_id": s["location_id"], "category_id": s["category_id"],
        "category": category, "comment": s["comment"], "image_url": s["image_url"],
        "price_min": s["price_min"], "price_max": s["price_max"], "is_group_event": bool(s["is_group"]),
    })


def _link(type_: str, id_: int) -> dict[str, str]:
    return {"type": type_, "id": str(id_)}


def _relate(e: Event, related: Related, includes: list[str], included: dict[tuple[str, str], dict]) -> dict[str, Any]:
    """The event's resource with `relationships`; its related objects go into `included`."""
    out = present(e)
    rel: dict[str, Any] = {}

    def add(obj: dict[str, Any]) -> None:
        included.setdefault((obj["type"], obj["id"]), obj)

    for name in includes:
        if name == "staff":
            rel["staff"] = {"data": _link("staff", e.staff_id)}
            if e.staff_id in related.staff:
                add(_staff(related.staff[e.staff_id]))
        elif name == "service":
            rel["service"] = {"data": _link("service", e.service_id)}
            if e.service_id in related.services:
                add(_service(related.services[e.service_id]))
        elif name == "resource_instances":
            instances = related.resource_instances.get(e.id, [])
            rel["resource_instances"] = {"data": [_link("resource_instance", i["id"]) for i in instances]}
            for i in instances:
                add(resource("resource_instance", i["id"], {"title": i["title"], "resource_id": i["resource_id"]}))
        elif name == "labels":
            labels = related.labels.get(e.id, [])
            rel["labels"] = {"data": [_link("label", t["id"]) for t in labels]}
            for t in labels:
                add(resource("label", t["id"], present_tag(t)["attributes"]))
        else:  # duration_details
            rel["duration_details"] = {"data": _link("activity_duration_details", e.id)}
            add(resource("activity_duration_details", e.id, {
                "services_duration": e.services_duration, "technical_break_duration": e.technical_break}))
    out["relationships"] = rel
    return out


def _includes(query: QueryParams, errors: FieldErrors) -> list[str]:
    """`include[]=staff&include[]=service`, `include=staff&include=service` or `include=staff,service`."""
    values: list[str] = []
    for chunk in query.getlist("include[]") + query.getlist("include"):
        for part in chunk.split(","):
            part = part.strip()
            if not part:
                continue
            if part not in INCLUDES:
                errors["include"] = [NOT_A_CHOICE]
                return []
            values.append(part)
    return list(dict.fromkeys(values))


def _ids(query: QueryParams, name: str, errors: FieldErrors) -> tuple[int, ...]:
    values = q.uint_list(query, name, errors)
    if len(values) > MAX_IDS:
        errors[name] = [f"This collection should contain {MAX_IDS} elements or less."]
    return tuple(values)


def _date_time(query: QueryParams, name: str, errors: FieldErrors) -> str:
    raw = query.get(name)
    if raw is None or raw == "":
        errors[name] = [rules.DATE_MISSING]
    elif not _DATE_TIME.fullmatch(raw):
        errors[name] = [rules.DATE_INVALID]
    return raw or ""


def _search(query: QueryParams, errors: FieldErrors) -> str:
    text = (query.get("search") or "").strip()
    if "\x00" in text:
        errors["search"] = [INVALID_CHARS]
    elif len(text) > MAX_SEARCH:
        errors["search"] = [f"This value is too long. It should have {MAX_SEARCH} characters or less."]
    return text


def _input(fields: dict[str, Any]) -> EventInput:
    return EventInput(
        staff_id=fields["staff_id"], service_id=fields["service_id"], date=fields["date"],
        length=fields["length"], capacity=fields["capacity"],
        resource_instance_ids=fields["resource_instance_ids"], label_ids=fields["label_ids"],
        technical_break=fields.get("technical_break_duration"), comment=fields.get("comment"),
        color=fields.get("color") or "", instructions=fields.get("instructions") or "",
        stream_link=fields.get("stream_link") or "", force=bool(fields.get("force")),
    )


def _single(e: Event, related: Related | None = None, includes: list[str] | None = None) -> dict[str, Any]:
    if related is None or not includes:
        return {"data": present(e), "meta": []}
    included: dict[tuple[str, str], dict] = {}
    data = _relate(e, related, includes, included)
    return {"data": data, "included": list(included.values()), "meta": []}


@api.operation("GET", PATH, version=2, access="read", tag=TAG, query=[*QUERY, INCLUDE],
               summary="List the location's events starting in a period, sorted by start time",
               responses=_with_included(v2_responses(200, {"type": "array", "items": ACTIVITY}, paginated=True,
                                                     success_flag=True, errors=(400, 404)), 200))
async def list_activities(ctx: Ctx) -> Reply:
    params = ctx.query
    errors: FieldErrors = {}
    start_from = _date_time(params, "filter[from]", errors)
    start_to = _date_time(params, "filter[to]", errors)
    staff_ids = _ids(params, "filter[master_ids]", errors)
    service_ids = _ids(params, "filter[service_ids]", errors)
    free_seats = q.uint(params, "filter[capacity]", errors, 0, rules.MAX_CAPACITY)
    search = _search(params, errors)
    limit, offset = q.page(params, errors)
    includes = _includes(params, errors)
    if errors:
        raise InvalidRequest(errors=errors)
    period = Period(start_from, start_to, fields=("filter[from]", "filter[to]"), not_in_past=True)
    query = EventQuery(staff_ids=staff_ids, service_ids=service_ids, min_free_seats=free_seats or 0,
                       search=search, limit=limit, offset=offset)
    page = await service.search_events(ctx.deps, ctx.location_id, period, query, with_related=bool(includes))
    meta = pagination(page.total, limit, offset)
    if page.related is None:  # the common case: joined from encoded events
        kept = ctx.deps.caches.events
        data = b",".join([encoded(kept, e) for e in page.events])
        return Reply(b'{"success":true,"data":[' + data + b'],"meta":' + orjson.dumps(meta) + b"}")
    included: dict[tuple[str, str], dict] = {}
    resources = [_relate(e, page.related, includes, included) for e in page.events]
    return json_response({"success": True, "data": resources, "included": list(included.values()), "meta": meta})


@api.operation("POST", PATH, version=2, access="write", tag=TAG, body=BODY,
               summary="Create a group event",
               responses=v2_responses(201, ACTIVITY, errors=(400, 404, 409, 413, 422)))
async def create_activity(ctx: Ctx) -> Reply:
    event = await service.create_event(ctx.deps, ctx.location_id, _input(ctx.body(BODY)))
    return json_response(_single(event), 201)


@api.operation("GET", ONE, version=2, access="read", tag=TAG, query=[INCLUDE],
               summary="Get an event (a deleted one too, with deleted: true)",
               responses=_with_included(v2_responses(200, ACTIVITY, errors=(400, 404)), 200))
async def get_activity(ctx: Ctx) -> Reply:
    event_id = ctx.path_int("event_id")
    includes: list[str] = []
    if b"include" in ctx.scope["query_string"]:  # most reads have no query string to parse
        errors: FieldErrors = {}
        includes = _includes(ctx.query, errors)
        if errors:
            raise InvalidRequest(errors=errors)
    if not includes:  # the hot path: one query, an encoded event
        event = await service.get_event(ctx.deps, ctx.location_id, event_id)
        return Reply(b'{"data":' + encoded(ctx.deps.caches.events, event) + b',"meta":[]}')
    event, related = await service.get_event_details(ctx.deps, ctx.location_id, event_id)
    return json_response(_single(event, related, includes))


@api.operation("PUT", ONE, version=2, access="write", tag=TAG, body=BODY,
               summary="Replace an event as a whole (optional fields left out become empty)",
               responses=v2_responses(200, ACTIVITY, errors=(400, 404, 409, 413, 422)))
async def update_activity(ctx: Ctx) -> Reply:
    event_id = ctx.path_int("event_id")
    event = await service.update_event(ctx.deps, ctx.location_id, event_id, _input(ctx.body(BODY)))
    return json_response(_single(event))


@api.operation("DELETE", ONE, version=2, access="write", tag=TAG,
               summary="Delete an event (soft) and cancel its active appointments",
               responses=v2_responses(204, None, errors=(400, 404)))
async def delete_activity(ctx: Ctx) -> Reply:
    await service.delete_event(ctx.deps, ctx.location_id, ctx.path_int("event_id"))
    return no_content()
