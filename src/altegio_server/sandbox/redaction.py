"""What the request journal keeps of a body or a query string: no secret, and a bounded size
(behaviour 19.4). Pure functions.

A secret is the value of any key whose name holds `password` or `token` (any case): the v1
login's password, the user token it answers with, and any such field anywhere in a body.
A body that is whole and valid JSON is redacted key by key and written again; any other text
(cut short, or not JSON) is redacted by pattern, which also catches a secret whose value the
cut split.
"""

from __future__ import annotations

import re
from typing import Any

import orjson

HIDDEN = "***"
_SECRET_KEY = re.compile(r"password|token", re.IGNORECASE)
_STRING = r'"(?:[^"\\]|\\.)*'
# `"…password…": value` in JSON-like text; the value may be cut short (no closing quote).
_SECRET_PAIR = re.compile(
    rf'({_STRING}(?:password|token)(?:[^"\\]|\\.)*"\s*:\s*)(?:{_STRING}"?|[^,}}\]\s]*)', re.IGNORECASE)
# `…password…=value` in a query string.
_SECRET_PARAM = re.compile(r"((?:^|&)[^&=]*(?:password|token)[^&=]*=)[^&]*", re.IGNORECASE)


def kept_body(raw: bytes, limit: int, size: int | None = None) -> tuple[str | None, bool]:
    """The text kept of a body (None for none) and whether it was cut to `limit` bytes.

    `size` is the whole body's, when `raw` is only its beginning."""
    size = len(raw) if size is None else size
    if not size:
        return None, False
    cut = size > limit
    kept = raw[:limit] if len(raw) > limit else raw
    if not _may_hide(kept):
        return kept.decode("utf-8", "replace"), cut
    if not cut:
        try:
            value = orjson.loads(kept)
        except orjson.JSONDecodeError:
            pass
        else:
            hidden, changed = _hide(value)
            return (orjson.dumps(hidden).decode() if changed else kept.decode("utf-8", "replace")), False
    return _SECRET_PAIR.sub(lambda m: m.group(1) + f'"{HIDDEN}"', kept.decode("utf-8", "replace")), cut


def kept_query(raw: bytes, limit: int) -> str:
    """A query string as kept: secrets' values hidden, at most `limit` characters."""
    text = raw[:limit * 4].decode("utf-8", "replace")[:limit]
    if not _may_hide(raw):
        return text
    return _SECRET_PARAM.sub(lambda m: m.group(1) + HIDDEN, text)


def _may_hide(raw: bytes) -> bool:
    """Whether `raw` may hold a secret: the cheap test before any parsing (a regular expression
    that ignores case costs ten times more)."""
    low = raw.lower()
    return b"password" in low or b"token" in low


def _hide(value: Any) -> tuple[Any, bool]:
    """`value` with every secret's value replaced, and whether there was one."""
    if isinstance(value, dict):
        out, changed = {}, False
        for key, item in value.items():
            if _SECRET_KEY.search(key):
                out[key], changed = HIDDEN, True
            else:
                out[key], inner = _hide(item)
                changed = changed or inner
        return out, changed
    if isinstance(value, list):
        items = [_hide(item) for item in value]
        return [item for item, _ in items], any(inner for _, inner in items)
    return value, False
