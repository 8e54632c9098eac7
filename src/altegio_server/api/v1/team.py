"""v1 team members, services, service categories and resources of a location (behaviour 15):
every id that creating an event needs, at the vendor's v1 paths; and creating and renaming
a service category."""

from __future__ import annotations

from altegio_server.api import query as q
from altegio_server.api.envelopes import Reply, json_response, v1_success
from altegio_server.api.openapi_shapes import v1_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import Obj, Str
from altegio_server.api.v1 import team_presenters as present
from altegio_server.errors import FieldErrors, InvalidRequest
from altegio_server.team import service

api = Api()
TAG = "v1 Team, services and resources"
COMPANY = "/api/v1/company/{location_id}"

_COUNT_META = {"type": "object", "required": ["count"], "properties": {"count": {"type": "integer"}}}
# The vendor documents the categories list's meta as `{"total_count": n}` (behaviour 15.1).
_TOTAL_META = {"type": "object", "required": ["total_count"], "properties": {"total_count": {"type": "integer"}}}


def _filter(name: str, description: str) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": {"type": "integer", "minimum": 0}}


SERVICE_FILTERS = [_filter("staff_id", "only services this team member provides"),
                   _filter("category_id", "only services of this category")]
CATEGORY_FILTERS = [_filter("staff_id", "only categories with a service this team member provides")]

TITLE_REQUIRED = "This value should not be blank."
# Only the title is kept: the vendor's api_id, weight and staff are not modelled, and like any
# field the body does not declare they are read and dropped (behaviour 15.4).
CATEGORY_BODY = Obj({
    "title": Str(required=True, min_length=1, max_length=255, check=lambda v: None if v.strip() else TITLE_REQUIRED,
                 messages={"blank": TITLE_REQUIRED}),
}, allow_unknown=True)


def _many(schema: dict) -> dict:
    return {"type": "array", "items": schema}


def _listed(items: list[dict]) -> Reply:
    return v1_success(items, {"count": len(items)})


def _one(item: dict) -> Reply:
    return v1_success(item)


@api.operation("GET", COMPANY + "/staff", version=1, access="read", tag=TAG,
               summary="The location's team members, by id (deleted ones left out)",
               responses=v1_responses(200, _many(present.STAFF), _COUNT_META, errors=(404,)))
async def list_staff(ctx: Ctx) -> Reply:
    return _listed([present.staff(s) for s in await service.list_staff(ctx.deps, ctx.location_id)])


@api.operation("GET", COMPANY + "/staff/{staff_id}", version=1, access="read", tag=TAG,
               summary="A team member of the location", responses=v1_responses(200, present.STAFF, errors=(404,)))
async def get_staff(ctx: Ctx) -> Reply:
    return _one(present.staff(await service.get_staff(ctx.deps, ctx.location_id, ctx.path_int("staff_id"))))


@api.operation("GET", COMPANY + "/services", version=1, access="read", tag=TAG, query=SERVICE_FILTERS,
               summary="The location's services, by id, optionally only a team member's or a category's",
               responses=v1_responses(200, _many(present.SERVICE), _COUNT_META, errors=(400, 404)))
async def list_services(ctx: Ctx) -> Reply:
    errors: FieldErrors = {}
    staff_id, category_id = q.uint(ctx.query, "staff_id", errors), q.uint(ctx.query, "category_id", errors)
    if errors:
        raise InvalidRequest(errors=errors)
    found = await service.list_services(ctx.deps, ctx.location_id, staff_id, category_id)
    return _listed([present.service(s) for s in found])


@api.operation("GET", COMPANY + "/services/{service_id}", version=1, access="read", tag=TAG,
               summary="A service of the location", responses=v1_responses(200, present.SERVICE, errors=(404,)))
async def get_service(ctx: Ctx) -> Reply:
    return _one(present.service(await service.get_service(ctx.deps, ctx.location_id, ctx.path_int("service_id"))))


@api.operation("GET", COMPANY + "/service_categories", version=1, access="read", tag=TAG, query=CATEGORY_FILTERS,
               summary="The location's service categories, by id, optionally only those of a team member",
               responses=v1_responses(200, _many(present.CATEGORY), _TOTAL_META, errors=(400, 404)))
async def list_service_categories(ctx: Ctx) -> Reply:
    errors: FieldErrors = {}
    staff_id = q.uint(ctx.query, "staff_id", errors)
    if errors:
        raise InvalidRequest(errors=errors)
    found = await service.list_categories(ctx.deps, ctx.location_id, staff_id)
    return json_response({"success": True, "data": [present.category(c) for c in found],
                          "meta": {"total_count": len(found)}})


