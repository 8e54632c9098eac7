"""v1 authentication (behaviour 7.1): a login and password, with the partner token alone, give
a user token.

Wrong login or password is 401 `Incorrect login or password` (the vendor fixes only the
status). Fields other than `login` and `password` are ignored, as old clients may send more.
"""

from __future__ import annotations

from altegio_server.api.envelopes import Reply, json_response
from altegio_server.api.openapi_shapes import v1_responses
from altegio_server.api.routing import Api, Ctx
from altegio_server.api.schema import Obj, Str
from altegio_server.api.v1 import presenters
from altegio_server.users import service
from altegio_server.users.rules import PASSWORD_MAX

api = Api()
TAG = "v1 Authentication"

CREDENTIALS = Obj({
    "login": Str(required=True, min_length=1, max_length=255, example="owner@demo.example",
                 description="the user's phone (any punctuation) or e-mail (any case)"),
    "password": Str(required=True, min_length=1, max_length=PASSWORD_MAX, example="demo-password"),
}, allow_unknown=True)

RESPONSES = v1_responses(201, presenters.AUTH_USER, errors=(400, 413, 422, 429))
del RESPONSES[403]  # no location is involved, so there is no access rule to break
RESPONSES[400] = {**RESPONSES[400], "description": "Invalid JSON"}
RESPONSES[401] = {**RESPONSES[401],
                  "description": "`Authentication needed.` for a missing or unknown partner token; "
                                 f"`{service.INCORRECT_LOGIN}` for a wrong login or password"}


@api.operation("POST", "/api/v1/auth", version=1, access="partner", tag=TAG, body=CREDENTIALS,
               summary="Log in with a phone or e-mail and a password; get a user token",
               responses=RESPONSES, deprecated=True)
async def authenticate(ctx: Ctx) -> Reply:
    fields = ctx.body(CREDENTIALS)
    client = ctx.scope.get("client")
    issued = await service.log_in(ctx.deps, fields["login"], fields["password"], client[0] if client else None)
    return json_response({"success": True, "data": presenters.auth_user(issued.user, issued.token, issued.login or ""),
                          "meta": []}, status=201)
