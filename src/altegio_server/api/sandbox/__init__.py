"""The sandbox's own endpoints, `/_sandbox/...` (behaviour 19).

They exist only in sandbox mode: otherwise the front door never sends a request here and
`/_sandbox/...` answers 404 like any unknown path. Each request needs
`Authorization: Bearer <sandbox token>`; answers are JSON, errors in the API's envelope.
Path parameters are ids (digits) except `{name}` (a snapshot's name, any segment).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from starlette.datastructures import QueryParams
from starlette.types import Receive, Scope, Send

from altegio_server.api.envelopes import Reply, error_response
from altegio_server.api.errors import HTTP_MESSAGES, internal_error, render_domain_error
from altegio_server.api.routing import BODY_METHODS, BodyTooLarge, Disconnected, Operation, log_refusal, read_json
from altegio_server.api.schema import Obj
from altegio_server.deps import Deps
from altegio_server.errors import DomainError, Unauthenticated
from altegio_server.sandbox.runtime import Sandbox

TAG = "Sandbox"
_PARAM = re.compile(r"\{(\w+)\}")
_BEARER = re.compile(r"^\s*bearer\s+(\S{1,1024})\s*$", re.IGNORECASE)


@dataclass
class SandboxCtx:
    """What a sandbox handler receives."""

    scope: Scope
    deps: Deps
    sandbox: Sandbox
    json: Any
    params: dict[str, str]

    def body(self, schema: Obj) -> dict[str, Any]:
        return schema.load_body(self.json)

    @property
    def query(self) -> QueryParams:
        return QueryParams(self.scope["query_string"])


SandboxHandler = Callable[[SandboxCtx], Awaitable[Reply]]


class SandboxApi:
    """A registry of sandbox operations; the modules of this package each fill one."""

    def __init__(self) -> None:
        self.operations: list[Operation] = []
        self.handlers: dict[tuple[str, str], SandboxHandler] = {}

    def operation(self, method: str, path: str, *, summary: str, body: Obj | None = None,
                  query: list[dict[str, Any]] | None = None,
                  responses: dict[int, dict[str, Any]] | None = None) -> Callable[[SandboxHandler], SandboxHandler]:
        def register(handler: SandboxHandler) -> SandboxHandler:
            self.handlers[(method, path)] = handler
            self.operations.append(Operation(method, [path], handler, 0, "sandbox", summary, TAG,  # type: ignore[arg-type]
                                             body, query or [], responses or {}))
            return handler

        return register


def all_sandbox_apis() -> list[SandboxApi]:
    from altegio_server.api.sandbox import clock, faults, journal, limits, snapshots, webhooks

    return [clock.api, snapshots.api, journal.api, limits.api, faults.api, webhooks.api]


def _pattern(path: str) -> re.Pattern[str]:
    """A path template as a regular expression: `{name}` any one segment, other parameters digits."""
    def param(m: re.Match[str]) -> str:
        return "(?P<name>[^/]+)" if m.group(1) == "name" else f"(?P<{m.group(1)}>[0-9]{{1,20}})"

    return re.compile("^" + _PARAM.sub(param, path) + "$")


class SandboxRouter:
    """Answers every `/_sandbox/...` request of a server in sandbox mode."""

    def __init__(self, deps: Deps, sandbox: Sandbox, apis: list[SandboxApi]) -> None:
        self.deps, self.sandbox = deps, sandbox
        routes: dict[str, tuple[re.Pattern[str], dict[str, SandboxHandler]]] = {}
        for one in apis:
            for (method, path), handler in one.handlers.items():
                routes.setdefault(path, (_pattern(path), {}))[1][method] = handler
        self.routes = list(routes.values())

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = scope["path"]
        method = scope["method"]
        for pattern, methods in self.routes:
            found = pattern.match(path)
            if found is None:
                continue
            handler = methods.get("GET" if method == "HEAD" else method)
            if handler is None:
                reply = error_response(405, HTTP_MESSAGES[405], headers={"Allow": ", ".join(sorted(methods))})
            else:
                try:
                    reply = await self._answer(scope, receive, handler, found.groupdict())
                except Disconnected:
                    return
                except Exception as exc:
                    reply = internal_error(method, path, exc)
                if method == "HEAD":
                    reply = reply.without_body()
            await reply(scope, receive, send)
            return
        await error_response(404, HTTP_MESSAGES[404])(scope, receive, send)

    async def _answer(self, scope: Scope, receive: Receive, handler: SandboxHandler, params: dict[str, str]) -> Reply:
        try:
            await self._authenticate(scope)
            payload = None
            if scope["method"] in BODY_METHODS:
                length = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
                payload = await read_json(receive, length)
            return await handler(SandboxCtx(scope, self.deps, self.sandbox, payload, params))
        except DomainError as exc:
            if isinstance(exc, Unauthenticated):
                log_refusal(scope["method"], scope["path"], exc)
            return render_domain_error(exc)
        except BodyTooLarge:
            return error_response(413, HTTP_MESSAGES[413])

    async def _authenticate(self, scope: Scope) -> None:
        header = next((v for k, v in scope["headers"] if k == b"authorization"), None)
        if header is None:
            raise Unauthenticated(reason="no Authorization header on a sandbox request")
        match = _BEARER.match(header.decode("latin-1"))
        if match is None:
            raise Unauthenticated(reason="malformed Authorization header on a sandbox request, "
                                         "not 'Bearer <sandbox token>'")
        if not await self.sandbox.token_matches(match.group(1)):
            raise Unauthenticated(reason="not the sandbox token")
