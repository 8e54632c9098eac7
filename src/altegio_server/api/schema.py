"""Request schemas: parse untrusted JSON into plain values, or collect field errors.

A schema is a tree of fields. `Obj.load(body)` returns the parsed dict (only the keys that
were sent, plus defaults) or raises ValidationFailed with every field error at once, keyed
by dotted path (`client.phone`, `label_ids.1`). The same tree renders the JSON Schema that
the OpenAPI document shows, so the documentation cannot drift from the checks.
Messages follow the vendor's (Symfony-style) wording.
"""

from __future__ import annotations

import re
from typing import Any, Callable

from altegio_server.errors import DomainError, FieldErrors, ValidationFailed

MISSING = "This field is missing."
NOT_NULL = "This value should not be null."
UNEXPECTED = "This field was not expected."
INVALID_CHARS = "This value contains invalid characters."

NO_NUL = "^[^\\u0000]*$"  # no database stores NUL in text, so every string refuses it

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
_NUMERIC = re.compile(r"-?[0-9]{1,20}")


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()


class Field:
    json_type = "string"

    def __init__(
        self,
        *,
        required: bool = False,
        nullable: bool = False,
        default: Any = ABSENT,
        description: str = "",
        example: Any = ABSENT,
        messages: dict[str, str] | None = None,
    ) -> None:
        self.required = required
        self.nullable = nullable
        self.default = default
        self.description = description
        self.example = example
        self.messages = messages or {}

    def msg(self, key: str, default: str) -> str:
        return self.messages.get(key, default)

    def load(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if value is None:
            if self.nullable:
                return None
            errors.setdefault(path, []).append(self.msg("null", NOT_NULL))
            return ABSENT
        return self.convert(value, path, errors)

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        raise NotImplementedError

    def fail(self, errors: FieldErrors, path: str, key: str, default: str) -> Any:
        errors.setdefault(path, []).append(self.msg(key, default))
        return ABSENT

    def schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": [self.json_type, "null"] if self.nullable else self.json_type}
        out.update(self.extra_schema())
        if self.description:
            out["description"] = self.description
        if self.example is not ABSENT:
            out["example"] = self.example
        return out

    def extra_schema(self) -> dict[str, Any]:
        return {}


class Int(Field):
    json_type = "integer"

    def __init__(self, *, min: int = INT64_MIN, max: int = INT64_MAX, numeric_string: bool = False, **kw: Any) -> None:
        super().__init__(**kw)
        self.min, self.max, self.numeric_string = min, max, numeric_string

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if self.numeric_string and isinstance(value, str) and _NUMERIC.fullmatch(value):
            value = int(value)
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)  # 3.0 is 3; a float beyond 2**53 (how 10**30 arrives) is no integer
        if isinstance(value, bool) or not isinstance(value, int):
            return self.fail(errors, path, "type", "This value should be of type integer.")
        if value < self.min or value > self.max:
            if self.min != INT64_MIN and self.max != INT64_MAX:
                text = f"This value should be between {self.min} and {self.max}."
            elif value > self.max:
                text = f"This value should be less than or equal to {self.max}."
            else:
                text = f"This value should be greater than or equal to {self.min}."
            return self.fail(errors, path, "range", text)
        return value

    def extra_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"minimum": self.min, "maximum": self.max}
        if self.numeric_string:
            return {"oneOf": [{"type": "integer", **out}, {"type": "string", "pattern": self._digits_pattern()}]}
        return out

    def _digits_pattern(self) -> str:
        """The numeric strings `convert` accepts: up to 20 digits, in range (exactly so for one-digit ranges)."""
        if 0 <= self.min <= self.max <= 9:
            return f"^(?:-0{{1,20}}|0{{0,19}}[{self.min}-{self.max}])$" if self.min == 0 else \
                f"^0{{0,19}}[{self.min}-{self.max}]$"
        return r"^-?[0-9]{1,20}$"

    def schema(self) -> dict[str, Any]:
        base = super().schema()
        if self.numeric_string:
            base.pop("type")
            if self.nullable:
                base["oneOf"].append({"type": "null"})
        return base


class Num(Field):
    json_type = "number"

    def __init__(self, *, min: float = -1e15, max: float = 1e15, **kw: Any) -> None:
        super().__init__(**kw)
        self.min, self.max = min, max

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return self.fail(errors, path, "type", "This value should be of type numeric.")
        if not (self.min <= value <= self.max):
            return self.fail(errors, path, "range", f"This value should be between {self.min:g} and {self.max:g}.")
        return value

    def extra_schema(self) -> dict[str, Any]:
        return {"minimum": self.min, "maximum": self.max}


class Bool(Field):
    json_type = "boolean"

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if not isinstance(value, bool):
            return self.fail(errors, path, "type", "This value should be of type bool.")
        return value


