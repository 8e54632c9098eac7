"""Operations: how a route is declared, and the one wrapper every request goes through.

The wrapper does what every operation shares: the v2 `Accept` rule, authentication and
location access, reading the JSON body, and turning domain errors into envelopes. Handlers
are left with parsing, one service call and presenting.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Awaitable, Callable, Literal

import orjson
from starlette.requests import Request
from starlette.responses import Response

from altegio_server.api.envelopes import error_response
from altegio_server.api.errors import render_domain_error
from altegio_server.api.schema import INT64_MAX, Obj
from altegio_server.auth.service import Principal, authorize, check_partner
from altegio_server.deps import Deps
from altegio_server.errors import DomainError, InvalidRequest, NotFound

MAX_BODY = 1024 * 1024
BODY_METHODS = ("POST", "PUT", "PATCH")
Access = Literal["read", "write", "partner"]

_AUTH = re.compile(r"^\s*bearer\s+([^\s,]+)\s*(?:,\s*user\s+([^\s,]+)\s*)?$", re.IGNORECASE)
# One media range of the Accept list, e.g. `application/vnd.yclients.v2+json; charset=utf-8`.
_V2_MEDIA = re.compile(r"(?:^|,)\s*application/vnd\.[a-z0-9_.-]+\.v2\+json\s*(?:;[^,]*)?(?=,|$)", re.IGNORECASE)
_DIGITS = re.compile(r"[0-9]+")
_PARAM = re.compile(r"\{(\w+)\}")
V2_MEDIA_TYPE = "application/vnd.api.v2+json"
_RENAMES = (("/companies/", "/locations/"), ("/activities", "/events"), ("/records", "/appointments"))


class BodyTooLarge(Exception):
    pass


def parse_authorization(header: str | None) -> tuple[str | None, str | None]:
    """(partner token, user token) from `Bearer P, User U`; None for what is missing."""
    if not header:
        return None, None
    match = _AUTH.match(header)
    if not match:
        return None, None
    return match.group(1), match.group(2)


def current_spelling(path: str) -> str:
    """The vendor's current v2 path for a seed-spelled one (contract 1.1)."""
    for old, new in _RENAMES:
        path = path.replace(old, new)
    return path


@dataclass
class Ctx:
    """What a handler receives."""

    request: Request
    deps: Deps
    principal: Principal | None
    json: Any

    @property
    def location_id(self) -> int:
        return self.path_int("location_id")

    def path_int(self, name: str) -> int:
        value = self.request.path_params[name]
        if value > INT64_MAX:
            raise NotFound()
        return value

    def body(self, schema: Obj, error: type[DomainError] | None = None) -> dict[str, Any]:
        return schema.load_body(self.json, error) if error else schema.load_body(self.json)

    @property
    def query(self):
        return self.request.query_params


Handler = Callable[[Ctx], Awaitable[Response]]


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


def dispatcher(methods: dict[str, Operation]) -> Callable[[Request], Awaitable[Response]]:
    """One endpoint for a path, choosing the operation by method; `.methods` lists those served."""
    wrapped = {m: _wrap(op) for m, op in methods.items()}

    async def endpoint(request: Request) -> Response:
        if request.method == "HEAD":
            # Starlette routes HEAD wherever GET is served: answer as GET would, without the body.
            full = await wrapped["GET"](request)
            return Response(status_code=full.status_code, headers=dict(full.headers))
        return await wrapped[request.method](request)

    endpoint.methods = frozenset({*wrapped, "HEAD"} if "GET" in wrapped else wrapped)  # type: ignore[attr-defined]
    return endpoint


def _wrap(op: Operation) -> Callable[[Request], Awaitable[Response]]:
    needs_body = op.method in BODY_METHODS
    write = op.access == "write"

    async def endpoint(request: Request) -> Response:
        deps: Deps = request.app.state.deps
        try:
            if op.version == 2 and not _V2_MEDIA.search(request.headers.get("accept", "")):
                raise InvalidRequest(f"Unsupported Accept header: requests to API v2 must accept {V2_MEDIA_TYPE}")
            partner, user = parse_authorization(request.headers.get("authorization"))
            principal = None
            if op.access == "partner":
                await check_partner(deps, partner)
            else:
                location = request.path_params["location_id"]
                # An id no database can hold names no location: still check the tokens first.
                principal = await authorize(deps, partner, user, location if location <= INT64_MAX else -1, write)
            payload = await _read_json(request) if needs_body else None
            return await op.handler(Ctx(request, deps, principal, payload))
        except DomainError as exc:
            return render_domain_error(exc)
        except BodyTooLarge:
            return error_response(413, "Request body is too large")

    endpoint.__name__ = op.operation_id
    return endpoint


async def _read_json(request: Request) -> Any:
    length = request.headers.get("content-length", "").strip()
    if _DIGITS.fullmatch(length) and (len(length) > 20 or int(length) > MAX_BODY):
        raise BodyTooLarge()
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            raise BodyTooLarge()
        chunks.append(chunk)
    raw = b"".join(chunks)
    if not raw.strip():
        return {}
    try:
        return orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidRequest("Invalid JSON") from None
