"""The fixture checker names every problem by its place, and lets nothing malformed through."""

from __future__ import annotations

import pytest

from altegio_server.provisioning import checks, demo, fixture
from tests.cli.seven import changed, seven

LOC = "chains[0].locations[0]"


def problems(data) -> list[str]:
    return checks.check(data).problems


def test_the_sample_and_the_demo_are_clean():
    assert problems(seven()) == []
    assert problems(demo.fixture_data()) == []
    assert problems({}) == []


@pytest.mark.parametrize("place, value, problem", [
    # unknown fields, anywhere
    (f"{LOC}.colour", "red", f"{LOC}.colour: is not a known field"),
    ("chains[0].owner", 1, "chains[0].owner: is not a known field"),
    ("users[0].role", "admin", "users[0].role: is not a known field"),
    ("partner_tokens[0].id", 1, "partner_tokens[0].id: is not a known field"),
    (f"{LOC}.staff[0].position", 500, f"{LOC}.staff[0].position: is not a known field"),
    # wrong types, optional fields included
    (f"{LOC}.services[0].price_min", "1000", f"{LOC}.services[0].price_min: must be a number"),
    (f"{LOC}.services[0].price_max", True, f"{LOC}.services[0].price_max: must be a number"),
    (f"{LOC}.services[0].price_max", float("nan"), f"{LOC}.services[0].price_max: must be a number"),
    (f"{LOC}.services[0].price_max", 10.0, f"{LOC}.services[0].price_max: must not be less than price_min"),
    (f"{LOC}.services[0].capacity", "10", f"{LOC}.services[0].capacity: must be an integer"),
    (f"{LOC}.services[0].capacity", 0, f"{LOC}.services[0].capacity: must be between 1 and 10000"),
    (f"{LOC}.services[0].duration", 3600.0, f"{LOC}.services[0].duration: must be an integer"),
    (f"{LOC}.services[0].group_event", "yes", f"{LOC}.services[0].group_event: must be true or false"),
    (f"{LOC}.services[0].prepaid", "maybe",
     f"{LOC}.services[0].prepaid: must be one of 'forbidden', 'optional', 'required'"),
    (f"{LOC}.services[0].comment", 5, f"{LOC}.services[0].comment: must be a string"),
    (f"{LOC}.services[0].image_url", None, f"{LOC}.services[0].image_url: must be a string"),
    (f"{LOC}.services[0].staff_ids", 7001, f"{LOC}.services[0].staff_ids: must be a list"),
    (f"{LOC}.staff[0].rating", "high", f"{LOC}.staff[0].rating: must be a number"),
    (f"{LOC}.staff[0].rating", 6, f"{LOC}.staff[0].rating: must be between 0 and 5"),
    (f"{LOC}.staff[0].specialization", ["Yoga"], f"{LOC}.staff[0].specialization: must be a string"),
    (f"{LOC}.staff[0].avatar", 1, f"{LOC}.staff[0].avatar: must be a string"),
    (f"{LOC}.staff[0].name", "", f"{LOC}.staff[0].name: must not be empty"),
    (f"{LOC}.staff[0].name", "Ai\x00ko", f"{LOC}.staff[0].name: must not contain NUL characters"),
    (f"{LOC}.staff", {"id": 1}, f"{LOC}.staff: must be a list"),
    (f"{LOC}.staff[0]", "Aiko", f"{LOC}.staff[0]: must be a mapping"),
    (f"{LOC}.tags[0].color", "yellow", f"{LOC}.tags[0].color: must be a colour like '#ff2828'"),
    (f"{LOC}.tags[0].entity", 4, f"{LOC}.tags[0].entity: must be between 0 and 3"),
    (f"{LOC}.tags[0].entity", "3", f"{LOC}.tags[0].entity: must be an integer"),
    (f"{LOC}.tags[0].editable", "no", f"{LOC}.tags[0].editable: must be true or false"),
    (f"{LOC}.tags[0].icon", 7, f"{LOC}.tags[0].icon: must be a string"),
    (f"{LOC}.tags[0].title", "x" * 256, f"{LOC}.tags[0].title: must be at most 255 characters long"),
    (f"{LOC}.clients[0].gender", 3, f"{LOC}.clients[0].gender: must be between 0 and 2"),
    (f"{LOC}.clients[0].phone", 81000000001, f"{LOC}.clients[0].phone: must be a string"),
    (f"{LOC}.clients[0].phone", "call me",
     f"{LOC}.clients[0].phone: must be a phone number: 5 to 20 digits, e.g. +420601000001"),
    (f"{LOC}.default_technical_break", 100, f"{LOC}.default_technical_break: must be a multiple of 300"),
    (f"{LOC}.default_technical_break", 7200, f"{LOC}.default_technical_break: must be between 0 and 3600"),
    (f"{LOC}.id", "701", f"{LOC}.id: must be an integer"),
    (f"{LOC}.id", 2**70, f"{LOC}.id: must be between 1 and {2**53}"),
    (f"{LOC}.id", 0, f"{LOC}.id: must be between 1 and {2**53}"),
    (f"{LOC}.title", None, f"{LOC}.title: must be a string"),
    ("chains[0].positions[0].description", 5, "chains[0].positions[0].description: must be a string"),
    ("chains[0].positions[0].salon_ids", [], "chains[0].positions[0].salon_ids: must name at least one location"),
    ("chains[0].positions[0].salon_ids", "701", "chains[0].positions[0].salon_ids: must be a list"),
    ("chains[0].positions[0].salon_ids", [701, 701], "chains[0].positions[0].salon_ids[1]: 701 is listed twice"),
    ("chains[0].positions[0].only_chain_appointment", 1,
     "chains[0].positions[0].only_chain_appointment: must be true or false"),
    ("chains[0].positions[0].rules_required_fields", ["phone", 2],
     "chains[0].positions[0].rules_required_fields[1]: must be a string"),
    ("users[0].password", None, "users[0].password: must be a string"),
    ("users[0].user_token", " ", "users[0].user_token: must not be empty"),
    ("users[0].email", 5, "users[0].email: must be a string"),
    ("users[0].access[0].read_only", "no", "users[0].access[0].read_only: must be true or false"),
    ("users[0].is_approved", "yes", "users[0].is_approved: must be true or false"),
    ("partner_tokens[0].token", 12345, "partner_tokens[0].token: must be a string"),
    ("partner_tokens[0].name", None, "partner_tokens[0].name: must be a string"),
    # time zones
    (f"{LOC}.timezone", "Mars/Olympus", f"{LOC}.timezone: unknown IANA time zone 'Mars/Olympus'"),
    (f"{LOC}.timezone", "Europe", f"{LOC}.timezone: unknown IANA time zone 'Europe'"),
    (f"{LOC}.timezone", "../../etc/passwd", f"{LOC}.timezone: unknown IANA time zone '../../etc/passwd'"),
    (f"{LOC}.timezone", "", f"{LOC}.timezone: must not be empty"),
    (f"{LOC}.timezone", 3, f"{LOC}.timezone: must be a string"),
    # dangling or misplaced references
    (f"{LOC}.staff[0].position_id", 999, f"{LOC}.staff[0].position_id: no position with id 999 in this file"),
    (f"{LOC}.staff[0].position_id", "500", f"{LOC}.staff[0].position_id: must be an integer id"),
    (f"{LOC}.services[0].category_id", 1, f"{LOC}.services[0].category_id: no category with id 1 in this file"),
    (f"{LOC}.services[0].staff_ids", [7001, 7999],
     f"{LOC}.services[0].staff_ids[1]: no staff with id 7999 in this file"),
    (f"{LOC}.services[0].staff_ids", [7101], f"{LOC}.services[0].staff_ids[0]: staff 7101 belongs to another location"),
    (f"{LOC}.services[0].staff_ids", [7001, 7001], f"{LOC}.services[0].staff_ids[1]: 7001 is listed twice"),
    (f"{LOC}.resources[0].service_ids", [1021],
     f"{LOC}.resources[0].service_ids[0]: no service with id 1021 in this file"),
    ("chains[0].positions[0].salon_ids", [701, 101],
     "chains[0].positions[0].salon_ids[1]: no location with id 101 in this file"),
    ("users[0].access[0].location_id", 999, "users[0].access[0].location_id: no location with id 999 in this file"),
    ("users[0].access[1].location_id", 701, "users[0].access[1].location_id: location 701 is listed twice"),
])
def test_every_bad_value_is_named_by_its_place(place, value, problem):
    assert problem in problems(changed(place, value))


