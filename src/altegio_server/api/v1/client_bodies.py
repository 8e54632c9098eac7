"""What the v1 client operations read: the client body (behaviour 16.8), the search body and
the older list's query (16.6), parsed into the clients package's terms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from starlette.datastructures import QueryParams

from altegio_server.api import query as q
from altegio_server.api.schema import ABSENT, INT64_MAX, NO_NUL, Field, Int, List, Obj, Str
from altegio_server.api.v1.client_presenter import CLIENT
from altegio_server.clients.models import ORDER_COLUMNS, ClientDetails, ClientQuery
from altegio_server.clients.rules import blank_problem, date_problem, email_problem, normalize_phone, phone_problem
from altegio_server.commands import KEEP, Kept
from altegio_server.errors import FieldErrors, InvalidRequest, ValidationFailed

MAX_CUSTOM_FIELDS = 100
NOT_OBJECT = "This value should be of type object."
NOT_STRING = "This value should be of type string."


_PHONE_NUMBER = 10_000  # a phone of 5 digits or more, as a client phone must have


class _Phone(Str):
    """A phone as text, or as the number the vendor's examples send (`13155550179`)."""

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
            value = int(value)  # how a JSON number such as 13155550179.0 may arrive
        if isinstance(value, int) and not isinstance(value, bool) and _PHONE_NUMBER <= value <= INT64_MAX:
            value = str(value)
        return super().convert(value, path, errors)

    def schema(self) -> dict[str, Any]:
        text = super().schema()
        number = {"type": "integer", "minimum": _PHONE_NUMBER, "maximum": INT64_MAX}
        return {"oneOf": [text, number], "example": text.pop("example")}


class _CustomFields(Field):
    """`{"code": "value", ...}`; values are text or null. An empty array counts as an empty object."""

    json_type = "object"

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if value == []:
            return ()
        if not isinstance(value, dict):
            return self.fail(errors, path, "type", NOT_OBJECT)
        if len(value) > MAX_CUSTOM_FIELDS:
            return self.fail(errors, path, "long", f"This collection should contain {MAX_CUSTOM_FIELDS} elements "
                                                   "or less.")
        ok = True
        for code, text in value.items():
            problem = None if text is None or (isinstance(text, str) and "\x00" not in text and len(text) <= 65535) \
                else NOT_STRING
            problem = problem or (None if 0 < len(code) <= 255 and "\x00" not in code else "This key is not valid.")
            if problem:
                errors.setdefault(f"{path}.{code}", []).append(problem)
                ok = False
        return tuple({"code": code, "value": text} for code, text in value.items()) if ok else ABSENT

    def extra_schema(self) -> dict[str, Any]:
        return {"additionalProperties": {"type": ["string", "null"], "maxLength": 65535, "pattern": NO_NUL},
                "propertyNames": {"minLength": 1, "maxLength": 255, "pattern": NO_NUL},
                "maxProperties": MAX_CUSTOM_FIELDS}


def _birth_date_problem(text: str) -> str | None:
    return None if text == "" else date_problem(text)


def _text(description: str = "", **kw: Any) -> Str:
    return Str(nullable=True, max_length=255, description=description, **kw)


_GENDER = "0 unknown, 1 male, 2 female"
# The vendor's fields the model does not hold (importance, discount, card, comment, money,
# mailing choices, tags) are read and dropped, as any field not listed here (behaviour 16.8).
CLIENT_BODY = Obj({
    "name": Str(required=True, max_length=255, check=blank_problem, example="James"),
    "phone": _Phone(required=True, max_length=64, check=phone_problem, example="+13155550179",
                    description="Spaces, dots, dashes and brackets are ignored; stored as + and digits"),
    "surname": _text(example="Smith"),
    "middle_name": _text(),
    "patronymic": _text("The older name of middle_name"),
    "email": _text(check=email_problem, example="j.smith@example.com"),
    "gender_id": Int(nullable=True, min=0, max=2, numeric_string=True, description=_GENDER),
    "sex_id": Int(nullable=True, min=0, max=2, numeric_string=True, description="The older name of gender_id"),
    "birth_date": Str(nullable=True, max_length=10, check=_birth_date_problem, example="1990-05-17",
                      description='YYYY-MM-DD; "" or null: unknown'),
    "custom_fields": _CustomFields(nullable=True, description="custom field code -> value"),
}, allow_unknown=True)


