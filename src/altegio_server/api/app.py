"""The ASGI application: routes of every API version, docs, error handlers, lifecycle."""

from __future__ import annotations

import contextlib
from typing import AsyncIterator

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp

from altegio_server.api import errors, openapi
from altegio_server.api.envelopes import json_response
from altegio_server.api.router import Edge
from altegio_server.api.routing import Api, Operation
from altegio_server.caches import Caches
from altegio_server.clock import Clock
from altegio_server.config import Settings
from altegio_server.db import Database, open_database
from altegio_server.db.migrate import upgrade
from altegio_server.deps import Deps


def all_operations() -> list[Operation]:
    from altegio_server.api.v1 import activity, auth
    from altegio_server.api.v2 import activities, positions, records, tags

    apis: list[Api] = [positions.api, tags.api, activities.api, records.api, auth.api, activity.api]
    return [op for api in apis for op in api.operations]


def create_app(settings: Settings, clock: Clock | None = None, database: Database | None = None) -> ASGIApp:
    """The whole server. Pass a clock to fix "now"; pass a database to share one (tests)."""
    from altegio_server.clock import clock_from_setting

    operations = all_operations()
    api = Api(operations)
    doc = openapi.document(operations)
    db = database or open_database(settings.database_url)
    deps = Deps(db=db, clock=clock or clock_from_setting(settings.frozen_time), caches=Caches(settings))

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if database is None:
            await db.connect()
            await upgrade(db)
        try:
            yield
        finally:
            if database is None:
                await db.close()

    async def openapi_json(request: Request) -> Response:
        return json_response(doc)  # type: ignore[return-value]  # an ASGI app, as Starlette needs

    async def docs(request: Request) -> Response:
        return HTMLResponse(openapi.DOCS_HTML)

    routes: list[BaseRoute] = [
        Route("/openapi.json", openapi_json, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
    ]
    try:
        from swagger_ui_bundle import swagger_ui_path

        routes.append(Mount("/docs/static", StaticFiles(directory=swagger_ui_path), name="docs-static"))
    except ImportError:  # the page still loads; it just cannot render without the bundle
        pass

    rest = Starlette(
        routes=routes,
        lifespan=lifespan,
        exception_handlers={HTTPException: errors.http_exception, Exception: errors.unexpected},
    )
    rest.router.redirect_slashes = False
    return Edge(api, deps, rest)


def app_from_env() -> ASGIApp:
    """Factory for `uvicorn --factory altegio_server.api.app:app_from_env` (each worker builds its own)."""
    return create_app(Settings.from_env())