@api.operation("GET", "/api/v1/service_category/{location_id}/{category_id}", version=1, access="read", tag=TAG,
               summary="A service category of the location",
               responses=v1_responses(200, present.CATEGORY, errors=(404,)))
async def get_service_category(ctx: Ctx) -> Reply:
    found = await service.get_category(ctx.deps, ctx.location_id, ctx.path_int("category_id"))
    return _one(present.category(found))


@api.operation("POST", "/api/v1/service_categories/{location_id}", version=1, access="write", tag=TAG,
               body=CATEGORY_BODY, summary="Create a service category of the location (only its title is kept)",
               responses=v1_responses(201, present.CATEGORY, errors=(400, 404, 413, 422)))
async def create_service_category(ctx: Ctx) -> Reply:
    found = await service.create_category(ctx.deps, ctx.location_id, ctx.body(CATEGORY_BODY)["title"])
    return v1_success(present.category(found), status=201)


@api.operation("PUT", "/api/v1/service_category/{location_id}/{category_id}", version=1, access="write", tag=TAG,
               body=CATEGORY_BODY, summary="Rename a service category of the location",
               responses=v1_responses(200, present.CATEGORY, errors=(400, 404, 413, 422)))
async def update_service_category(ctx: Ctx) -> Reply:
    category_id = ctx.path_int("category_id")
    found = await service.rename_category(ctx.deps, ctx.location_id, category_id, ctx.body(CATEGORY_BODY)["title"])
    return _one(present.category(found))


@api.operation("GET", "/api/v1/resources/{location_id}", version=1, access="read", tag=TAG,
               summary="The location's resources (rooms, machines) with their instances, by id",
               responses=v1_responses(200, _many(present.RESOURCE), _COUNT_META, errors=(404,)))
async def list_resources(ctx: Ctx) -> Reply:
    return _listed([present.resource(r) for r in await service.list_resources(ctx.deps, ctx.location_id)])


# The same reads at the older paths (`/api/v1/staff/{company_id}/{staff_id}` and its like),
# which existing client libraries still call (behaviour 15.1). Each is its own operation so
# that the OpenAPI document names it once.
_OLDER = "The same as {}, at the older path existing clients call"


@api.operation("GET", "/api/v1/staff/{location_id}", version=1, access="read", tag=TAG, deprecated=True,
               summary=_OLDER.format("GET /api/v1/company/{location_id}/staff"),
               responses=v1_responses(200, _many(present.STAFF), _COUNT_META, errors=(404,)))
async def list_staff_older_path(ctx: Ctx) -> Reply:
    return await list_staff(ctx)


@api.operation("GET", "/api/v1/staff/{location_id}/{staff_id}", version=1, access="read", tag=TAG, deprecated=True,
               summary=_OLDER.format("GET /api/v1/company/{location_id}/staff/{staff_id}"),
               responses=v1_responses(200, present.STAFF, errors=(404,)))
async def get_staff_older_path(ctx: Ctx) -> Reply:
    return await get_staff(ctx)


@api.operation("GET", "/api/v1/services/{location_id}", version=1, access="read", tag=TAG, deprecated=True,
               query=SERVICE_FILTERS, summary=_OLDER.format("GET /api/v1/company/{location_id}/services"),
               responses=v1_responses(200, _many(present.SERVICE), _COUNT_META, errors=(400, 404)))
async def list_services_older_path(ctx: Ctx) -> Reply:
    return await list_services(ctx)


@api.operation("GET", "/api/v1/services/{location_id}/{service_id}", version=1, access="read", tag=TAG,
               deprecated=True, summary=_OLDER.format("GET /api/v1/company/{location_id}/services/{service_id}"),
               responses=v1_responses(200, present.SERVICE, errors=(404,)))
async def get_service_older_path(ctx: Ctx) -> Reply:
    return await get_service(ctx)


@api.operation("GET", "/api/v1/service_categories/{location_id}", version=1, access="read", tag=TAG,
               deprecated=True, query=CATEGORY_FILTERS,
               summary=_OLDER.format("GET /api/v1/company/{location_id}/service_categories"),
               responses=v1_responses(200, _many(present.CATEGORY), _TOTAL_META, errors=(400, 404)))
async def list_service_categories_older_path(ctx: Ctx) -> Reply:
    return await list_service_categories(ctx)


@api.operation("GET", "/api/v1/service_categories/{location_id}/{category_id}", version=1, access="read", tag=TAG,
               deprecated=True,
               summary=_OLDER.format("GET /api/v1/service_category/{location_id}/{category_id}"),
               responses=v1_responses(200, present.CATEGORY, errors=(404,)))
async def get_service_category_older_path(ctx: Ctx) -> Reply:
    return await get_service_category(ctx)
