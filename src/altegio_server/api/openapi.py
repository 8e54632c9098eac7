"""The OpenAPI 3.1 document, built from the registered operations, and the docs page."""

from __future__ import annotations

import re
from typing import Any

from altegio_server import __version__
from altegio_server.api.routing import V2_MEDIA_TYPE, Operation

_PARAM = re.compile(r"\{(\w+)\}")

DOCS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Altegio server API</title>
<link rel="stylesheet" href="/docs/static/swagger-ui.css"></head>
<body><div id="ui"></div>
<script src="/docs/static/swagger-ui-bundle.js"></script>
<script>SwaggerUIBundle({url: "/openapi.json", dom_id: "#ui", deepLinking: true});</script>
</body></html>
"""


def _path_params(path: str) -> list[dict[str, Any]]:
    return [
        {"name": name, "in": "path", "required": True,
         "schema": {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}}
        for name in _PARAM.findall(path)
    ]


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
        "responses": {str(code): spec for code, spec in sorted(op.responses.items())},
        "security": [{"PartnerToken": []}] if op.access == "partner" else [{"PartnerAndUserToken": []}],
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
            "and authentication. Authorize with `Bearer <partner_token>, User <user_token>`.",
        },
        "servers": [{"url": "/"}],
        "components": {
            "securitySchemes": {
                "PartnerAndUserToken": {"type": "apiKey", "in": "header", "name": "Authorization",
                                        "description": "Bearer <partner_token>, User <user_token>"},
                "PartnerToken": {"type": "apiKey", "in": "header", "name": "Authorization",
                                 "description": "Bearer <partner_token>"},
            }
        },
        "paths": paths,
    }
