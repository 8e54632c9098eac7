"""v2 event appointments, resource type `record` (behaviour 5)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from altegio_server.api import query as q
from altegio_server.api.envelopes import Reply, json_response, no_content, pagination, resource
from altegio_server.api.openapi_shapes import resource_schema, v2_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import ABSENT, MISSING, NOT_NULL, Bool, Int, List, Num, Obj, Str
from altegio_server.clients.models import ClientDetails
from altegio_server.clients.rules import blank_problem, date_problem, email_problem, normalize_phone, phone_problem
from altegio_server.colors import font_color_for
from altegio_server.commands import KEEP
from altegio_server.errors import FieldErrors, InvalidRequest
from altegio_server.records import service
from altegio_server.records.models import Booking, RecordChanges
from altegio_server.records.rules import ATTENDANCE_SLUGS, CLIENT_ID_MISMATCH, CLIENT_OR_COMER, OVERPAID
from altegio_server.timezones import local_text

api = Api()
TAG = "Event appointments"
RECORDS = "/api/v2/companies/{location_id}/activities/{event_id}/records"
MAX_SEATS = 1_000_000
MAX_EVENT_FILTER = 1000
EVENT_FILTER = "filter[activity_id]"


def _datetime_problem(text: str) -> str | None:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return "This value is not a valid datetime. Expected YYYY-MM-DD HH:MM:SS."  # (behaviour 13.1)
    return None


_ID = "0 or absent means none"
CLIENT = Obj({
    "id": Int(min=0, nullable=True, description=f"An existing client of the location ({_ID})"),
    "name": Str(required=True, max_length=255, check=blank_problem, example="John"),
    "phone": Str(required=True, max_length=64, check=phone_problem, example="+13155550175",
                 description="Spaces, dots, dashes and brackets are ignored"),
    "email": Str(required=True, max_length=255, check=email_problem, example="john@example.com"),
    "surname": Str(required=True, max_length=255, example="Smith"),
    "patronymic": Str(nullable=True, max_length=255),
    "gender": Int(required=True, min=0, max=2, numeric_string=True, description="0 unknown, 1 male, 2 female"),
    "birthday": Str(nullable=True, check=date_problem, example="1990-01-01"),
    "custom_field_values": List(Obj({"code": Str(required=True, min_length=1, max_length=255),
                                     "value": Str(nullable=True, max_length=65535)}),
                                max_items=100, nullable=True),
    "agreements": List(Obj({"is_newsletter_allowed": Bool(nullable=True),
                            "is_personal_data_processing_allowed": Bool(nullable=True)}),
                       max_items=10, nullable=True),
}, nullable=True, description="Required unless a walk-in visitor (comer_id or comer) is booked")


class _Booking(Obj):
    """The create body: a client, or else a walk-in visitor, but never both."""

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        out = super().convert(value, path, errors)
        if not isinstance(value, dict):
            return out
        wants_client = value.get("client") is not None or bool(value.get("client_id"))
        wants_comer = bool(value.get("comer_id")) or value.get("comer") is not None
        if wants_client and wants_comer:
            errors.setdefault("comer", []).append(CLIENT_OR_COMER)
            return ABSENT
        if not wants_comer and value.get("client") is None:
            errors.setdefault("client", []).append(MISSING if "client" not in value else NOT_NULL)
            return ABSENT
        client = value.get("client")
        if (isinstance(client, dict) and value.get("client_id")
                and client.get("id") not in (None, 0, value["client_id"])):
            errors.setdefault("client_id", []).append(CLIENT_ID_MISMATCH)
            return ABSENT
        return out

    def extra_schema(self) -> dict[str, Any]:
        out = super().extra_schema()
        out["anyOf"] = [
            {"required": ["client"], "properties": {"client": {"type": "object"}}},
            {"required": ["comer"], "properties": {"comer": {"type": "object"}}},
            {"required": ["comer_id"], "properties": {"comer_id": {"type": "integer", "minimum": 1}}},
        ]
        return out


CREATE = _Booking({
    "client_id": Int(min=0, nullable=True, description=f"Deprecated: use client.id ({_ID})"),
    "client": CLIENT,
    "comer_id": Int(min=0, nullable=True, description=f"An existing walk-in visitor of the location ({_ID})"),
    "comer": Obj({"name": Str(nullable=True, max_length=255, example="Guest User")}, nullable=True,
                 description="A new walk-in visitor, or the new name of comer_id"),
    "labels": List(Int(min=1), unique=True, max_items=100, nullable=True, default=list,
                   description="Appointment (2) or common (0) tags of the location"),
    "clients_count": Int(required=True, min=1, max=MAX_SEATS, description="Seats to book"),
})

_MONEY = {"min": 0}
SERVICE_ITEM = Obj({
    "cost_per_unit": Num(required=True, **_MONEY),
    "discount_percent": Num(required=True, min=0, max=100),
    "manual_cost": Num(required=True, description="The price after discount", **_MONEY),
}, nullable=True)
GOOD_ITEM = Obj({
    "id": Int(min=0, nullable=True),
    "good_id": Int(required=True, min=0),
    "unit_id": Int(required=True, min=0),
    "storage_id": Int(required=True, min=0),
    "staff_id": Int(required=True, min=0),
    "operation_unit_type": Str(required=True, choices=("sale", "consumable")),
    "number": Int(min=0, nullable=True),
    "planned_activation_date": Str(nullable=True, max_length=64, check=_datetime_problem),
    "marks": List(Str(max_length=255), max_items=1000, nullable=True),
    "quantity": Num(required=True, min=0),
    "cost_per_unit": Num(required=True, **_MONEY),
    "manual_cost": Num(required=True, **_MONEY),
    "discount_percent": Num(required=True, min=0, max=100),
})


def _update_body(reschedule_required: bool) -> Obj:
    return Obj({
        "reschedule_activity_id": Int(min=1, required=reschedule_required, nullable=not reschedule_required,
                                      description="The event to move the appointment to; its own event to stay"),
        "attendance_service_item": SERVICE_ITEM,
        "attendance_good_items": List(GOOD_ITEM, max_items=100, nullable=True, description="Replaces the list"),
        "comment": Str(nullable=True, max_length=65535),
        "label_ids": List(Int(min=1), unique=True, max_items=100, nullable=True, description="Replaces the set"),
        "color": Str(nullable=True, max_length=7, pattern=r"#?([0-9a-fA-F]{6})?", example="f44336",
                     description="Hex without '#'; empty to clear"),
        "clients_count": Int(min=1, max=MAX_SEATS),
    })


PATCH_BODY = _update_body(True)
UPDATE_BODY = _update_body(False)

_INT, _STR, _BOOL = {"type": "integer"}, {"type": "string"}, {"type": "boolean"}
_NULL_INT, _NULL_STR = {"type": ["integer", "null"]}, {"type": ["string", "null"]}
ATTRIBUTES = {
    "company_id": _INT, "external_id": _STR, "visit_id": _INT, "booking_user_id": _INT, "bookform_id": _INT,
    "master_id": _INT, "staff_id": _INT, "client_id": _INT, "comer_id": _NULL_INT, "source": _INT,
    "attendance": {"type": "integer", "enum": list(ATTENDANCE_SLUGS)},
    "attendance_status": {"type": "integer", "enum": list(ATTENDANCE_SLUGS)},
    "attendance_status_slug": {"type": "string", "enum": list(ATTENDANCE_SLUGS.values())},
    "client_fictive_name": _NULL_STR, "client_fictive_phone": _NULL_STR, "client_fictive_email": _NULL_STR,
    "clients_count": _INT, "activity_id": _INT, "custom_color": _STR, "custom_font_color": _STR,
    "length": _INT, "duration": _INT, "paid_full": {"type": "integer", "enum": [0, 1, 2]},
    "is_paid": _BOOL, "is_overpaid": _BOOL, "timestamp": _INT,
    "date": {"type": "string", "example": "2027-01-15 09:00:00"}, "created_datetime": _STR,
    "from_url": _STR, "is_mobile": _INT, "comment": _STR, "prepaid_status": _INT, "record_from": _STR,
    "payment_status": _INT, "is_sale_bill_printed": _BOOL, "is_client_notification_sent": _BOOL,
    "deleted": _BOOL,
}
RECORD = resource_schema("record", ATTRIBUTES)
FILTER_QUERY = q.array_param(EVENT_FILTER, "Only appointments of these events")


def present(r: dict[str, Any]) -> dict[str, Any]:
    walk_in = r["comer_id"] is not None
    tz = r["timezone"]
    return resource("record", r["id"], {
        "company_id": r["location_id"],
        "external_id": r["external_id"],
        "visit_id": r["id"],  # every appointment is its own visit here
        "booking_user_id": r["booking_user_id"],
        "bookform_id": 0,
        "master_id": r["staff_id"],
        "staff_id": r["staff_id"],
        "client_id": r["client_id"] or 0,
        "comer_id": r["comer_id"],
        "source": 0,
        "attendance": r["attendance"],
        "attendance_status": r["attendance"],
        "attendance_status_slug": ATTENDANCE_SLUGS[r["attendance"]],
        "client_fictive_name": r["comer_name"] if walk_in else None,
        "client_fictive_phone": "" if walk_in else None,
        "client_fictive_email": "" if walk_in else None,
        "clients_count": r["clients_count"],
        "activity_id": r["event_id"],
        "custom_color": r["custom_color"],
        "custom_font_color": font_color_for(r["custom_color"], with_hash=False),
        "length": r["length"],
        "duration": r["length"],
        "paid_full": r["paid_full"],
        "is_paid": r["paid_full"] != 0,
        "is_overpaid": r["paid_full"] == OVERPAID,
        "timestamp": r["start_ts"],
        "date": local_text(r["start_ts"], tz),
        "created_datetime": local_text(r["created_at"], tz),
        "from_url": "",
        "is_mobile": 0,
        "comment": r["comment"],
        "prepaid_status": 0,
        "record_from": "",
        "payment_status": r["paid_full"],
        "is_sale_bill_printed": False,
        "is_client_notification_sent": False,
        "deleted": bool(r["deleted"]),
    })


def _given(body: dict[str, Any], name: str, convert: Any) -> Any:
    """`convert` of a field the body gives (null included), or KEEP if it leaves it out."""
    return convert(body[name]) if name in body else KEEP


def _client(client: dict[str, Any], client_id: int | None) -> ClientDetails:
    """The parsed `client` object: an id of 0 means none, the phone normalised, nulls empty."""
    # Spelled out rather than through `_given`: every booking runs this.
    return ClientDetails(
        phone=normalize_phone(client["phone"]), name=client["name"], surname=client["surname"],
        email=client["email"], gender=client["gender"], id=client.get("id") or client_id or None,
        patronymic=(client["patronymic"] or "") if "patronymic" in client else KEEP,
        birthday=client["birthday"] if "birthday" in client else KEEP,
        custom_fields=tuple(client["custom_field_values"] or ()) if "custom_field_values" in client else KEEP,
        agreements=tuple(client["agreements"] or ()) if "agreements" in client else KEEP,
    )


def _booking(body: dict[str, Any]) -> Booking:
    """The parsed create body as a booking: ids of 0 mean none, `client_id` folded into the client's id."""
    client = body.get("client")
    return Booking(
        seats=body["clients_count"], client=None if client is None else _client(client, body.get("client_id")),
        comer_id=body.get("comer_id") or None, comer_name=(body.get("comer") or {}).get("name"),
        labels=tuple(body.get("labels") or ()),
    )


