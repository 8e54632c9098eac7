"""The console's routes (behaviour 21.1): every page under `/console`, its static files, and
the sandbox's pages in sandbox mode only."""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.staticfiles import StaticFiles

from altegio_server.config import Settings
from altegio_server.console import auth_pages, event_pages, sandbox_logs, sandbox_pages, week_pages
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
    if sandbox is not None:  # otherwise every /console/sandbox path is unknown: 404 (behaviour 21.5)
        routes += _sandbox_routes(console)

    async def unknown(request: Request) -> Response:
        """Any other console path: a page saying so (the API's unknown paths answer in JSON)."""
        return console.refusal(request, 404, "There is no such page in the console.")

    return routes + [Route("/console/{rest:path}", unknown, methods=["GET", "POST"])]


def _sandbox_routes(console: Console) -> list[BaseRoute]:
    here = "/console/sandbox"
    pages = [
        ("GET", "", sandbox_pages.overview),
        ("GET", "/clock", sandbox_pages.clock),
        ("POST", "/clock", sandbox_pages.set_clock),
        ("POST", "/clock/advance", sandbox_pages.advance),
        ("POST", "/clock/real", sandbox_pages.real),
        ("GET", "/state", sandbox_pages.state),
        ("POST", "/reset", sandbox_pages.reset),
        ("POST", "/snapshots", sandbox_pages.save),
        ("POST", "/snapshots/restore", sandbox_pages.restore),
        ("POST", "/snapshots/delete", sandbox_pages.delete),
        ("GET", "/requests", sandbox_logs.requests),
        ("GET", "/requests/{id:int}", sandbox_logs.request),
        ("POST", "/requests/clear", sandbox_logs.clear_journal),
        ("POST", "/journal", sandbox_logs.switch_journal),
        ("GET", "/deliveries", sandbox_logs.deliveries),
        ("POST", "/deliveries/{id:int}/replay", sandbox_logs.replay),
    ]
    restoring = {sandbox_pages.reset, sandbox_pages.restore}  # not gated, or each would wait for itself
    return [Route(here + path, guarded(console, handler, gated=handler not in restoring), methods=[method])
            for method, path, handler in pages]
