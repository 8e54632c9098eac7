"""Request schema fields: parsed values or vendor-style field errors keyed by dotted path."""

from __future__ import annotations

import pytest

from altegio_server.api.schema import INT64_MAX, INT64_MIN, Bool, Int, List, Num, Obj, Str
from altegio_server.errors import InvalidRequest, ValidationFailed


def parse(field, value):
    """(value, errors) for one field at path `f`."""
    errors: dict = {}
    out = field.load(value, "f", errors)
    return (None if errors else out), errors


@pytest.mark.parametrize("field, value, expected", [
    (Int(), 5, 5), (Int(), -5, -5), (Int(), 5.0, 5), (Int(), INT64_MAX, INT64_MAX), (Int(), INT64_MIN, INT64_MIN),
    (Int(numeric_string=True), "42", 42), (Int(numeric_string=True), "-3", -3),
    (Int(min=1, max=3), 3, 3), (Num(), 1.5, 1.5), (Num(), 2, 2), (Bool(), False, False),
    (Str(), "", ""), (Str(), "ünïcødé 🧘", "ünïcødé 🧘"), (Str(choices=("a", "b")), "b", "b"),
    (Str(pattern=r"#[0-9a-f]{6}"), "#00ff00", "#00ff00"), (List(Int()), [1, 2, 1], [1, 2, 1]),
    (List(Int(), unique=True), [3, 1, 3], [3, 1]), (Int(nullable=True), None, None),
])
def test_good_values_are_parsed(field, value, expected):
    assert parse(field, value) == (expected, {})


@pytest.mark.parametrize("field, value, message", [
    (Int(), "5", "This value should be of type integer."),
    (Int(), True, "This value should be of type integer."),
    (Int(), 1.5, "This value should be of type integer."),
    (Int(), float("inf"), "This value should be of type integer."),
    (Int(), [1], "This value should be of type integer."),
    (Int(), None, "This value should not be null."),
    (Int(), 10**30, f"This value should be less than or equal to {INT64_MAX}."),
    (Int(), 1e30, "This value should be of type integer."),  # how JSON's 10**30 arrives
    (Int(), 2.0**60, "This value should be of type integer."),
    (Int(), -(10**30), f"This value should be greater than or equal to {INT64_MIN}."),
    (Int(min=1), 0, "This value should be greater than or equal to 1."),
    (Int(min=1), 2**63, f"This value should be less than or equal to {INT64_MAX}."),
    (Int(max=9), 10, "This value should be less than or equal to 9."),
    (Int(min=1, max=3), 4, "This value should be between 1 and 3."),
    (Int(numeric_string=True), "4.0", "This value should be of type integer."),
    (Int(numeric_string=True), "١٢", "This value should be of type integer."),
    (Int(numeric_string=True), " 1", "This value should be of type integer."),
    (Num(), "1", "This value should be of type numeric."),
    (Num(), True, "This value should be of type numeric."),
    (Num(min=0, max=10), 11, "This value should be between 0 and 10."),
    (Bool(), 1, "This value should be of type bool."),
    (Bool(), "true", "This value should be of type bool."),
    (Str(), 5, "This value should be of type string."),
    (Str(), "a\x00b", "This value contains invalid characters."),
    (Str(max_length=3), "abcd", "This value is too long. It should have 3 characters or less."),
    (Str(min_length=1), "", "This value should not be blank."),
    (Str(choices=("a",)), "b", "The value you selected is not a valid choice."),
    (Str(pattern=r"[a-z]+"), "A", "This value is not valid."),
    (Str(check=lambda v: "nope" if v == "x" else None), "x", "nope"),
    (Str(messages={"null": "Give me text"}), None, "Give me text"),
    (List(Int()), {}, "This value should be of type array."),
    (List(Int(), max_items=2), [1, 2, 3], "This collection should contain 2 elements or less."),
    (List(Int(), min_items=1), [], "This collection should contain 1 elements or more."),
])
def test_bad_values_get_one_message(field, value, message):
    assert parse(field, value) == (None, {"f": [message]})


def test_list_items_are_reported_by_index():
    assert parse(List(Int(min=0)), [1, "x", -1]) == (None, {
        "f.1": ["This value should be of type integer."], "f.2": ["This value should be greater than or equal to 0."]})


SCHEMA = Obj({"name": Str(required=True), "count": Int(default=1), "tags": List(Str(), default=list),
              "client": Obj({"phone": Str(required=True)}, nullable=True)})


def test_an_object_keeps_what_was_sent_and_fills_defaults():
    assert SCHEMA.load_body({"name": "A"}) == {"name": "A", "count": 1, "tags": []}
    assert SCHEMA.load_body({"name": "A", "client": None}) == {"name": "A", "client": None, "count": 1, "tags": []}
    assert SCHEMA.load_body({"name": "A", "client": {"phone": "+1"}})["client"] == {"phone": "+1"}


def test_an_object_reports_every_problem_at_once_with_dotted_paths():
    with pytest.raises(ValidationFailed) as caught:
        SCHEMA.load_body({"count": "x", "client": {"fax": 1}, "extra": True})
    assert caught.value.errors == {
        "name": ["This field is missing."], "count": ["This value should be of type integer."],
        "client.phone": ["This field is missing."], "client.fax": ["This field was not expected."],
        "extra": ["This field was not expected."]}
    assert caught.value.message == "This field is missing."


@pytest.mark.parametrize("body, message", [
    (None, "This value should not be null."), ([], "This value should be of type object."),
    ("x", "This value should be of type object."), (3, "This value should be of type object."),
])
def test_a_body_that_is_not_an_object_is_reported_on_body(body, message):
    with pytest.raises(ValidationFailed) as caught:
        SCHEMA.load_body(body)
    assert caught.value.errors == {"body": [message]}


def test_the_error_class_can_be_chosen():
    with pytest.raises(InvalidRequest):
        SCHEMA.load_body({}, InvalidRequest)


def test_the_json_schema_follows_the_fields():
    assert Obj({"a": Int(required=True, min=0, max=5), "b": Str(nullable=True, choices=("x",))}).schema() == {
        "type": "object", "additionalProperties": False, "required": ["a"], "properties": {
            "a": {"type": "integer", "minimum": 0, "maximum": 5},
            "b": {"type": ["string", "null"], "maxLength": 65535, "enum": ["x", None], "pattern": "^[^\\u0000]*$"}}}
    assert Int(numeric_string=True, nullable=True).schema()["oneOf"][-1] == {"type": "null"}