@pytest.mark.parametrize("place, value, problem", [
    (f"{LOC}.tags[1].id", 7051, f"{LOC}.tags[1].id: id 7051 is already used by {LOC}.tags[0]"),
    ("chains[0].locations[1].id", 701, f"chains[0].locations[1].id: id 701 is already used by {LOC}"),
    ("chains[0].locations[1].staff[0].id", 7001,
     f"chains[0].locations[1].staff[0].id: id 7001 is already used by {LOC}.staff[0]"),
    # One phone however it is spelled (behaviour 16.5).
    (f"{LOC}.clients", [{"id": 1, "name": "A", "phone": "+420 601 000-001"},
                        {"id": 2, "name": "B", "phone": "420601000001"}],
     f"{LOC}.clients[1].phone: this phone is already used by {LOC}.clients[0].phone"),
    ("partner_tokens", [{"token": "t"}, {"token": "t"}],
     "partner_tokens[1].token: this token is already used by partner_tokens[0].token"),
])
def test_duplicates_within_the_file_are_named(place, value, problem):
    assert problem in problems(changed(place, value))


def test_a_user_needs_a_login_and_users_need_distinct_ones():
    data = seven()
    data["users"][0].pop("email")
    assert "users[0]: needs a phone or an email to log in with" in problems(data)
    data = seven()
    data["users"].append({**data["users"][0], "id": 71, "user_token": "other"})
    assert "users[1].email: this login is already used by users[0].email" in problems(data)
    data["users"][1]["email"], data["users"][1]["user_token"] = "x@seven.example", data["users"][0]["user_token"]
    assert "users[1].user_token: this token is already used by users[0].user_token" in problems(data)


