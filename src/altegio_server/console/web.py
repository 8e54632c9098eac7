"""What every console page shares (behaviour 21.1): templates, the session and CSRF guard,
the sandbox's clock and gate, and pages for refusals.

A page handler takes a `Page` and returns a response. `guarded` finds the session (or sends
the browser to sign in), checks the CSRF token of every POST, and turns domain errors into
readable pages with the right status.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Awaitable, Callable
from urllib.parse import quote

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from altegio_server.config import Settings
from altegio_server.console import sessions
from altegio_server.console.forms import FormRefused, read_form
from altegio_server.deps import Deps
from altegio_server.errors import AccessDenied, DomainError, NotFound, Unavailable

if TYPE_CHECKING:
    from altegio_server.sandbox.runtime import Sandbox

log = logging.getLogger("altegio_server.console")
HERE = Path(__file__).parent
CSRF_FIELD = "csrf_token"
# No script but the console's own, no framing, forms only to the console; inline style
# attributes carry each event's colour.
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                               "img-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


class Console:
    """The console's parts for one server process."""

    def __init__(self, deps: Deps, settings: Settings, sandbox: Sandbox | None) -> None:
        self.deps, self.settings, self.sandbox = deps, settings, sandbox
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(default=True, default_for_string=True),
                                     auto_reload=False, trim_blocks=True, lstrip_blocks=True)

    def render(self, request: Request, template: str, status: int = 200, session: sessions.Session | None = None,
               headers: dict[str, str] | None = None, **values: Any) -> HTMLResponse:
        html = self.templates.get_template(template).render(
            session=session, sandbox=self.sandbox is not None, path=request.url.path, csrf_field=CSRF_FIELD,
            **values)
        return HTMLResponse(html, status, headers={**SECURITY_HEADERS, **(headers or {})})

    def refusal(self, request: Request, status: int, message: str, session: sessions.Session | None = None,
                headers: dict[str, str] | None = None) -> HTMLResponse:
        titles = {400: "Bad request", 403: "Not allowed", 404: "Not found", 413: "Too large",
                  415: "Unsupported form", 429: "Too many attempts", 503: "Try again later"}
        return self.render(request, "refusal.html", status, session=session, headers=headers,
                           title=titles.get(status, "Error"), message=message)


@dataclass
class Page:
    """One request to a console page: who asks, and what they sent."""

    console: Console
    request: Request
    session: sessions.Session
    form: dict[str, str] = field(default_factory=dict)

    @property
    def deps(self) -> Deps:
        return self.console.deps

    def render(self, template: str, status: int = 200, **values: Any) -> HTMLResponse:
        return self.console.render(self.request, template, status, session=self.session, **values)

    def notice(self, notices: dict[str, str]) -> str | None:
        """The fixed sentence a change's redirect names by key (`?done=...`): never text of the address."""
        return notices.get(self.request.query_params.get("done", ""))

    def param(self, name: str) -> int:
        """An integer path parameter (the route's pattern only lets digits through); too large: 404."""
        value = int(self.request.path_params[name])
        if value > 2**63 - 1:
            raise NotFound()
        return value


Handler = Callable[[Page], Awaitable[Response]]


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, 303, headers=SECURITY_HEADERS)


def guarded(console: Console, handler: Handler, gated: bool = True) -> Callable[[Request], Awaitable[Response]]:
    """The page, behind a session and (for POST) its CSRF token. In sandbox mode it runs as an
    API request does, inside the process's gate with the shared state read first; `gated=False`
    is for the controls that restore the state, which, like `/_sandbox/...`, are no request the
    restore waits for (behaviour 21.5)."""

    async def endpoint(request: Request) -> Response:
        sandbox = console.sandbox
        if sandbox is None or not gated:
            return await _guarded(console, handler, request)
        try:
            await sandbox.enter()
        except DomainError as exc:
            return console.refusal(request, 503, exc.message)
        try:
            return await _guarded(console, handler, request)
        finally:
            sandbox.gate.leave()

    return endpoint


async def _guarded(console: Console, handler: Handler, request: Request) -> Response:
    try:
        session = await sessions.find(console.deps, request.cookies.get(sessions.COOKIE))
    except Unavailable as exc:
        return console.refusal(request, 503, exc.message)
    if session is None:
        if request.method == "GET":
            return see_other("/console/login?next=" + quote(request.url.path + (
                "?" + request.url.query if request.url.query else ""), safe="/"))
        return console.refusal(request, 403, "Your session has ended. Sign in again, then repeat what you did.")
    form: dict[str, str] = {}
    if request.method == "POST":
        try:
            form = await read_form(request)
        except FormRefused as exc:
            return console.refusal(request, exc.status, exc.message, session)
        if not sessions.csrf_matches(request.cookies.get(sessions.COOKIE, ""), form.get(CSRF_FIELD)):
            return console.refusal(request, 403, "This form has expired. Go back, reload the page and try again.",
                                   session)
    try:
        return await handler(Page(console, request, session, form))
    except NotFound:
        return console.refusal(request, 404, "There is nothing here, or you have no access to it.", session)
    except AccessDenied as exc:
        return console.refusal(request, 403, exc.message, session)
    except Unavailable as exc:
        return console.refusal(request, 503, exc.message, session)
