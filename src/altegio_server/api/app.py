"""The ASGI application: routes of every API version, docs, error handlers, lifecycle."""

from __future__ import annotations

import contextlib
import logging
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
from altegio_server.db import Database, Waits, open_database
from altegio_server.db.migrate import upgrade
from altegio_server.deps import Deps
from altegio_server.errors import Unavailable
from altegio_server.health import check_ready
from altegio_server.logs import limit_repeats
from altegio_server.webhooks.dispatcher import Dispatcher


def all_operations() -> list[Operation]:
    from altegio_server.api.v1 import activity, auth, duplication, online_booking, team, team_writes
    from altegio_server.api.v1 import clients as v1_clients
    from altegio_server.api.v1 import records as v1_records
    from altegio_server.api.v1 import webhooks as v1_webhooks
    from altegio_server.api.v2 import activities, positions, records, tags

    apis: list[Api] = [positions.api, tags.api, activities.api, records.api, auth.api, activity.api, team.api,
                       team_writes.api, v1_records.api, v1_clients.api, duplication.api, online_booking.api,
                       v1_webhooks.api]
    return [op for api in apis for op in api.operations]


def create_app(settings: Settings, clock: Clock | None = None, database: Database | None = None) -> ASGIApp:
    """The whole server. Pass a clock to fix "now"; pass a database to share one (tests)."""
    from altegio_server.clock import clock_from_setting

    operations = all_operations()
    sandbox_apis = []
    if settings.sandbox:  # the sandbox's endpoints exist in sandbox mode only (behaviour 19.1)
        from altegio_server.api.sandbox import all_sandbox_apis

        sandbox_apis = all_sandbox_apis()
    api = Api(operations)
    doc = openapi.document(operations + [op for one in sandbox_apis for op in one.operations])
    waits = Waits(acquire=settings.db_acquire_timeout, lock=settings.db_lock_timeout,
                  statement=settings.db_statement_timeout)
    db = database or open_database(settings.database_url, pool_size=settings.db_pool_size, waits=waits)
    base_clock = clock or clock_from_setting(settings.frozen_time)
    sandbox_clock = None
    if settings.sandbox:
        from altegio_server.sandbox.clock import SandboxClock

        db.snapshot_reads = True  # a restore never shows a read half the old state (behaviour 19.3)
        sandbox_clock = SandboxClock(base_clock)
    deps = Deps(db=db, clock=sandbox_clock or base_clock, caches=Caches(settings), webhooks=settings.webhook_policy())
    sandbox = None
    if sandbox_clock is not None:
        from altegio_server.sandbox.runtime import Sandbox

        sandbox = Sandbox(deps, sandbox_clock, settings.sandbox_token, settings)
    limit_repeats(logging.getLogger("altegio_server.db"), settings.log_repeat_seconds)
    # Hostile traffic: uvicorn warns once per malformed or upgrade request, the server once per
    # connection over the cap (behaviour 8.3).
    for name in ("uvicorn.error", "altegio_server.serving"):
        limit_repeats(logging.getLogger(name), settings.log_repeat_seconds)

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        if database is None:
            await db.connect()
            await upgrade(db)
        if sandbox is not None:
            await sandbox.start()
        dispatcher = Dispatcher(deps)
        dispatcher.start()
        try:
            yield
        finally:
            await dispatcher.stop()
            if sandbox is not None:
                await sandbox.stop()
            if database is None:
                await db.close()

    async def openapi_json(request: Request) -> Response:
        return json_response(doc)  # type: ignore[return-value]  # an ASGI app, as Starlette needs

    async def docs(request: Request) -> Response:
        return HTMLResponse(openapi.DOCS_HTML)

    async def health(request: Request) -> Response:
        return json_response({"status": "ok"})  # type: ignore[return-value]

    async def health_ready(request: Request) -> Response:
        try:
            await check_ready(deps, settings.health_timeout)
        except Unavailable as exc:
            return json_response({"status": "unavailable", "message": exc.message}, 503)  # type: ignore[return-value]
        return json_response({"status": "ok"})  # type: ignore[return-value]

    routes: list[BaseRoute] = [
        Route("/openapi.json", openapi_json, methods=["GET"]),
        Route("/docs", docs, methods=["GET"]),
        Route("/health", health, methods=["GET"]),  # behaviour 11.2
        Route("/health/ready", health_ready, methods=["GET"]),
    ]
    if settings.console:  # behaviour 21
        from altegio_server.console.app import console_routes

        routes += console_routes(deps, settings, sandbox)
    try:
        from swagger_ui_bundle import swagger_ui_path

        routes.append(Mount("/docs/static", StaticFiles(directory=swagger_ui_path), name="docs-static"))
    except ImportError:  # the page still loads; it just cannot render without the bundle
        pass

    rest = Starlette(
        routes=routes,
        lifespan=lifespan,
        # The handlers answer with a Reply, an ASGI callable like Starlette's responses but not one of them.
        exception_handlers={HTTPException: errors.http_exception, Exception: errors.unexpected},  # type: ignore[dict-item]
    )
    rest.router.redirect_slashes = False
    if sandbox is None:
        return Edge(api, deps, rest)
    from altegio_server.api.sandbox import SandboxRouter

    return Edge(api, deps, rest, sandbox, SandboxRouter(deps, sandbox, sandbox_apis))


def app_from_env() -> ASGIApp:
    """Factory for `uvicorn --factory altegio_server.api.app:app_from_env` (each worker builds its own)."""
    from altegio_server.serving.workers import supervised

    supervised()
    return create_app(Settings.from_env())
