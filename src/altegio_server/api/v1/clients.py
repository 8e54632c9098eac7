"""v1 clients of a location (behaviour 16.4)."""

from __future__ import annotations

from altegio_server.api.envelopes import Reply, v1_success
from altegio_server.api.openapi_shapes import v1_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.v1 import client_presenter
from altegio_server.clients import service

api = Api()
TAG = "v1 Clients"


@api.operation("GET", "/api/v1/client/{location_id}/{client_id}", version=1, access="read", tag=TAG,
               summary="Get a client of the location",
               responses=v1_responses(200, client_presenter.CLIENT, errors=(404,)))
async def get_client(ctx: Ctx) -> Reply:
    found = await service.get_client(ctx.deps, ctx.location_id, ctx.path_int("client_id"))
    return v1_success(client_presenter.client(found))