def _changes(body: dict[str, Any]) -> RecordChanges:
    """The parsed update body as changes: fields left out stay, nulls clear."""
    return RecordChanges(
        move_to=body.get("reschedule_activity_id"), seats=body.get("clients_count"),
        comment=_given(body, "comment", lambda v: v or ""),
        color=_given(body, "color", lambda v: (v or "").lstrip("#")),
        service_item=_given(body, "attendance_service_item", lambda v: v),
        good_items=_given(body, "attendance_good_items", lambda v: tuple(v or ())),
        labels=_given(body, "label_ids", lambda v: tuple(v or ())),
    )


@api.operation("POST", RECORDS, version=2, access="write", tag=TAG, body=CREATE,
               summary="Book seats in an event for a client or a walk-in visitor",
               responses=v2_responses(201, RECORD, errors=(400, 404, 413, 422)))
async def create_record(ctx: Ctx) -> Reply:
    booking = _booking(ctx.body(CREATE))
    assert ctx.principal is not None
    record = await service.create_record(ctx.deps, ctx.location_id, ctx.path_int("event_id"), booking,
                                         ctx.principal.user_id)
    return json_response({"data": present(record), "meta": []}, 201)


async def _update(ctx: Ctx, schema: Obj) -> Reply:
    record = await service.update_record(ctx.deps, ctx.location_id, ctx.path_int("event_id"),
                                         ctx.path_int("record_id"), _changes(ctx.body(schema)))
    return json_response({"success": True, "data": present(record), "meta": {}})


