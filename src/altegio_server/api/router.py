"""Dispatch by path shape: one dictionary lookup instead of trying every route's pattern.

Every API path is literal segments and integer ids, so `/api/v2/locations/101/events/7`
has the shape `/api/v2/locations/*/events/*`. Paths that are not operations (the docs,
the OpenAPI document, static files) fall through to Starlette's ordinary routing.
"""

from __future__ import annotations

from typing import Any

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.routing import BaseRoute, Router
from starlette.types import Receive, Scope, Send

from altegio_server.api.routing import Api, dispatcher


class ShapeRouter(Router):
    def __init__(self, api: Api, routes: list[BaseRoute], lifespan: Any) -> None:
        super().__init__(routes=routes, redirect_slashes=False, lifespan=lifespan)
        self.shapes = {}
        self.served: set[tuple[str, str]] = set()  # (method, path template), for the docs' tests
        for shape, (path, names, ops) in api.table().items():
            self.shapes[shape] = (names, dispatcher(ops))
            self.served |= {(method, path) for method in ops}

    async def app(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            parts = scope["path"].split("/")
            values = []
            for i, part in enumerate(parts):
                if part.isdigit() and part.isascii():
                    values.append(int(part))
                    parts[i] = "*"
            hit = self.shapes.get("/".join(parts))
            if hit is not None:
                names, endpoint = hit
                if scope["method"] not in endpoint.methods:
                    raise HTTPException(405, headers={"Allow": ", ".join(sorted(endpoint.methods))})
                scope["path_params"] = dict(zip(names, values))
                response = await endpoint(Request(scope, receive, send))
                await response(scope, receive, send)
                return
        await super().app(scope, receive, send)
