"""The server's front door: every API request is answered here, everything else passes on.

Every API path is literal segments and integer ids, so `/api/v2/locations/101/events/7`
has the shape `/api/v2/locations/*/events/*`: one dictionary lookup finds its operations.
API requests go straight to their endpoint, without a framework's request and response
objects or middleware layers; what those layers gave (500s in the envelope, 405s, trailing
slashes) is done here. Paths that are not operations (the docs, the OpenAPI document, static
files, unknown paths) and the lifespan go to the Starlette application behind.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from starlette.types import ASGIApp, Receive, Scope, Send

from altegio_server.api.envelopes import error_response
from altegio_server.api.errors import HTTP_MESSAGES, internal_error
from altegio_server.api.routing import Api, Disconnected, dispatcher
from altegio_server.api.schema import INT64_MAX
from altegio_server.deps import Deps

if TYPE_CHECKING:
    from altegio_server.sandbox.runtime import Sandbox

TOO_LARGE = INT64_MAX + 1  # an id no database holds: answered as unknown (404), after the tokens are checked


MAX_ID_DIGITS = 20
TOO_BIG = INT64_MAX + 1


class Edge:
    """`sandbox` and `sandbox_router` are given in sandbox mode only (behaviour 19.1): then API
    requests run under the sandbox's controls and `/_sandbox/...` is answered; otherwise
    neither costs anything and `/_sandbox/...` is an unknown path."""

    def __init__(self, api: Api, deps: Deps, fallback: ASGIApp, sandbox: Sandbox | None = None,
                 sandbox_router: ASGIApp | None = None) -> None:
        self.fallback = fallback
        self.sandbox, self.sandbox_router = sandbox, sandbox_router
        # shape -> (parameter names, dispatcher, path template)
        self.shapes: dict[str, tuple[tuple[str, ...], Any, str]] = {}
        self.served: set[tuple[str, str]] = set()  # (method, path template), for the docs' tests
        for shape, (path, names, ops) in api.table().items():
            self.shapes[shape] = (names, dispatcher(ops, deps), path)
            self.served |= {(method, path) for method in ops}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.fallback(scope, receive, send)
            return
        path = scope["path"]
        if len(path) > 1 and path[-1] == "/":  # `/path/` and `/path` are one operation (behaviour 1.1)
            path = path.rstrip("/") or "/"
            scope = dict(scope, path=path)
        if self.sandbox_router is not None and path.startswith("/_sandbox/"):
            await self.sandbox_router(scope, receive, send)
            return
        parts = path.split("/")
        values = []
        for i, part in enumerate(parts):
            if part.isdigit() and part.isascii():
                # More digits than any id has names no row (behaviour 9.4): a value past
                # INT64_MAX answers 404 like an unknown id, and int() is spared a huge run.
                values.append(int(part) if len(part) <= MAX_ID_DIGITS else TOO_BIG)
                parts[i] = "*"
        hit = self.shapes.get("/".join(parts))
        if hit is None:
            await self.fallback(scope, receive, send)
            return
        names, endpoint, template = hit
        method = scope["method"]
        if method not in endpoint.methods:
            reply = error_response(405, HTTP_MESSAGES[405], headers={"Allow": ", ".join(sorted(endpoint.methods))})
        else:
            params = dict(zip(names, values))
            try:
                if self.sandbox is None:
                    reply = await endpoint(scope, receive, params)
                else:
                    reply = await self.sandbox.around(scope, receive, template,
                                                      lambda rcv: endpoint(scope, rcv, params))
            except Disconnected:
                return
            except Exception as exc:
                reply = internal_error(method, path, exc)
        await reply(scope, receive, send)
