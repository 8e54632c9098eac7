"""One table from domain errors to HTTP statuses, and the handlers for everything else."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from altegio_server import errors as domain
from altegio_server.api.envelopes import error_response

log = logging.getLogger("altegio_server.api")

STATUS: dict[type[domain.DomainError], int] = {
    domain.Unauthenticated: 401,
    domain.AccessDenied: 403,
    domain.NotFound: 404,
    domain.Busy: 409,
    domain.InvalidRequest: 400,
    domain.ValidationFailed: 422,
}

HTTP_MESSAGES = {
    404: "Not found",
    405: "Method not allowed",
    413: "Request body is too large",
}


def render_domain_error(exc: domain.DomainError) -> Response:
    status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
    return error_response(status, exc.message, exc.errors or None)


async def http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    message = HTTP_MESSAGES.get(exc.status_code, exc.detail)
    return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))


async def unexpected(request: Request, exc: Exception) -> Response:
    log.error("unexpected failure on %s %s", request.method, request.url.path, exc_info=exc)
    return error_response(500, "Internal server error")
