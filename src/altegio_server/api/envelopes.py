"""The vendor's response envelopes, rendered with orjson."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, Callable

import orjson

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


class Encoded:
    """The JSON of values presented by a pure function, kept for values seen again.

    Keys are the values themselves (hashable records such as event tuples holding every
    column the presentation reads), so a changed value is a different key and can never be
    answered with stale bytes. At most `max_entries` are kept; the oldest go first (an
    OrderedDict: taking the first key of a plain dict that keeps losing its first keys
    walks over their empty slots, ~1 µs a time).
    """

    def __init__(self, present: Callable[[Any], Any], max_entries: int = 4096) -> None:
        self.present, self.max_entries = present, max_entries
        self._kept: OrderedDict[Any, bytes] = OrderedDict()

    def __call__(self, value: Any) -> bytes:
        kept = self._kept.get(value)
        if kept is None:
            # A copy of exactly its size: orjson's own result keeps its whole working buffer
            # (about 8 KiB for a 600-byte event), which would make 4,096 kept events 33 MB.
            kept = bytes(memoryview(orjson.dumps(self.present(value))))
            if len(self._kept) >= self.max_entries:
                self._kept.popitem(last=False)
            self._kept[value] = kept
        return kept


def no_content() -> Reply:
    return Reply(status=204, json=False)


def resource(type_: str, id_: int, attributes: dict[str, Any]) -> dict[str, Any]:
    """A JSON:API resource object: the id is a string, everything else stays typed."""
    return {"type": type_, "id": str(id_), "attributes": attributes}


def pagination(total: int, limit: int, offset: int) -> dict[str, Any]:
    return {"pagination": {"total": total, "limit": limit, "offset": offset}}


def error_body(message: str, errors: FieldErrors | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {"message": message}
    body: dict[str, Any] = {"success": False, "data": None, "meta": meta}
    if errors:
        meta["errors"] = errors
        body["errors"] = errors
    return body


def error_response(status: int, message: str, errors: FieldErrors | None = None,
                   headers: dict[str, str] | None = None) -> Reply:
    return json_response(error_body(message, errors), status, headers)
