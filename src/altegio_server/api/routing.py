"""Operations: how a route is declared, and the one wrapper every request goes through.

The wrapper does what every operation shares: the v2 `Accept` rule, authentication and
location access, reading the JSON body, and turning domain errors into envelopes. Handlers
are left with parsing, one service call and presenting. Every 401 and 403 answers with the
vendor's fixed body, and logs its reason (behaviour 13.3).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Literal

import orjson
from starlette.datastructures import QueryParams
from starlette.types import Receive, Scope

from altegio_server.api.envelopes import Reply, error_response
from altegio_server.api.errors import HTTP_MESSAGES, render_domain_error
from altegio_server.api.schema import INT64_MAX, Obj
from altegio_server.auth.service import Principal, authorize, check_partner
from altegio_server.deps import Deps
from altegio_server.errors import AccessDenied, DomainError, InvalidRequest, NotFound, Unauthenticated
from altegio_server.security import MAX_TOKEN_LENGTH

MAX_BODY = 1024 * 1024
MAX_AUTHORIZATION = 2 * MAX_TOKEN_LENGTH + 64
BODY_METHODS = ("POST", "PUT", "PATCH")
# Who the tokens of a request named, once accepted: its Principal, or the partner token's id on
# operations that take that token alone. Kept in the scope for the request journal (behaviour 19.4).
CALLER = "altegio.caller"
Access = Literal["read", "write", "partner", "sandbox"]

_AUTH = re.compile(r"^\s*bearer\s+([^\s,]+)\s*(?:,\s*user\s+([^\s,]+)\s*)?$", re.IGNORECASE)
# One media range of the Accept list, e.g. `application/vnd.yclients.v2+json; charset=utf-8`.
_V2_MEDIA = re.compile(r"(?:^|,)\s*application/vnd\.[a-z0-9_.-]+\.v2\+json\s*(?:;[^,]*)?(?=,|$)", re.IGNORECASE)
_PARAM = re.compile(r"\{(\w+)\}")
V2_MEDIA_TYPE = "application/vnd.api.v2+json"
_RENAMES = (("/companies/", "/locations/"), ("/activities", "/events"), ("/records", "/appointments"))

log = logging.getLogger("altegio_server.auth")
MAX_LOGGED_PATH = 120
MAX_LOG_LINE = 300


class BodyTooLarge(Exception):
    pass


def parse_authorization(header: str | None) -> tuple[str | None, str | None]:
    """(partner token, user token) from `Bearer P, User U`; None for what is missing.

    A header longer than two of the longest tokens can hold no valid pair (behaviour 9.2).
    """
    if not header or len(header) > MAX_AUTHORIZATION:
        return None, None
    match = _AUTH.match(header)
    if not match:
        return None, None
    return match.group(1), match.group(2)


def accepts_v2(accept: str) -> bool:
    """Whether an Accept header accepts the v2 media type (any vendor tree), behaviour 1.2."""
    return _V2_MEDIA.search(accept) is not None


def credentials(header: str | None, parsed: tuple[str | None, str | None],
                user_needed: bool) -> tuple[str, str | None]:
    """The tokens of an Authorization header, or 401 saying what is wrong with it.

    `parsed` is what `parse_authorization` made of the header. The reason gives a bad
    header's length only: what was sent may be a secret (behaviour 13.3).
    """
    partner, user = parsed
    if partner is None:
        if header is None:
            raise Unauthenticated(reason="no Authorization header")
        if not header.strip():
            raise Unauthenticated(reason="empty Authorization header")
        raise Unauthenticated(reason=f"malformed Authorization header ({len(header)} characters), "
                                     "not 'Bearer <partner token>, User <user token>'")
    if user is None and user_needed:
        raise Unauthenticated(reason="no user token in the Authorization header, only a partner token")
    return partner, user


def log_refusal(method: str, path: str, exc: DomainError) -> None:
    """One bounded info line per 401 or 403: status, request line and reason (behaviour 13.3)."""
    status = 401 if isinstance(exc, Unauthenticated) else 403
    if len(path) > MAX_LOGGED_PATH:
        path = path[:MAX_LOGGED_PATH - 1] + "…"
    line = f"{status} {method} {path}: {exc.reason or exc.message}"
    log.info("%s", line if len(line) <= MAX_LOG_LINE else line[:MAX_LOG_LINE - 1] + "…")


def current_spelling(path: str) -> str:
    """The vendor's current v2 path for a seed-spelled one (behaviour 1.1)."""
    for old, new in _RENAMES:
        path = path.replace(old, new)
    return path


class Ctx:
    """What a handler receives."""

    __slots__ = ("scope", "deps", "principal", "json", "path_params", "_query")

    def __init__(self, scope: Scope, deps: Deps, principal: Principal | None, json: Any,
                 path_params: dict[str, int]) -> None:
        self.scope, self.deps, self.principal, self.json = scope, deps, principal, json
        self.path_params = path_params
        self._query: QueryParams | None = None

    @property
    def location_id(self) -> int:
        return self.path_int("location_id")

    def path_int(self, name: str) -> int:
        value = self.path_params[name]
        if value > INT64_MAX:
            raise NotFound()
        return value

    def body(self, schema: Obj, error: type[DomainError] | None = None) -> dict[str, Any]:
        return schema.load_body(self.json, error) if error else schema.load_body(self.json)

    @property
    def query(self) -> QueryParams:
        if self._query is None:
            self._query = QueryParams(self.scope["query_string"])
        return self._query


