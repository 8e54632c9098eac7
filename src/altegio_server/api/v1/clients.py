"""v1 clients of a location (behaviour 16.4-16.8): read, search, list, create, change, delete."""

from __future__ import annotations

from altegio_server.api.envelopes import Reply, no_content, v1_success
from altegio_server.api.openapi_shapes import v1_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.v1 import client_bodies as bodies
from altegio_server.api.v1 import client_presenter as present
from altegio_server.clients import service

api = Api()
TAG = "v1 Clients"
ONE = "/api/v1/client/{location_id}/{client_id}"

# With `fields`, each client holds only those: no field is required.
_MANY = {"type": "array", "items": {k: v for k, v in present.CLIENT.items() if k != "required"},
         "description": "with `fields`, each client holds only those fields"}
_TOTAL_META = {"type": "object", "required": ["total_count"],
               "properties": {"total_count": {"type": "integer", "description": "all matching clients"}}}
_PAGE_META = {"type": "object", "required": ["page", "total_count"],
              "properties": {"page": {"type": "integer"},
                             "total_count": {"type": "integer", "description": "all matching clients"}}}


@api.operation("GET", ONE, version=1, access="read", tag=TAG, summary="Get a client of the location",
               responses=v1_responses(200, present.CLIENT, errors=(404,)))
async def get_client(ctx: Ctx) -> Reply:
    found = await service.get_client(ctx.deps, ctx.location_id, ctx.path_int("client_id"))
    return v1_success(present.client(found))


@api.operation("POST", "/api/v1/company/{location_id}/clients/search", version=1, access="read", tag=TAG,
               body=bodies.SEARCH_BODY,
               summary="Search the location's clients by id, text, gender or birthday; meta.total_count counts all",
               responses=v1_responses(200, _MANY, _TOTAL_META, errors=(400, 404, 413, 422)))
async def search_clients(ctx: Ctx) -> Reply:
    query, fields = bodies.search_query(ctx.json)
    rows, total = await service.search_clients(ctx.deps, ctx.location_id, query)
    return v1_success([present.client_fields(r, fields) for r in rows], {"total_count": total})


@api.operation("GET", "/api/v1/clients/{location_id}", version=1, access="read", tag=TAG, deprecated=True,
               query=bodies.LIST_QUERY,
               summary="List the location's clients by id, filtered by name, phone, e-mail, ids or last change",
               responses=v1_responses(200, {"type": "array", "items": present.CLIENT}, _PAGE_META,
                                      errors=(400, 404)))
async def list_clients(ctx: Ctx) -> Reply:
    query, page = bodies.list_query(ctx.query)
    rows, total = await service.search_clients(ctx.deps, ctx.location_id, query)
    return v1_success([present.client(r) for r in rows], {"page": page, "total_count": total})


@api.operation("POST", "/api/v1/clients/{location_id}", version=1, access="write", tag=TAG, body=bodies.CLIENT_BODY,
               summary="Create a client of the location (or bring back a deleted one with that phone)",
               responses=v1_responses(201, present.CLIENT, errors=(400, 404, 413, 422)))
async def create_client(ctx: Ctx) -> Reply:
    given = bodies.client_details(ctx.body(bodies.CLIENT_BODY), agreements=())
    return v1_success(present.client(await service.create_client(ctx.deps, ctx.location_id, given)), status=201)


@api.operation("PUT", ONE, version=1, access="write", tag=TAG, body=bodies.CLIENT_BODY,
               summary="Replace a client's fields (those left out become empty)",
               responses=v1_responses(200, present.CLIENT, errors=(400, 404, 413, 422)))
async def update_client(ctx: Ctx) -> Reply:
    given = bodies.client_details(ctx.body(bodies.CLIENT_BODY))
    found = await service.update_client(ctx.deps, ctx.location_id, ctx.path_int("client_id"), given)
    return v1_success(present.client(found))


@api.operation("DELETE", ONE, version=1, access="write", tag=TAG,
               summary="Delete a client (their appointments stay readable)",
               responses={**v1_responses(204, None, errors=(404,)), 204: {"description": "No content"}})
async def delete_client(ctx: Ctx) -> Reply:
    await service.delete_client(ctx.deps, ctx.location_id, ctx.path_int("client_id"))
    return no_content()
