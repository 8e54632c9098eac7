"""The OpenAPI 3.1 document, built from the registered operations, and the docs page."""

from __future__ import annotations

import re
from typing import Any

from altegio_server import __version__
from altegio_server.api.openapi_shapes import error_response
from altegio_server.api.routing import BODY_METHODS, V2_MEDIA_TYPE, Operation

_PARAM = re.compile(r"\{(\w+)\}")
_SECURITY = {"partner": "PartnerToken", "sandbox": "SandboxToken"}

DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Altegio server API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script>
SwaggerUIBundle({
  url: "/openapi.json", dom_id: "#ui", deepLinking: true,
  // API v2 answers only requests that accept its media type; the page would send application/json.
  requestInterceptor: (req) => {
    if (new URL(req.url, location.href).pathname.startsWith("/api/v2/"))
      req.headers["Accept"] = "application/vnd.api.v2+json";
    return req;
  },
});
</script>
</body></html>
"""


def _path_params(path: str) -> list[dict[str, Any]]:
    return [
        {"name": name, "in": "path", "required": True,
         "schema": {"type": "string", "pattern": "^[^/]+$"} if name == "name"  # a snapshot's name (behaviour 19)
         else {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}}
        for name in _PARAM.findall(path)
    ]


def _responses(op: Operation) -> dict[int, dict[str, Any]]:
    """The operation's own responses, plus what the shared request wrapper can answer for any of them."""
    out = dict(op.responses)
    shared = [401]
    if op.version == 2:
        shared.append(400)  # no v2 media type in Accept
    if op.access not in ("partner", "sandbox"):
        shared += [403, 404]  # no access to the location in the path, or no such location
    if op.method in BODY_METHODS:
        shared += [400, 413]  # invalid JSON, body too large
    for code in shared:
        out.setdefault(code, error_response(code))
    return out


def _operation(op: Operation, path: str, suffix: str) -> dict[str, Any]:
    params = _path_params(path) + list(op.query)
    if op.version == 2:
        params.append({"name": "Accept", "in": "header", "required": True,
                       "schema": {"type": "string", "enum": [V2_MEDIA_TYPE]}})
    doc: dict[str, Any] = {
        "operationId": op.operation_id + suffix,
        "summary": op.summary,
        "tags": [op.tag],
        "parameters": params,
        "responses": {str(code): spec for code, spec in sorted(_responses(op).items())},
        "security": [{_SECURITY.get(op.access, "PartnerAndUserToken"): []}],
    }
    if op.body is not None:
        # No body reads as `{}`, so the body is required exactly when `{}` would be refused.
        errors: dict = {}
        op.body.load({}, "", errors)
        doc["requestBody"] = {"required": bool(errors),
                              "content": {"application/json": {"schema": op.body.schema()}}}
    if op.deprecated:
        doc["deprecated"] = True
    return doc


def document(operations: list[Operation]) -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for op in operations:
        for i, path in enumerate(op.paths):
            suffix = "" if i == 0 else "_current_spelling"
            paths.setdefault(path, {})[op.method.lower()] = _operation(op, path, suffix)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Altegio server: Business Management API",
            "version": __version__,
            "description": "A stateful implementation of Altegio's B2B API: v2 positions, group events "
            "(activities), event appointments (records) and tags, and the deprecated v1 group events "
            "and authentication. Authorize with `Bearer <partner_token>, User <user_token>`. "
            "Errors come in one envelope, `{\"success\": false, \"data\": null, \"meta\": {\"message\": ...}}`; "
            "besides the statuses each operation lists, any operation may answer 500 `Internal server error` "
            "(the details go to the server log only), and 503 with a `Retry-After` header when the database "
            "did not answer in time or cannot take writes; nothing was written then.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {
                "PartnerAndUserToken": {"type": "apiKey", "in": "header", "name": "Authorization",
                                        "description": "Bearer <partner_token>, User <user_token>"},
                "PartnerToken": {"type": "apiKey", "in": "header", "name": "Authorization",
                                 "description": "Bearer <partner_token>"},
                "SandboxToken": {"type": "apiKey", "in": "header", "name": "Authorization",
                                 "description": "Bearer <sandbox_token> (sandbox mode only)"},
            }
        },
        "paths": paths,
    }
