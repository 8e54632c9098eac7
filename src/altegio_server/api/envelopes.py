"""The vendor's response envelopes, rendered with orjson."""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Callable

import orjson

from altegio_server.bounded import BoundedCache, size_of
from altegio_server.errors import FieldErrors

JSON = "application/json"
_JSON_TYPE = (b"content-type", JSON.encode())


class Reply:
    """An HTTP response as the API sends it: a status, a few headers, a body already encoded.

    Cheaper than a framework response object, which matters on every request; it is an ASGI
    app like one, so the docs routes and error handlers can return it too.
    """

    __slots__ = ("status_code", "body", "raw_headers")

    def __init__(self, body: bytes = b"", status: int = 200, headers: dict[str, str] | None = None,
                 json: bool = True) -> None:
        self.status_code, self.body = status, body
        raw = [(b"content-length", str(len(body)).encode()), _JSON_TYPE] if json else []
        if headers:
            raw += [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers.items()]
        self.raw_headers = raw

    def without_body(self) -> Reply:
        """The answer to HEAD: the same status and headers (Content-Length included), no body."""
        head = Reply(status=self.status_code, json=False)
        head.raw_headers = self.raw_headers
        return head

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": self.status_code, "headers": self.raw_headers})
        await send({"type": "http.response.body", "body": self.body})


def json_response(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Reply:
    return Reply(orjson.dumps(body), status, headers)


def v1_success(data: Any, meta: Any = None, status: int = 200) -> Reply:
    """v1's success envelope; `meta` is `[]` unless given (behaviour 1.3)."""
    return Reply(orjson.dumps({"success": True, "data": data, "meta": [] if meta is None else meta}), status)


class Encoded:
    """The JSON of values presented by a pure function, kept for values seen again.

    Kept in a byte-bounded cache (behaviour 9.3) under the value's id, next to the value it
    was made from: a changed value replaces its id's one entry, so the stale versions of an
    event do not pile up, and it is compared whole, so it is never answered with stale bytes.
    """

    def __init__(self, present: Callable[[Any], Any], key: Callable[[Any], Any] = itemgetter(0)) -> None:
        self.present, self.key = present, key

    def __call__(self, kept: BoundedCache, value: Any) -> bytes:
        key = self.key(value)
        hit = kept.get(key)
        if hit is not None and hit[0] == value:
            return hit[1]
        # A copy of exactly its size: orjson's own result keeps its whole working buffer
        # (about 8 KiB for a 600-byte event), which the cache's byte count would not see.
        blob = bytes(memoryview(orjson.dumps(self.present(value))))
        kept.put(key, (value, blob), size_of(value, blob))
        return blob


def no_content() -> Reply:
    return Reply(status=204, json=False)


def resource(type_: str, id_: int, attributes: dict[str, Any]) -> dict[str, Any]:
    """A JSON:API resource object: the id is a string, everything else stays typed."""
    return {"type": type_, "id": str(id_), "attributes": attributes}


def pagination(total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"pagination": {"total": total, "limit": limit, "offset": offset}}


# An answer lists at most MAX_FIELD_ERRORS field errors and MAX_MESSAGES messages per path;
# paths, which come from the client's keys, are cut to MAX_ECHO characters (behaviour 9.6).
MAX_FIELD_ERRORS = 20
MAX_MESSAGES = 5
MAX_ECHO = 200
MAX_MESSAGE = 500


def shorten(text: str, limit: int = MAX_ECHO) -> str:
    """Client text as it may be echoed: at most `limit` characters, the cut marked."""
    return text if len(text) <= limit else f"{text[:limit]}… ({len(text)} characters)"


def _bounded(message: str, errors: FieldErrors) -> tuple[str, FieldErrors]:
    if len(errors) <= MAX_FIELD_ERRORS and all(len(k) <= MAX_ECHO for k in errors):
        return message, errors
    listed: FieldErrors = {}
    for i, (key, messages) in enumerate(errors.items()):
        if i == MAX_FIELD_ERRORS:
            message = f"{message} ({len(errors) - i} more field errors not listed)"
            break
        kept = listed.setdefault(shorten(key), [])
        kept += [shorten(m, MAX_MESSAGE) for m in messages[:MAX_MESSAGES - len(kept)]]
    return message, listed


def error_body(message: str, errors: FieldErrors | None = None) -> dict[str, Any]:
    if errors:
        message, errors = _bounded(message, errors)
    meta: dict[str, Any] = {"message": shorten(message, MAX_MESSAGE)}
    body: dict[str, Any] = {"success": False, "data": None, "meta": meta}
    if errors:
        meta["errors"] = errors
        body["errors"] = errors
    return body


def error_response(status: int, message: str, errors: FieldErrors | None = None,
                   headers: dict[str, str] | None = None) -> Reply:
    return json_response(error_body(message, errors), status, headers)


def refusal_body(code: int, message: str) -> dict[str, Any]:
    """The error envelope of a numbered refusal (behaviour 18.3): the number and message both
    as a list in `meta.errors` and as an object in `errors`, the two places clients read them."""
    message = shorten(message, MAX_MESSAGE)
    numbered = {"code": code, "message": message}
    return {"success": False, "data": None, "meta": {"message": message, "errors": [numbered]}, "errors": numbered}