def _either(body: dict[str, Any], name: str, older: str) -> Any:
    return body[name] if body.get(name) is not None else body.get(older)


def client_details(body: dict[str, Any], agreements: tuple[dict[str, Any], ...] | Kept = KEEP) -> ClientDetails:
    """The whole client a create or update body describes: what it leaves out is empty."""
    return ClientDetails(
        phone=normalize_phone(body["phone"]), name=body["name"], surname=body.get("surname") or "",
        patronymic=_either(body, "middle_name", "patronymic") or "", email=body.get("email") or "",
        gender=_either(body, "gender_id", "sex_id") or 0, birthday=body.get("birth_date") or None,
        custom_fields=body.get("custom_fields") or (), agreements=agreements,
    )


def _day_problem(text: str) -> str | None:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return "This value is not a valid date. Expected YYYY-MM-DD or YYYY-MM-DD HH:MM:SS."
    return None


FIELD_NAMES = tuple(CLIENT["properties"])
ORDER_KEYS = (*ORDER_COLUMNS, "discount", "first_visit_date", "last_visit_date", "sold_amount", "visit_count")
STATES = {
    "id": Obj({"value": List(Int(min=0), required=True, max_items=1000)}, allow_unknown=True, required=True),
    "quick_search": Obj({"value": Str(required=True, max_length=255)}, allow_unknown=True, required=True),
    "gender": Obj({"value": List(Int(min=0, max=2), required=True, max_items=3)}, allow_unknown=True,
                  required=True),
    "birthday": Obj({"from": Str(max_length=32, check=_day_problem), "to": Str(max_length=32, check=_day_problem)},
                    allow_unknown=True, required=True),
}
UNSERVED_FILTER = f"This filter type is not served here; served: {', '.join(STATES)}."
REPEATED_FILTER = "Each filter type may be given once."
MAX_PAGE_SIZE = 200


class _Filter(Field):
    """`{"type": ..., "state": {...}}`, the state read by its type's schema (`STATES`); parsed
    to `(type, state)`."""

    json_type = "object"
    _TYPE = Str(required=True, choices=tuple(STATES), messages={"choice": UNSERVED_FILTER})

    def convert(self, value: Any, path: str, errors: FieldErrors) -> Any:
        if not isinstance(value, dict):
            return self.fail(errors, path, "type", NOT_OBJECT)
        kind = Obj({"type": self._TYPE}, allow_unknown=True).load(value, path, errors)
        if kind is ABSENT:
            return ABSENT
        state = Obj({"type": self._TYPE, "state": STATES[kind["type"]]}, allow_unknown=True).load(value, path, errors)
        return ABSENT if state is ABSENT else (kind["type"], state["state"])

    def schema(self) -> dict[str, Any]:
        return {"oneOf": [{"type": "object", "required": ["type", "state"],
                           "properties": {"type": {"type": "string", "enum": [kind]}, "state": state.schema()}}
                          for kind, state in STATES.items()]}


SEARCH_BODY = Obj({
    "page": Int(min=1, default=1),
    "page_size": Int(min=1, max=MAX_PAGE_SIZE, default=25),
    "fields": List(Str(choices=FIELD_NAMES), max_items=len(FIELD_NAMES), unique=True,
                   description="Only these fields of each client; all of them when left out or empty"),
    "order_by": Str(choices=ORDER_KEYS, description="Keys the model does not hold sort by id"),
    "order_by_direction": Str(choices=("ASC", "DESC", "asc", "desc")),
    "operation": Str(choices=("AND", "OR"), description="How filters combine; AND by default"),
    "filters": List(_Filter(), max_items=50),
}, allow_unknown=True)


def _filter_fields(kind: str, state: dict[str, Any]) -> dict[str, Any]:
    if kind == "id":
        return {"ids": tuple(state["value"])}
    if kind == "quick_search":
        return {"text": state["value"]}
    if kind == "gender":
        return {"genders": tuple(state["value"])}
    return {"born_from": state["from"][:10] if "from" in state else None,
            "born_to": state["to"][:10] if "to" in state else None}