def test_a_position_of_another_chain_is_refused():
    data = seven()
    data["chains"].append({"id": 8, "title": "Other", "positions": [{"id": 800, "title": "P", "salon_ids": [701]}]})
    data["chains"][0]["locations"][0]["staff"][1]["position_id"] = 800
    found = problems(data)
    assert "chains[1].positions[0].salon_ids[0]: location 701 belongs to another chain" in found
    assert f"{LOC}.staff[1].position_id: position 800 belongs to another chain" in found


@pytest.mark.parametrize("data, problem", [
    ([], "(file): must be a mapping"),
    ({"chain": []}, "(file).chain: is not a known field"),
    ({"chains": {"id": 1}}, "chains: must be a list"),
    ({"chains": [{}]}, "chains[0].id: is required"),
    ({"chains": [{"id": 1, "title": "C", "locations": [{"id": 2}]}]}, "chains[0].locations[0].timezone: is required"),
    ({"users": [{"id": 1}]}, "users[0].password: is required"),
    ({"partner_tokens": [{}]}, "partner_tokens[0].token: is required"),
    ({"chains": [{1: "x", "id": 1, "title": "C"}]}, "chains[0].1: is not a known field"),
])
def test_shapes_and_required_fields_are_checked(data, problem):
    assert problem in problems(data)


def test_every_problem_is_reported_at_once():
    data = changed(f"{LOC}.timezone", "Nowhere/Town")
    data["chains"][0]["locations"][0]["tags"][0]["color"] = "red"
    data["users"][0]["access"][0]["location_id"] = 5
    assert len(problems(data)) == 3


def test_reading_a_file_names_what_is_wrong(tmp_path):
    cases = {"broken.yaml": "chains: [\n", "broken.json": '{"chains": [}', "list.yaml": "- 1\n",
             "empty.yaml": "", "binary.yaml": b"\xff\xfe\x00"}
    expected = {"broken.yaml": "not valid YAML", "broken.json": "not valid JSON", "list.yaml": "the top level must be",
                "empty.yaml": "the top level must be", "binary.yaml": "not UTF-8 text"}
    for name, content in cases.items():
        path = tmp_path / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
        with pytest.raises(fixture.FixtureError, match=expected[name]) as caught:
            fixture.read_file(path)
        assert name in str(caught.value)
    with pytest.raises(fixture.FixtureError, match="cannot read"):
        fixture.read_file(tmp_path / "missing.yaml")


def test_yaml_values_of_other_types_are_caught_by_the_checker(tmp_path):
    path = tmp_path / "dates.yaml"
    path.write_text("chains:\n  - id: 1\n    title: 2024-01-01\n    positions:\n"
                    "      - {id: 1, title: P, salon_ids: [yes]}\n")
    found = problems(fixture.read_file(path))
    assert "chains[0].title: must be a string" in found
    assert "chains[0].positions[0].salon_ids[0]: must be an integer id" in found


GARBAGE = [None, True, 0, -1, 2**64, 1.5, float("inf"), "", "x\x00", "\udcff", [], [None], [[1]], {}, {"a": [1]}]


def _places(node, place=""):
    """Every place in a fixture: fields, list items and leaves."""
    children = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for key, child in children:
        inner = f"{place}[{key}]" if isinstance(node, list) else f"{place}.{key}" if place else key
        yield inner
        yield from _places(child, inner)


def test_no_value_anywhere_makes_the_checker_itself_fail():
    for place in _places(seven()):
        for value in GARBAGE:
            checks.check(changed(place, value))  # problems or none, but never an exception


@pytest.mark.parametrize("place", [f"{LOC}.title", f"{LOC}.clients[0].name", "users[0].password",
                                   "partner_tokens[0].token", f"{LOC}.tags[0].icon"])
def test_text_that_cannot_be_stored_is_refused(place):
    assert f"{place}: must be valid Unicode text (it holds a lone surrogate)" in problems(changed(place, "a\udcffb"))


def test_null_where_a_list_of_locations_is_required_is_refused():
    found = problems(changed("chains[0].positions[0].salon_ids", None))
    assert "chains[0].positions[0].salon_ids: must be a list" in found