_UPDATE_RESPONSES = v2_responses(200, RECORD, meta_object=True, success_flag=True, errors=(400, 404, 413, 422))
_UPDATE_SUMMARY = "Change an appointment, or move it to another event"


@api.operation("PATCH", RECORDS + "/{record_id}", version=2, access="write", tag=TAG, body=PATCH_BODY,
               summary=_UPDATE_SUMMARY + " (reschedule_activity_id required)", responses=_UPDATE_RESPONSES)
async def update_record(ctx: Ctx) -> Reply:
    return await _update(ctx, PATCH_BODY)


@api.operation("PUT", RECORDS + "/{record_id}", version=2, access="write", tag=TAG, body=UPDATE_BODY,
               summary=_UPDATE_SUMMARY + " (as the vendor's current docs spell it)", responses=_UPDATE_RESPONSES)
async def update_record_put(ctx: Ctx) -> Reply:
    return await _update(ctx, UPDATE_BODY)


@api.operation("POST", RECORDS + "/{record_id}", version=2, access="write", tag=TAG, body=UPDATE_BODY,
               summary=_UPDATE_SUMMARY + " (as existing clients send it)", responses=_UPDATE_RESPONSES)
async def update_record_post(ctx: Ctx) -> Reply:
    return await _update(ctx, UPDATE_BODY)


