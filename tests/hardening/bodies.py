"""Request bodies made from an operation's JSON Schema in the OpenAPI document, so that tests
walking every operation also cover operations added later.

`make(schema, ids)` fills the required fields (and every id field) with plausible values,
taking ids from `ids` by field name; `string_fields(schema)` lists the dotted paths of every
text field, for putting hostile strings into them.
"""

from __future__ import annotations

import copy
from typing import Any

DATE = "2027-01-15 09:00:00"


def _options(schema: dict[str, Any]) -> list[dict[str, Any]]:
    return schema.get("oneOf") or schema.get("anyOf") or [schema]


def _types(schema: dict[str, Any]) -> set[str]:
    kinds: set[str] = set()
    for option in _options(schema):
        t = option.get("type")
        kinds.update(t if isinstance(t, list) else [t] if t else [])
    return kinds


def _value(name: str, schema: dict[str, Any], ids: dict[str, Any]) -> Any:
    if name in ids:
        return copy.deepcopy(ids[name])
    if "example" in schema:
        return schema["example"]
    kinds = _types(schema)
    if "object" in kinds:
        return make(next(o for o in _options(schema) if o.get("type") in ("object", ["object", "null"])), ids)
    if "array" in kinds:
        return []
    if "integer" in kinds:
        return max(1, schema.get("minimum", 1)) if "count" in name or "capacity" in name else \
            3600 if name == "length" else max(0, schema.get("minimum", 0))
    if "number" in kinds:
        return 0
    if "boolean" in kinds:
        return False
    if "string" in kinds:
        enum = [e for e in schema.get("enum", []) if e is not None]
        if enum:
            return enum[0]
        return DATE if name in ("date", "datetime") else "Plain text"
    return None


def make(schema: dict[str, Any], ids: dict[str, Any]) -> dict[str, Any]:
    """A body with every required field and every field named in `ids`."""
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    for option in schema.get("anyOf", []):  # one of several required sets: take the first
        required.update(option.get("required", []))
        break
    return {name: _value(name, sub, ids) for name, sub in props.items() if name in required or name in ids}


def string_fields(schema: dict[str, Any], prefix: str = "") -> list[str]:
    """Dotted paths of the free-text fields (strings without a pattern or a fixed set of values)."""
    out = []
    for name, sub in schema.get("properties", {}).items():
        path = prefix + name
        for option in _options(sub):
            if option.get("type") in ("object", ["object", "null"]):
                out += string_fields(option, path + ".")
            elif "string" in _types(option) and "enum" not in option and \
                    option.get("pattern", "^[^\\u0000]*$") == "^[^\\u0000]*$":
                out.append(path)
                break
    return out


def put(body: dict[str, Any], path: str, value: Any) -> dict[str, Any]:
    """A copy of `body` with the field at the dotted `path` set to `value` (parents made as needed)."""
    body = copy.deepcopy(body)
    node = body
    *parents, last = path.split(".")
    for name in parents:
        if not isinstance(node.get(name), dict):
            node[name] = {}
        node = node[name]
    node[last] = value
    return body