class Str(Field):
    def __init__(
        self,
        *,
        max_length: int = 65535,
        min_length: int = 0,
        pattern: str | None = None,
        choices: tuple[str, ...] | None = None,
        check: Callable[[str], str | None] | None = None,
        **kw: Any,
    ) -> None:
        super().__init__(**kw)
        self.max_length, self.min_length = max_length, min_length
        self.pattern = re.compile(pattern) if pattern else None
        self.choices = choices
        self.check = check

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if not isinstance(value, str):
            return self.fail(errors, path, "type", "This value should be of type string.")
        if "\x00" in value:
            return self.fail(errors, path, "chars", INVALID_CHARS)
        if len(value) > self.max_length:
            return self.fail(
                errors, path, "long", f"This value is too long. It should have {self.max_length} characters or less."
            )
        if len(value) < self.min_length:
            return self.fail(errors, path, "blank", "This value should not be blank.")
        if self.choices is not None and value not in self.choices:
            return self.fail(errors, path, "choice", "The value you selected is not a valid choice.")
        if self.pattern is not None and not self.pattern.fullmatch(value):
            return self.fail(errors, path, "pattern", "This value is not valid.")
        if self.check is not None:
            problem = self.check(value)
            if problem:
                return self.fail(errors, path, "check", problem)
        return value

    def extra_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"maxLength": self.max_length}
        if self.min_length:
            out["minLength"] = self.min_length
        if self.choices is not None:
            out["enum"] = list(self.choices) + ([None] if self.nullable else [])
        if self.pattern is not None:
            # JSON Schema patterns match anywhere in the value; the check above needs all of it.
            out["pattern"] = f"^(?:{self.pattern.pattern})$"
        else:
            out["pattern"] = NO_NUL
        return out


class List(Field):
    json_type = "array"

    def __init__(self, item: Field, *, max_items: int = 1000, min_items: int = 0, unique: bool = False,
                 **kw: Any) -> None:
        super().__init__(**kw)
        self.item, self.max_items, self.min_items, self.unique = item, max_items, min_items, unique

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if not isinstance(value, list):
            return self.fail(errors, path, "type", "This value should be of type array.")
        if len(value) > self.max_items:
            return self.fail(
                errors, path, "long", f"This collection should contain {self.max_items} elements or less."
            )
        if len(value) < self.min_items:
            return self.fail(
                errors, path, "short", f"This collection should contain {self.min_items} elements or more."
            )
        out, ok = [], True
        for i, item in enumerate(value):
            parsed = self.item.load(item, f"{path}.{i}", errors)
            if parsed is ABSENT:
                ok = False
            out.append(parsed)
        if not ok:
            return ABSENT
        if self.unique:
            out = list(dict.fromkeys(out))
        return out

    def extra_schema(self) -> dict[str, Any]:
        out = {"items": self.item.schema(), "maxItems": self.max_items}
        if self.min_items:
            out["minItems"] = self.min_items
        return out


class Obj(Field):
    json_type = "object"

    def __init__(self, fields: dict[str, Field], *, allow_unknown: bool = False, **kw: Any) -> None:
        super().__init__(**kw)
        self.fields, self.allow_unknown = fields, allow_unknown

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if not isinstance(value, dict):
            return self.fail(errors, path or "body", "type", "This value should be of type object.")
        prefix = f"{path}." if path else ""
        out: dict[str, Any] = {}
        ok = True
        for name, field in self.fields.items():
            if name in value:
                parsed = field.load(value[name], prefix + name, errors)
                if parsed is ABSENT:
                    ok = False
                else:
                    out[name] = parsed
            elif field.required:
                errors.setdefault(prefix + name, []).append(field.msg("missing", MISSING))
                ok = False
            elif field.default is not ABSENT:
                out[name] = field.default() if callable(field.default) else field.default
        if not self.allow_unknown:
            for name in value:
                if name not in self.fields:
                    errors.setdefault(prefix + str(name), []).append(UNEXPECTED)
                    ok = False
        return out if ok else ABSENT

    def load_body(self, value: Any, error: type[DomainError] = ValidationFailed) -> dict[str, Any]:
        """Parse a whole request body; raise `error` with every field error found."""
        errors: FieldErrors = {}
        parsed = self.load(value, "body", errors) if value is None else self.load(value, "", errors)
        if errors or parsed is ABSENT:
            raise error(errors=errors or {"body": ["This value should be of type object."]})
        return parsed

    def extra_schema(self) -> dict[str, Any]:
        out: dict[str, Any] = {"properties": {k: f.schema() for k, f in self.fields.items()}}
        required = [k for k, f in self.fields.items() if f.required]
        if required:
            out["required"] = required
        if not self.allow_unknown:
            out["additionalProperties"] = False
        return out
