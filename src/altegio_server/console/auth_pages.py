"""Signing in and out, and the console's front page (behaviour 21.2)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from altegio_server.console import sessions
from altegio_server.console.forms import FormRefused, read_form
from altegio_server.console.web import CSRF_FIELD, Console, Page, see_other
from altegio_server.errors import TooManyRequests, Unauthenticated, Unavailable
from altegio_server.security import new_token

LOGIN_COOKIE = "altegio_console_login"  # the sign-in form's own CSRF secret, before any session
LOGIN_COOKIE_SECONDS = 3600
MAX_LOGIN_FIELD = 256
SIGNED_OUT = "You have signed out."


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a console page, never another site."""
    if target and target.startswith("/console") and not target.startswith("//") and "\\" not in target \
            and len(target) <= 2048 and "//" not in target:
        return target
    return "/console"


def _cookie(console: Console, response: Response, request: Request, name: str, value: str, max_age: int) -> None:
    secure = request.url.scheme == "https" or console.settings.console_secure_cookies
    response.set_cookie(name, value, max_age=max_age, path="/console", httponly=True, samesite="lax", secure=secure)


async def login_form(console: Console, request: Request) -> Response:
    if await sessions.find(console.deps, request.cookies.get(sessions.COOKIE)) is not None:
        return see_other(safe_next(request.query_params.get("next")))
    notice = SIGNED_OUT if request.query_params.get("signed_out") else None
    return _form(console, request, 200, next_page=request.query_params.get("next"), notice=notice)


def _form(console: Console, request: Request, status: int, next_page: str | None = None, login: str = "",
          error: str | None = None, field_errors: dict[str, str] | None = None, notice: str | None = None,
          headers: dict[str, str] | None = None) -> Response:
    secret = new_token(24)
    response = console.render(request, "login.html", status, headers=headers, title="Sign in",
                              csrf=sessions.csrf_for(secret), next_page=safe_next(next_page), login=login,
                              error=error, field_errors=field_errors or {}, notice=notice)
    _cookie(console, response, request, LOGIN_COOKIE, secret, LOGIN_COOKIE_SECONDS)
    return response


async def login(console: Console, request: Request) -> Response:
    try:
        form = await read_form(request)
    except FormRefused as exc:
        return console.refusal(request, exc.status, exc.message)
    next_page = form.get("next")
    login_text, password = form.get("login", "")[:MAX_LOGIN_FIELD], form.get("password", "")
    secret = request.cookies.get(LOGIN_COOKIE)
    if not secret or not sessions.csrf_matches(secret, form.get(CSRF_FIELD)):
        return _form(console, request, 403, next_page, login_text,
                     "This form had expired. Please sign in again.")
    missing = {name: message for name, message, value in (
        ("login", "Enter your e-mail or phone.", login_text.strip()), ("password", "Enter your password.", password))
        if not value}
    if missing:
        return _form(console, request, 400, next_page, login_text, field_errors=missing)
    address = request.client.host if request.client else None
    try:
        token = await sessions.sign_in(console.deps, login_text, password, address,
                                       console.settings.console_session_seconds)
    except Unauthenticated:
        return _form(console, request, 401, next_page, login_text, "Incorrect login or password.")
    except TooManyRequests as exc:
        return _form(console, request, 429, next_page, login_text,
                     f"Too many sign-in attempts. Try again in {exc.retry_after} seconds.",
                     headers={"Retry-After": str(exc.retry_after)})
    except Unavailable as exc:
        return _form(console, request, 503, next_page, login_text, exc.message)
    response = see_other(safe_next(next_page))
    _cookie(console, response, request, sessions.COOKIE, token, console.settings.console_session_seconds)
    response.delete_cookie(LOGIN_COOKIE, path="/console")
    return response


async def logout_form(page: Page) -> Response:
    return page.render("logout.html", title="Sign out")


async def logout(page: Page) -> Response:
    await sessions.sign_out(page.deps, page.request.cookies.get(sessions.COOKIE))
    response = see_other("/console/login?signed_out=1")
    response.delete_cookie(sessions.COOKIE, path="/console")
    return response


async def home(page: Page) -> Response:
    """The first location's week; a page that says so when the user has no location."""
    if page.session.grants:
        return see_other(f"/console/locations/{next(iter(page.session.grants))}/week")
    return page.render("home.html", title="No locations")
