"""One table from domain errors to HTTP statuses, and the handlers for everything else."""

from __future__ import annotations

import logging

from starlette.exceptions import HTTPException
from starlette.requests import Request

from altegio_server import errors as domain
from altegio_server.api.envelopes import Reply, error_response, json_response, refusal_body, shorten

log = logging.getLogger("altegio_server.api")

STATUS: dict[type[domain.DomainError], int] = {
    domain.Unauthenticated: 401,
    domain.AccessDenied: 403,
    domain.NotFound: 404,
    domain.Busy: 409,
    domain.Conflict: 409,
    domain.InvalidRequest: 400,
    domain.ValidationFailed: 422,
    domain.Unavailable: 503,
    domain.TooManyRequests: 429,
}

HTTP_MESSAGES = {
    404: "Not found",
    405: "Method not allowed",
    413: "Request body is too large",
}


def render_domain_error(exc: domain.DomainError) -> Reply:
    if isinstance(exc, domain.Refused):
        return json_response(refusal_body(exc.code, exc.message), 422)
    status = next((code for cls, code in STATUS.items() if isinstance(exc, cls)), 400)
    headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, (domain.Unavailable, domain.TooManyRequests)) \
        else None
    return error_response(status, exc.message, exc.errors or None, headers)


async def http_exception(request: Request, exc: Exception) -> Reply:
    assert isinstance(exc, HTTPException)
    message = HTTP_MESSAGES.get(exc.status_code, exc.detail)
    return error_response(exc.status_code, message, headers=getattr(exc, "headers", None))


async def unexpected(request: Request, exc: Exception) -> Reply:
    return internal_error(request.method, request.url.path, exc)


def internal_error(method: str, path: str, exc: BaseException) -> Reply:
    """Log the failure with its traceback; the caller gets the envelope, never the details."""
    log.error("unexpected failure on %s %s", method[:16], shorten(path), exc_info=exc)
    return error_response(500, "Internal server error")
