"""The console's routes (behaviour 21.1): every page under `/console`, its static files, and
the sandbox's pages in sandbox mode only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from altegio_server.config import Settings
from altegio_server.console import auth_pages, event_pages, week_pages
from altegio_server.console.web import HERE, Console, guarded
from altegio_server.deps import Deps

if TYPE_CHECKING:
    from altegio_server.sandbox.runtime import Sandbox

LOCATION = "/console/locations/{location_id:int}"
EVENT = LOCATION + "/events/{event_id:int}"
RECORD = EVENT + "/records/{record_id:int}"


def console_routes(deps: Deps, settings: Settings, sandbox: Sandbox | None) -> list[BaseRoute]:
    console = Console(deps, settings, sandbox)

    async def login_form(request: Request) -> Response:
        return await auth_pages.login_form(console, request)

    async def login(request: Request) -> Response:
        return await auth_pages.login(console, request)

    routes: list[BaseRoute] = [
        Route("/console", guarded(console, auth_pages.home), methods=["GET"]),
        Route("/console/login", login_form, methods=["GET"]),
        Route("/console/login", login, methods=["POST"]),
        Route("/console/logout", guarded(console, auth_pages.logout_form), methods=["GET"]),
        Route("/console/logout", guarded(console, auth_pages.logout), methods=["POST"]),
        Route(f"{LOCATION}/week", guarded(console, week_pages.week), methods=["GET"]),
        Route(EVENT, guarded(console, event_pages.event), methods=["GET"]),
        Route(f"{EVENT}/book", guarded(console, event_pages.book), methods=["POST"]),
        Route(f"{RECORD}/seats", guarded(console, event_pages.change_seats), methods=["POST"]),
        Route(f"{RECORD}/attendance", guarded(console, event_pages.mark_attendance), methods=["POST"]),
        Route(f"{RECORD}/cancel", guarded(console, event_pages.cancel), methods=["POST"]),
        Route(f"{EVENT}/edit", guarded(console, event_pages.edit_form), methods=["GET"]),
        Route(f"{EVENT}/edit", guarded(console, event_pages.edit), methods=["POST"]),
        Route(f"{EVENT}/delete", guarded(console, event_pages.delete_form), methods=["GET"]),
        Route(f"{EVENT}/delete", guarded(console, event_pages.delete), methods=["POST"]),
        Mount("/console/static", StaticFiles(directory=HERE / "static"), name="console-static"),
    ]
    return routes
