"""v1 group events (behaviour 7.2): the same events as v2's activities, in v1's wire format.

Decisions where the vendor's documents leave room (behaviour 7.2):
- Bodies ignore fields they do not know (existing v1 clients send more), and an explicit null
  for an optional field means the field is absent. `length` left out is the service's
  duration; the technical break then follows the v2 rule (the location's default is added).
- Search periods are local dates of the location, both ends included: `from` from its first
  moment, `till` to its last. Parameter errors are 400 with field errors, as in v2's list.
- `records_count` is the number of seats booked (what `capacity` is counted against).
- `search_dates_range` spans the matching live events from the location's today on; with
  none, both dates are `""`: clients type them as strings (the vendor's answer is unknown).
- `filters` takes the period's dates as optional (clients tested against the vendor send
  none): `from` left out is the location's today, as `search_dates_range` looks, `till` left
  out no end. `search` and `search_dates` keep both required, as the vendor documents them.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from starlette.datastructures import QueryParams

from altegio_server.api import query as q
from altegio_server.api.envelopes import Reply, json_response, v1_success
from altegio_server.api.openapi_shapes import v1_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import INT64_MAX, INVALID_CHARS, Bool, Int, List, Obj, Str
from altegio_server.api.v1 import presenters
from altegio_server.errors import FieldErrors, InvalidRequest
from altegio_server.events import browse, rules, service
from altegio_server.events.models import EventInput, EventQuery, Period

api = Api()
TAG = "v1 Group events (deprecated)"
PATH = "/api/v1/activity/{location_id}"
ONE = PATH + "/{event_id}"

DATE_TIME = r"[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(:[0-9]{2})?"
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Date problems name the format the server reads (behaviour 13.1).
DAY_FORMAT = "Expected YYYY-MM-DD, a local date of the location."
DAY_INVALID = f"This value is not a valid date. {DAY_FORMAT}"
DAY_MISSING = f"This field is missing. {DAY_FORMAT}"
DATE_TIME_INVALID = ("This value is not a valid datetime. "
                     "Expected YYYY-MM-DD HH:MM:SS or YYYY-MM-DD HH:MM, local time of the location.")
DATE_MESSAGES = dict.fromkeys(("type", "long", "pattern"), DATE_TIME_INVALID)
MAX_IDS = 1000
MAX_COUNT = 300
MAX_TERM = 255
ARRAY_FILTERS = ("staff_ids", "service_ids", "resource_ids")


def _ids_field(description: str) -> List:
    return List(Int(min=1), nullable=True, max_items=100, description=description + "; null or absent: none")


BODY = Obj({
    "date": Str(required=True, pattern=DATE_TIME, max_length=19, messages=DATE_MESSAGES,
                example="2027-01-15 09:00", description="local wall-clock time of the location, seconds optional"),
    "service_id": Int(required=True, min=1, description="a group-event service of the location"),
    "staff_id": Int(required=True, min=1, description="team member who runs the event"),
    "capacity": Int(required=True, min=1, max=rules.MAX_CAPACITY, messages={"range": rules.CAPACITY_INVALID}),
    "force": Bool(required=True, description="skip the busy check of the team member and resource instances"),
    "length": Int(nullable=True, min=rules.STEP, max=rules.MAX_LENGTH, messages={"range": rules.LENGTH_INVALID},
                  example=3600, description="seconds, a multiple of 300; null or absent: the service's duration"),
    "resource_instance_ids": _ids_field("resource instances of the location"),
    "label_ids": _ids_field("activity or common tags of the location"),
    "technical_break_duration": Int(nullable=True, min=0, max=rules.MAX_BREAK, messages={"range": rules.BREAK_INVALID},
                                    description="seconds, a multiple of 300, part of length; null or absent: "
                                                "the location's default break is added to length"),
    "comment": Str(nullable=True, max_length=65535),
    "color": Str(nullable=True, pattern=r"(#[0-9a-fA-F]{6})?", max_length=7, example="#9c27b0",
                 messages={"pattern": rules.COLOR_INVALID}),
    "stream_link": Str(nullable=True, max_length=2048),
    "instructions": Str(nullable=True, max_length=65535),
}, allow_unknown=True)


def _param(name: str, description: str, schema: dict, required: bool = False) -> dict:
    return {"name": name, "in": "query", "required": required, "description": description, "schema": schema}


_DAY = {"type": "string", "format": "date", "example": "2027-01-15"}
FILTER_PARAMS = [
    q.array_param("staff_ids", "team member ids; also `staff_ids=1&staff_ids=2` or `staff_ids=1,2`"),
    q.array_param("service_ids", "service ids; also repeated or comma-joined"),
    q.array_param("resource_ids", "resource ids (rooms as a kind, not their instances); also repeated or "
                                  "comma-joined"),
]
PERIOD_PARAMS = [
    _param("from", "first local date of the period", _DAY, required=True),
    _param("till", "last local date of the period, included whole", _DAY, required=True),
]
_DAY_OR_EMPTY = {"anyOf": [_DAY, {"type": "string", "maxLength": 0}]}
OPTIONAL_PERIOD_PARAMS = [
    _param("from", "first local date of the period; left out or empty: the location's today", _DAY_OR_EMPTY),
    _param("till", "last local date of the period, included whole; left out or empty: no end", _DAY_OR_EMPTY),
]
PAGE_PARAMS = [
    _param("page", "page number", {"type": "integer", "minimum": 1, "default": 1}),
    _param("count", "events per page", {"type": "integer", "minimum": 1, "maximum": MAX_COUNT, "default": 25}),
]
SERVICE_PARAMS = [
    _param("staff_id", "only services this team member provides", {"type": "integer", "minimum": 0}),
    _param("term", "only services whose title contains this, in any case", {"type": "string", "maxLength": MAX_TERM}),
]

_ONE_EVENT = v1_responses(200, presenters.EVENT, errors=(400, 404))
_WRITE_EVENT = v1_responses(200, presenters.EVENT, errors=(400, 404, 409, 413, 422))
_COUNT_META = {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}}}
_DATES = {"type": "array", "items": _DAY}
_RANGE_DATE = {"type": "string", "example": "2027-01-15", "description": "YYYY-MM-DD; \"\" when no event matches"}
_RANGE = {"type": "object", "required": ["min_date", "max_date"],
          "properties": {"min_date": _RANGE_DATE, "max_date": _RANGE_DATE}}
_ACCEPTED = {"description": "Accepted", "content": {"application/json": {"schema": {
    "type": "object", "required": ["success", "data", "meta"],
    "properties": {"success": {"type": "boolean", "enum": [True]}, "data": {"type": "null"},
                   "meta": {"type": "object", "required": ["message"],
                            "properties": {"message": {"type": "string", "enum": ["Accepted"]}}}}}}}}


def _input(fields: dict) -> EventInput:
    return EventInput(
        staff_id=fields["staff_id"], service_id=fields["service_id"], date=fields["date"],
        length=fields.get("length"), capacity=fields["capacity"],
        resource_instance_ids=fields.get("resource_instance_ids") or [], label_ids=fields.get("label_ids") or [],
        technical_break=fields.get("technical_break_duration"), comment=fields.get("comment"),
        color=fields.get("color") or "", instructions=fields.get("instructions") or "",
        stream_link=fields.get("stream_link") or "", force=fields["force"],
    )


def _day(params: QueryParams, name: str, errors: FieldErrors, optional: bool = False) -> str:
    raw = params.get(name)
    if raw is None or raw == "":
        if not optional:
            errors[name] = [DAY_MISSING]
        return ""
    try:
        valid = bool(_DATE.fullmatch(raw)) and rules.MIN_YEAR <= date.fromisoformat(raw).year <= rules.MAX_YEAR
    except ValueError:
        valid = False
    if not valid:
        errors[name] = [DAY_INVALID]
    return raw


def _ids(params: QueryParams, name: str, errors: FieldErrors) -> tuple[int, ...]:
    values = q.uint_list(params, name, errors)
    if len(values) > MAX_IDS:
        errors[name] = [f"This collection should contain {MAX_IDS} elements or less."]
    return tuple(values)


def _filters(params: QueryParams, errors: FieldErrors) -> dict[str, Any]:
    return {name: _ids(params, name, errors) for name in ARRAY_FILTERS}


def _bounded(params: QueryParams, name: str, errors: FieldErrors, default: int, low: int, high: int) -> int:
    value = q.uint(params, name, errors, default)
    assert value is not None
    if not low <= value <= high:
        text = (f"This value should be greater than or equal to {low}." if high == INT64_MAX
                else f"This value should be between {low} and {high}.")
        errors.setdefault(name, []).append(text)
    return value


def _query(params: QueryParams, paged: bool = False, open_period: bool = False) -> tuple[Period, EventQuery]:
    """The period, the filters and (if `paged`) the page of a search, as the events service
    takes them. With `open_period`, a date left out is an empty bound of the period."""
    errors: FieldErrors = {}
    first, last = _day(params, "from", errors, open_period), _day(params, "till", errors, open_period)
    filters = _filters(params, errors)
    limit = offset = 0
    if paged:
        page = _bounded(params, "page", errors, 1, 1, INT64_MAX)
        limit = _bounded(params, "count", errors, 25, 1, MAX_COUNT)
        offset = min((page - 1) * limit, INT64_MAX)
    if errors:
        raise InvalidRequest(errors=errors)
    return (Period(first and f"{first} 00:00:00", last and f"{last} 23:59:59", fields=("from", "till")),
            EventQuery(limit=limit, offset=offset, **filters))


@api.operation("POST", PATH, version=1, access="write", tag=TAG, body=BODY, deprecated=True,
               summary="Create a group event", responses=_WRITE_EVENT)
async def create_event(ctx: Ctx) -> Reply:
    event, related = await service.create_event_details(ctx.deps, ctx.location_id, _input(ctx.body(BODY)))
    return v1_success(presenters.event(event, related))


@api.operation("GET", ONE, version=1, access="read", tag=TAG, deprecated=True,
               summary="Get a group event (a deleted one too, with is_deleted: true)", responses=_ONE_EVENT)
async def get_event(ctx: Ctx) -> Reply:
    event, related = await service.get_event_details(ctx.deps, ctx.location_id, ctx.path_int("event_id"))
    return v1_success(presenters.event(event, related))


@api.operation("PUT", ONE, version=1, access="write", tag=TAG, body=BODY, deprecated=True,
               summary="Replace a group event as a whole (optional fields left out become empty)",
               responses=_WRITE_EVENT)
async def update_event(ctx: Ctx) -> Reply:
    event_id = ctx.path_int("event_id")
    event, related = await service.update_event_details(ctx.deps, ctx.location_id, event_id, _input(ctx.body(BODY)))
    return v1_success(presenters.event(event, related))


@api.operation("DELETE", ONE, version=1, access="write", tag=TAG, deprecated=True,
               summary="Delete a group event (soft) and cancel its active appointments",
               responses={**v1_responses(202, None, errors=(400, 404)), 202: _ACCEPTED})
async def delete_event(ctx: Ctx) -> Reply:
    await service.delete_event(ctx.deps, ctx.location_id, ctx.path_int("event_id"))
    return json_response({"success": True, "data": None, "meta": {"message": "Accepted"}}, 202)


@api.operation("GET", PATH + "/search", version=1, access="read", tag=TAG, deprecated=True,
               query=[*PERIOD_PARAMS, *FILTER_PARAMS, *PAGE_PARAMS],
               summary="Search live group events by local dates, sorted by start; meta.count counts all matches",
               responses=v1_responses(200, {"type": "array", "items": presenters.EVENT}, _COUNT_META,
                                      errors=(400, 404)))
async def search_events(ctx: Ctx) -> Reply:
    found = await service.search_events(ctx.deps, ctx.location_id, *_query(ctx.query, paged=True), with_related=True)
    assert found.related is not None
    return json_response({"success": True, "data": [presenters.event(e, found.related) for e in found.events],
                          "meta": {"count": found.total}})


@api.operation("GET", PATH + "/search_dates", version=1, access="read", tag=TAG, deprecated=True,
               query=[*PERIOD_PARAMS, *FILTER_PARAMS],
               summary="The local dates of the period on which a matching live event starts",
               responses=v1_responses(200, _DATES, errors=(400, 404)))
async def search_dates(ctx: Ctx) -> Reply:
    dates = await browse.event_dates(ctx.deps, ctx.location_id, *_query(ctx.query))
    return v1_success(dates)


@api.operation("GET", PATH + "/search_dates_range", version=1, access="read", tag=TAG, deprecated=True,
               query=FILTER_PARAMS,
               summary="The first and the last local date with a matching live event, from today on",
               responses=v1_responses(200, _RANGE, errors=(400, 404)))
async def search_dates_range(ctx: Ctx) -> Reply:
    errors: FieldErrors = {}
    filters = _filters(ctx.query, errors)
    if errors:
        raise InvalidRequest(errors=errors)
    first, last = await browse.date_range(ctx.deps, ctx.location_id, EventQuery(**filters))
    return v1_success({"min_date": first or "", "max_date": last or ""})


@api.operation("GET", PATH + "/filters", version=1, access="read", tag=TAG, deprecated=True,
               query=[*OPTIONAL_PERIOD_PARAMS, *FILTER_PARAMS],
               summary="Team members, services, resources and service categories, each disabled when choosing it "
                       "would find no event in the period under the other filters; meta.count counts the groups",
               responses=v1_responses(200, {"type": "array", "items": presenters.FILTER_GROUP}, _COUNT_META,
                                      errors=(400, 404)))
async def search_filters(ctx: Ctx) -> Reply:
    groups = presenters.filters(await browse.facets(ctx.deps, ctx.location_id, *_query(ctx.query, open_period=True)))
    return v1_success(groups, {"count": len(groups)})


@api.operation("GET", PATH + "/services", version=1, access="read", tag=TAG, deprecated=True,
               query=SERVICE_PARAMS, summary="The location's group-event services, with their team and resources",
               responses=v1_responses(200, {"type": "array", "items": presenters.GROUP_SERVICE}, _COUNT_META,
                                      errors=(400, 404)))
async def group_services(ctx: Ctx) -> Reply:
    errors: FieldErrors = {}
    staff_id = q.uint(ctx.query, "staff_id", errors)
    term = ctx.query.get("term") or ""
    if "\x00" in term:
        errors["term"] = [INVALID_CHARS]
    elif len(term) > MAX_TERM:
        errors["term"] = [f"This value is too long. It should have {MAX_TERM} characters or less."]
    if errors:
        raise InvalidRequest(errors=errors)
    found = await browse.group_services(ctx.deps, ctx.location_id, staff_id, term)
    return json_response({"success": True, "data": [presenters.group_service(s) for s in found],
                          "meta": {"count": len(found)}})
