"""Online booking of a group event (behaviour 18): the vendor's public booking API, which a
business's website or widget calls with the partner token alone, to book seats in an event
for a client named by phone. The booking is the same as v2's appointment by phone.
"""

from __future__ import annotations

from typing import Any

from altegio_server.api.envelopes import Reply, v1_success
from altegio_server.api.openapi_shapes import ERROR, v1_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import INT64_MAX, INVALID_CHARS, Field, Int, Obj, Str
from altegio_server.api.v2.records import MAX_SEATS
from altegio_server.clients.models import ClientDetails
from altegio_server.clients.rules import blank_problem, email_problem, normalize_phone, phone_problem
from altegio_server.commands import KEEP
from altegio_server.errors import FieldErrors
from altegio_server.records import service
from altegio_server.records.models import Booking
from altegio_server.records.rules import SEATS_TAKEN_CODE
from altegio_server.security import new_token

api = Api()
TAG = "Online booking"
MAX_COMMENT = 1000
MAX_NOTICE_HOURS = 8760  # a reminder at most a year ahead


class IntOrText(Field):
    """A value clients send as a number or as a string, kept as text (`api_id`, `code`)."""

    def __init__(self, *, max_length: int, **kw: Any) -> None:
        super().__init__(**kw)
        self.max_length = max_length

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= INT64_MAX:
            return str(value)
        if not isinstance(value, str):
            return self.fail(errors, path, "type", "This value should be a non-negative integer or a string.")
        if "\x00" in value:
            return self.fail(errors, path, "chars", INVALID_CHARS)
        if len(value) > self.max_length:
            return self.fail(errors, path, "long",
                             f"This value is too long. It should have {self.max_length} characters or less.")
        return value

    def schema(self) -> dict[str, Any]:
        kinds: list[dict[str, Any]] = [{"type": "integer", "minimum": 0, "maximum": INT64_MAX},
                                       {"type": "string", "maxLength": self.max_length}]
        out: dict[str, Any] = {"oneOf": kinds + ([{"type": "null"}] if self.nullable else [])}
        if self.description:
            out["description"] = self.description
        return out


def _hours(what: str) -> Int:
    return Int(min=0, max=MAX_NOTICE_HOURS, nullable=True,
               description=f"Hours before the event to send {what}; 0 for none. Accepted, not sent: "
                           "this server sends no messages")


BODY = Obj({
    "fullname": Str(required=True, max_length=255, check=blank_problem, example="James Smith",
                    description="The client's name"),
    "phone": Str(required=True, max_length=64, check=phone_problem, example="+13155550175",
                 description="The client's phone, which finds the client; spaces, dots, dashes and brackets "
                             "are ignored"),
    "email": Str(nullable=True, max_length=255, check=email_problem, example="j.smith@example.com",
                 description="Absent, null or empty: the stored e-mail stays"),
    "code": IntOrText(max_length=32, nullable=True,
                      description="SMS confirmation code; accepted and not checked (no location here asks for one)"),
    "comment": Str(nullable=True, max_length=MAX_COMMENT, description="The appointment's comment"),
    "notify_by_sms": _hours("an SMS reminder"),
    "notify_by_email": _hours("an e-mail reminder"),
    "type": Str(nullable=True, max_length=64, example="mobile", description="Where the booking comes from; "
                "accepted, not stored"),
    "api_id": IntOrText(max_length=255, nullable=True,
                        description="The booking's id in the sending system, stored as the appointment's external_id"),
    "clients_count": Int(min=1, max=MAX_SEATS, nullable=True,
                         description="Seats to book; absent or null: 1"),
}, allow_unknown=True)

BOOKED = {"type": "object", "required": ["id", "hash"], "properties": {
    "id": {"type": "integer", "description": "The appointment's id"},
    "hash": {"type": "string", "description": "32 hexadecimal characters, new for each booking"}}}
REFUSAL = {"type": "object", "required": ["success", "data", "meta", "errors"], "properties": {
    "success": {"type": "boolean", "enum": [False]}, "data": {"type": "null"},
    "meta": {"type": "object", "required": ["message", "errors"], "properties": {
        "message": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object", "properties": {
            "code": {"type": "integer"}, "message": {"type": "string"}}}}}},
    "errors": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "integer", "enum": [SEATS_TAKEN_CODE]}, "message": {"type": "string"}}}}}

RESPONSES = v1_responses(200, BOOKED, errors=(400, 404, 413, 422))
del RESPONSES[403]  # the partner token alone books at any location: there are no grants to break
RESPONSES[422] = {"description": f"Field errors; an event that has ended; or, numbered {SEATS_TAKEN_CODE} "
                                 "in the second shape, not enough free seats",
                  "content": {"application/json": {"schema": {"oneOf": [ERROR, REFUSAL]}}}}


def _booking(body: dict[str, Any]) -> Booking:
    """The parsed body as a booking by phone alone."""
    # An e-mail left out, null or empty leaves the stored one (behaviour 18.2).
    client = ClientDetails(phone=normalize_phone(body["phone"]), name=body["fullname"],
                           email=body.get("email") or KEEP)
    return Booking(seats=body.get("clients_count") or 1, client=client, comment=body.get("comment") or "",
                   external_id=body.get("api_id") or "")


@api.operation("POST", "/api/v1/activity/{location_id}/{event_id}/book", version=1, access="partner", tag=TAG,
               body=BODY, responses=RESPONSES,
               summary="Book seats in a group event for a client, from a business's website or widget")
async def book_activity(ctx: Ctx) -> Reply:
    record = await service.book_online(ctx.deps, ctx.location_id, ctx.path_int("event_id"), _booking(ctx.body(BODY)))
    return v1_success({"id": record["id"], "hash": new_token()})