_LIST_RESPONSES = v2_responses(200, {"type": "array", "items": RECORD}, paginated=True, errors=(400, 404))
_CANCEL_RESPONSES = v2_responses(204, None, errors=(400, 404, 409))


def _listed(rows: list[dict[str, Any]], total: int, limit: int, offset: int) -> Reply:
    return json_response({"data": [present(r) for r in rows], "meta": pagination(total, limit, offset)})


# The current documents name the location's list and cancel (`/locations/{id}/appointments`);
# they are also served under the seed spelling, and under each event's own path (behaviour 5.4).
@api.operation("GET", "/api/v2/companies/{location_id}/records", version=2, access="read", tag=TAG,
               query=[FILTER_QUERY, *q.page_params()], responses=_LIST_RESPONSES,
               summary="List the location's active appointments, optionally of some events")
async def list_records(ctx: Ctx) -> Reply:
    errors: FieldErrors = {}
    limit, offset = q.page(ctx.query, errors)
    event_ids = q.uint_list(ctx.query, EVENT_FILTER, errors)
    if len(event_ids) > MAX_EVENT_FILTER:
        errors.setdefault(EVENT_FILTER, []).append(
            f"This collection should contain {MAX_EVENT_FILTER} elements or less.")
    if errors:
        raise InvalidRequest(errors=errors)
    return _listed(*await service.list_records(ctx.deps, ctx.location_id, event_ids, limit, offset), limit, offset)


@api.operation("GET", RECORDS, version=2, access="read", tag=TAG, query=q.page_params(),
               responses=_LIST_RESPONSES, summary="List the event's active appointments")
async def list_event_records(ctx: Ctx) -> Reply:
    errors: FieldErrors = {}
    limit, offset = q.page(ctx.query, errors)
    if errors:
        raise InvalidRequest(errors=errors)
    found = await service.list_event_records(ctx.deps, ctx.location_id, ctx.path_int("event_id"), limit, offset)
    return _listed(*found, limit, offset)


@api.operation("GET", "/api/v2/companies/{location_id}/records/{record_id}", version=2, access="read",
               tag=TAG, summary="Get an active appointment",
               responses=v2_responses(200, RECORD, errors=(400, 404)))
async def get_record(ctx: Ctx) -> Reply:
    record = await service.get_record(ctx.deps, ctx.location_id, ctx.path_int("record_id"))
    return json_response({"data": present(record), "meta": []})


@api.operation("DELETE", "/api/v2/companies/{location_id}/records/{record_id}", version=2, access="write",
               tag=TAG, summary="Cancel an appointment, freeing its seats", responses=_CANCEL_RESPONSES)
async def cancel_record(ctx: Ctx) -> Reply:
    await service.cancel_record(ctx.deps, ctx.location_id, ctx.path_int("record_id"))
    return no_content()


@api.operation("DELETE", RECORDS + "/{record_id}", version=2, access="write", tag=TAG,
               summary="Cancel an appointment of this event, freeing its seats", responses=_CANCEL_RESPONSES)
async def cancel_event_record(ctx: Ctx) -> Reply:
    await service.cancel_record(ctx.deps, ctx.location_id, ctx.path_int("record_id"), ctx.path_int("event_id"))
    return no_content()
