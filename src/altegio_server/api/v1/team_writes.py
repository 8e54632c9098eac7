"""v1 writes of team members, services and service categories (behaviour 15.6-15.9), at the
vendor's v1 paths. Bodies keep what the model holds and drop the rest, as every v1 body does
(behaviour 15.6, 15.7); the answers are the read operations' objects (behaviour 15.2)."""

from __future__ import annotations

from typing import Any

from altegio_server.api.envelopes import Reply, no_content, v1_success
from altegio_server.api.openapi_shapes import errors_for, v1_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import Bool, Int, List, Num, Obj, Str
from altegio_server.api.v1 import team_presenters as present
from altegio_server.api.v1.team import TAG
from altegio_server.clients.rules import BLANK, blank_problem
from altegio_server.team import changes

api = Api()

PREPAID = ("forbidden", "optional", "required")


def _text(required: bool = False, min_length: int = 0, **kw: Any) -> Str:
    """A one-line text of up to 255 characters; a required one may not be only blanks."""
    if not min_length:
        return Str(required=required, max_length=255, **kw)
    return Str(required=required, min_length=1, max_length=255, check=blank_problem,
               messages={"blank": BLANK}, **kw)


def _id(description: str) -> Int:
    return Int(min=0, nullable=True, description=description)


def _staff_body(name_required: bool) -> Obj:
    # The vendor's phone_number, user_email, user_phone, is_user_invite, weight, information,
    # api_id, hidden, fired, user_id and has_access_timetable are not modelled: read and
    # dropped, like any field the body does not declare (behaviour 15.6).
    return Obj({
        "name": _text(name_required, min_length=1, example="Eva Dvorakova"),
        "specialization": _text(example="Yoga instructor"),
        "position_id": _id("a position linked to the location; 0 or null for none"),
    }, allow_unknown=True)


STAFF_CREATE = _staff_body(name_required=True)
STAFF_UPDATE = _staff_body(name_required=False)

SHORTEST, LONGEST = 300, 86100  # the vendor's bounds of a team member's length for a service
_MEMBER = Obj({
    "id": Int(required=True, min=1, description="a live team member of the location"),
    "seance_length": Int(nullable=True, min=SHORTEST, max=LONGEST,
                         description="seconds; the service's duration when left out"),
}, allow_unknown=True)


def _service_body(title_required: bool) -> Obj:
    # The vendor's booking_title, technical_break_duration, discount, weight, active, api_id,
    # tax and online-booking settings are not modelled: read and dropped (behaviour 15.7).
    return Obj({
        "title": _text(title_required, min_length=1, example="Morning yoga"),
        "category_id": _id("a service category of the location; 0 or null for none"),
        "price_min": Num(min=0, max=1e12), "price_max": Num(min=0, max=1e12),
        "duration": Int(min=SHORTEST, max=LONGEST, description="seconds"),
        "comment": Str(max_length=65535),
        "is_multi": Bool(description="true for a group-event service"),
        "capacity": Int(min=1, max=100_000, description="default seats of its events"),
        "prepaid": Str(choices=PREPAID),
        "staff": List(_MEMBER, max_items=1000, description="the whole team providing it; replaces the old one"),
    }, allow_unknown=True)


SERVICE_CREATE = _service_body(title_required=True)
SERVICE_UPDATE = _service_body(title_required=False)

_DELETED = {**errors_for((404, 422)), 204: {"description": "No content"}}


@api.operation("POST", "/api/v1/company/{location_id}/staff/quick", version=1, access="write", tag=TAG,
               body=STAFF_CREATE, summary="Create a team member of the location (name, specialization, position)",
               responses=v1_responses(201, present.STAFF, errors=(400, 404, 413, 422)))
async def create_team_member(ctx: Ctx) -> Reply:
    found = await changes.create_staff(ctx.deps, ctx.location_id, ctx.body(STAFF_CREATE))
    return v1_success(present.staff(found), status=201)


@api.operation("PUT", "/api/v1/staff/{location_id}/{staff_id}", version=1, access="write", tag=TAG,
               body=STAFF_UPDATE, summary="Change a team member of the location (only the fields sent)",
               responses=v1_responses(200, present.STAFF, errors=(400, 404, 413, 422)))
async def update_team_member(ctx: Ctx) -> Reply:
    staff_id = ctx.path_int("staff_id")
    found = await changes.update_staff(ctx.deps, ctx.location_id, staff_id, ctx.body(STAFF_UPDATE))
    return v1_success(present.staff(found))


@api.operation("DELETE", "/api/v1/staff/{location_id}/{staff_id}", version=1, access="write", tag=TAG,
               summary="Delete a team member of the location (soft; refused while an event of theirs is to come)",
               responses=_DELETED)
async def delete_team_member(ctx: Ctx) -> Reply:
    await changes.delete_staff(ctx.deps, ctx.location_id, ctx.path_int("staff_id"))
    return no_content()


@api.operation("POST", "/api/v1/services/{location_id}", version=1, access="write", tag=TAG, body=SERVICE_CREATE,
               summary="Create a service of the location with its team",
               responses=v1_responses(201, present.SERVICE, errors=(400, 404, 413, 422)))
async def create_service(ctx: Ctx) -> Reply:
    found = await changes.create_service(ctx.deps, ctx.location_id, ctx.body(SERVICE_CREATE))
    return v1_success(present.service(found), status=201)


@api.operation("PUT", "/api/v1/services/{location_id}/{service_id}", version=1, access="write", tag=TAG,
               body=SERVICE_UPDATE, summary="Change a service of the location (only the fields sent)",
               responses=v1_responses(200, present.SERVICE, errors=(400, 404, 413, 422)))
async def update_service(ctx: Ctx) -> Reply:
    service_id = ctx.path_int("service_id")
    found = await changes.update_service(ctx.deps, ctx.location_id, service_id, ctx.body(SERVICE_UPDATE))
    return v1_success(present.service(found))


@api.operation("DELETE", "/api/v1/services/{location_id}/{service_id}", version=1, access="write", tag=TAG,
               summary="Delete a service of the location (soft; refused while an event of it is to come)",
               responses=_DELETED)
async def delete_service(ctx: Ctx) -> Reply:
    await changes.delete_service(ctx.deps, ctx.location_id, ctx.path_int("service_id"))
    return no_content()


@api.operation("DELETE", "/api/v1/service_category/{location_id}/{category_id}", version=1, access="write",
               tag=TAG, summary="Delete a service category of the location (soft; refused while it has services)",
               responses=_DELETED)
async def delete_service_category(ctx: Ctx) -> Reply:
    await changes.delete_category(ctx.deps, ctx.location_id, ctx.path_int("category_id"))
    return no_content()