Handler = Callable[[Ctx], Awaitable[Reply]]
Endpoint = Callable[[Scope, Receive, dict[str, int]], Awaitable[Reply]]


@dataclass
class Operation:
    method: str
    paths: list[str]
    handler: Handler
    version: int
    access: Access
    summary: str
    tag: str
    body: Obj | None = None
    query: list[dict[str, Any]] = field(default_factory=list)
    responses: dict[int, dict[str, Any]] = field(default_factory=dict)
    deprecated: bool = False

    @property
    def operation_id(self) -> str:
        return self.handler.__name__


class Api:
    """A registry of operations, turned into Starlette routes and into the OpenAPI document."""

    def __init__(self, operations: list[Operation] | None = None) -> None:
        self.operations: list[Operation] = list(operations or [])

    def operation(
        self,
        method: str,
        path: str,
        *,
        version: int,
        access: Access,
        summary: str,
        tag: str,
        body: Obj | None = None,
        query: list[dict[str, Any]] | None = None,
        responses: dict[int, dict[str, Any]] | None = None,
        both_spellings: bool = True,
        deprecated: bool = False,
    ) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            paths = [path]
            if version == 2 and both_spellings and current_spelling(path) != path:
                paths.append(current_spelling(path))
            self.operations.append(
                Operation(method, paths, handler, version, access, summary, tag, body, query or [],
                          responses or {}, deprecated)
            )
            return handler

        return register

    def table(self) -> dict[str, tuple[str, tuple[str, ...], dict[str, Operation]]]:
        """Path shape (`/api/v2/companies/*/tags/*`) -> (path, parameter names, operations by method)."""
        out: dict[str, tuple[str, tuple[str, ...], dict[str, Operation]]] = {}
        for op in self.operations:
            for path in op.paths:
                names = tuple(_PARAM.findall(path))
                out.setdefault(_PARAM.sub("*", path), (path, names, {}))[2][op.method] = op
        return out


class Disconnected(Exception):
    """The client went away before its request body arrived: there is no one to answer."""


def dispatcher(methods: dict[str, Operation], deps: Deps) -> Endpoint:
    """One endpoint for a path, choosing the operation by method; `.methods` lists those served."""
    wrapped = {m: _wrap(op, deps) for m, op in methods.items()}

    async def endpoint(scope: Scope, receive: Receive, path_params: dict[str, int]) -> Reply:
        method = scope["method"]
        if method == "HEAD":
            # Answer HEAD wherever GET is served, as GET would, without the body.
            return (await wrapped["GET"](scope, receive, path_params)).without_body()
        return await wrapped[method](scope, receive, path_params)

    endpoint.methods = frozenset({*wrapped, "HEAD"} if "GET" in wrapped else wrapped)  # type: ignore[attr-defined]
    return endpoint


def _headers(scope: Scope) -> tuple[str, str | None, bytes]:
    """Accept, Authorization and Content-Length, each as first given."""
    accept = authorization = length = None
    for name, value in scope["headers"]:
        if name == b"authorization":
            authorization = authorization if authorization is not None else value
        elif name == b"accept":
            accept = accept if accept is not None else value
        elif name == b"content-length":
            length = length if length is not None else value
    return ((accept or b"").decode("latin-1"), None if authorization is None else authorization.decode("latin-1"),
            length or b"")


def _wrap(op: Operation, deps: Deps) -> Endpoint:
    needs_body = op.method in BODY_METHODS
    write = op.access == "write"
    handler = op.handler

    async def endpoint(scope: Scope, receive: Receive, path_params: dict[str, int]) -> Reply:
        try:
            accept, authorization, length = _headers(scope)
            caches = deps.caches
            if op.version == 2 and not caches.accept.recall(accept, accepts_v2):
                raise InvalidRequest(f"Unsupported Accept header: requests to API v2 must accept {V2_MEDIA_TYPE}")
            parsed = (None, None) if authorization is None else \
                caches.authorization.recall(authorization, parse_authorization)
            partner, user = credentials(authorization, parsed, user_needed=op.access != "partner")
            principal = None
            if op.access == "partner":
                scope[CALLER] = await check_partner(deps, partner)
            else:
                location = path_params["location_id"]
                # An id no database can hold names no location: still check the tokens first.
                principal = scope[CALLER] = await authorize(deps, partner, user,
                                                            location if location <= INT64_MAX else -1, write)
            payload = await read_json(receive, length) if needs_body else None
            return await handler(Ctx(scope, deps, principal, payload, path_params))
        except DomainError as exc:
            if isinstance(exc, (Unauthenticated, AccessDenied)):
                log_refusal(scope["method"], scope["path"], exc)
            return render_domain_error(exc)
        except BodyTooLarge:
            return error_response(413, HTTP_MESSAGES[413])

    endpoint.__name__ = op.operation_id
    return endpoint


async def read_json(receive: Receive, length: bytes) -> Any:
    length = length.strip()
    if length.isdigit() and (len(length) > 20 or int(length) > MAX_BODY):
        raise BodyTooLarge()
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            raise Disconnected()
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY:
            raise BodyTooLarge()
        chunks.append(chunk)
        if not message.get("more_body", False):
            break
    raw = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if not raw.strip():
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidRequest("Invalid JSON") from None