def search_query(json: Any) -> tuple[ClientQuery, tuple[str, ...]]:
    """The search body as a query and the fields to show; 422 with every field error at once."""
    body = SEARCH_BODY.load_body(json)
    errors: FieldErrors = {}
    fields: dict[str, Any] = {}
    seen: set[str] = set()
    for i, (kind, state) in enumerate(body.get("filters") or []):
        if kind in seen:
            errors[f"filters.{i}.type"] = [REPEATED_FILTER]
        seen.add(kind)
        fields.update(_filter_fields(kind, state))
    if errors:
        raise ValidationFailed(errors=errors)
    size = body["page_size"]
    order = body.get("order_by", "id")
    query = ClientQuery(**fields, any_of=body.get("operation") == "OR",
                        order_by=order if order in ORDER_COLUMNS else "id",
                        descending=body.get("order_by_direction", "ASC").upper() == "DESC",
                        limit=size, offset=min((body["page"] - 1) * size, INT64_MAX))
    return query, tuple(body.get("fields") or ())


DEFAULT_COUNT = 20
TEXT_INVALID = "This value should be text of at most 255 characters, without NUL."
LIST_TEXTS = {"fullname": "part of the name", "phone": "part of the number, any punctuation",
              "email": "part of the e-mail", "card": "part of the loyalty card number (no client has one)"}
LIST_QUERY: list[dict[str, Any]] = [
    {"name": "page", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": INT64_MAX, "default": 1}},
    {"name": "count", "in": "query", "required": False,
     "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE, "default": DEFAULT_COUNT}},
    *({"name": name, "in": "query", "required": False, "description": text,
       "schema": {"type": "string", "maxLength": 255, "pattern": NO_NUL}} for name, text in LIST_TEXTS.items()),
    *({"name": name, "in": "query", "required": False, "description": "paid amount bound (every client paid 0)",
       "schema": {"type": "number"}} for name in ("paid_min", "paid_max")),
    q.array_param("id", "only these clients (`id=66` works too)"),
    *({"name": name, "in": "query", "required": False, "schema": {"type": "string", "format": "date-time"},
       "description": f"clients changed or created {word} this moment"}
      for name, word in (("changed_after", "at or after"), ("changed_before", "at or before"))),
]


def _amount(params: QueryParams, name: str, errors: FieldErrors) -> float | None:
    raw = params.get(name)
    if raw is None or raw == "":
        return None
    try:
        value = float(raw)
    except ValueError:
        value = float("nan")
    if value != value or abs(value) == float("inf"):
        errors[name] = ["This value should be a number."]
        return None
    return value


def _part(params: QueryParams, name: str, errors: FieldErrors) -> str | None:
    """A text filter of at most 255 characters, without NUL; None if absent or empty."""
    raw = params.get(name) or None
    if raw is not None and (len(raw) > 255 or "\x00" in raw):
        errors[name] = [TEXT_INVALID]
        return None
    return raw


def list_query(params: QueryParams) -> tuple[ClientQuery, int]:
    """The older list's query and page (behaviour 16.6); 400 with field errors for values that cannot be read."""
    errors: FieldErrors = {}
    page = q.positive(params, "page", errors, 1)
    count = q.positive(params, "count", errors, DEFAULT_COUNT, MAX_PAGE_SIZE)
    ids = q.uint_list(params, "id", errors)
    fullname, phone, email, card = (_part(params, name, errors) for name in ("fullname", "phone", "email", "card"))
    paid_min, paid_max = _amount(params, "paid_min", errors), _amount(params, "paid_max", errors)
    after, before = q.moment(params, "changed_after", errors), q.moment(params, "changed_before", errors)
    if errors:
        raise InvalidRequest(errors=errors)
    # Cards and payments are not modelled: no client has a card, and every client paid 0.
    nothing = bool(card) or (paid_min or 0) > 0 or (paid_max is not None and paid_max < 0)
    return ClientQuery(ids=tuple(ids) or None, fullname=fullname, phone=phone, email=email,
                       changed_after=after, changed_before=before, nothing=nothing,
                       limit=count, offset=min((page - 1) * count, INT64_MAX)), page
