"""v1 appointments (behaviour 16): the same event appointments as v2's records, in v1's record object."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from starlette.datastructures import QueryParams

from altegio_server.api import query as q
from altegio_server.api.envelopes import Reply, json_response, v1_success
from altegio_server.api.openapi_shapes import v1_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import INT64_MAX
from altegio_server.api.v1 import record_presenter
from altegio_server.errors import FieldErrors, InvalidRequest
from altegio_server.records import service
from altegio_server.records.models import RecordQuery

api = Api()
TAG = "v1 Appointments"
DEFAULT_COUNT, MAX_COUNT = 50, 300
DAY_INVALID = "This value is not a valid date. Expected YYYY-MM-DD, a local date of the location."
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Query name -> RecordQuery field, for the local-date bounds.
DATE_FILTERS = {"start_date": "start_from", "end_date": "start_to", "c_start_date": "created_from",
                "c_end_date": "created_to"}
ID_FILTERS = ("staff_id", "client_id", "created_user_id")
CHANGE_FILTERS = ("changed_after", "changed_before")
STAFF_ALIAS = "team_member_id"  # the vendor's parameter list spells staff_id so
_DATE_DESCRIPTIONS = {"start_date": "appointments of events starting on or after this local date",
                      "end_date": "appointments of events starting on or before this local date",
                      "c_start_date": "appointments booked on or after this local date",
                      "c_end_date": "appointments booked on or before this local date"}
QUERY = [
    {"name": "page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": INT64_MAX, "default": 1}},
    {"name": "count", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_COUNT, "default": DEFAULT_COUNT}},
    *({"name": name, "in": "query", "required": False, "description": text,
       "schema": {"type": "string", "format": "date"}} for name, text in _DATE_DESCRIPTIONS.items()),
    *({"name": name, "in": "query", "required": False, "description": "appointments created or changed "
       + ("at or after" if name == "changed_after" else "at or before") + " this moment",
       "schema": {"type": "string", "format": "date-time"}} for name in CHANGE_FILTERS),
    *({"name": name, "in": "query", "required": False,
       "schema": {"type": "integer", "minimum": 0, "maximum": INT64_MAX}} for name in (*ID_FILTERS, STAFF_ALIAS)),
]
_COUNT_META = {"type": "object", "required": ["count"],
               "properties": {"count": {"type": "integer", "description": "all matching appointments"}}}


def _day(params: QueryParams, name: str, errors: FieldErrors) -> str | None:
    raw = params.get(name)
    if raw is None:
        return None
    try:
        valid = bool(_DATE.fullmatch(raw)) and 1970 <= date.fromisoformat(raw).year <= 9998
    except ValueError:
        valid = False
    if not valid:
        errors[name] = [DAY_INVALID]
    return raw


def _query(params: QueryParams) -> RecordQuery:
    """The list's filters and page; 400 with field errors for values that cannot be read."""
    errors: FieldErrors = {}
    page = q.positive(params, "page", errors, 1, INT64_MAX)
    count = q.positive(params, "count", errors, DEFAULT_COUNT, MAX_COUNT)
    fields: dict[str, Any] = {field: _day(params, name, errors) for name, field in DATE_FILTERS.items()}
    fields.update({name: q.moment(params, name, errors) for name in CHANGE_FILTERS})
    fields.update({name: q.uint(params, name, errors) or None for name in ID_FILTERS})
    fields["staff_id"] = fields["staff_id"] or q.uint(params, STAFF_ALIAS, errors) or None
    if errors:
        raise InvalidRequest(errors=errors)
    return RecordQuery(limit=count, offset=min((page - 1) * count, INT64_MAX), **fields)


@api.operation("GET", "/api/v1/record/{location_id}/{record_id}", version=1, access="read", tag=TAG,
               summary="Get an appointment (a cancelled one too, with deleted: true)",
               responses=v1_responses(200, record_presenter.RECORD, errors=(404,)))
async def get_appointment(ctx: Ctx) -> Reply:
    record = await service.get_record_details(ctx.deps, ctx.location_id, ctx.path_int("record_id"))
    return v1_success(record_presenter.record(record))


@api.operation("GET", "/api/v1/records/{location_id}", version=1, access="read", tag=TAG, query=QUERY,
               summary="List the location's active appointments by event start; meta.count counts all matches",
               responses=v1_responses(200, {"type": "array", "items": record_presenter.RECORD}, _COUNT_META,
                                      errors=(400, 404)))
async def list_appointments(ctx: Ctx) -> Reply:
    rows, total = await service.search_record_details(ctx.deps, ctx.location_id, _query(ctx.query))
    return json_response({"success": True, "data": [record_presenter.record(r) for r in rows],
                          "meta": {"count": total}})
