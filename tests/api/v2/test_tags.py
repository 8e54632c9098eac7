"""v2 tags (behaviour 6), under both path spellings, on both databases."""

from __future__ import annotations

import pytest

from altegio_server.api.v2.tags import COLOR_FORMAT, COLOR_REQUIRED, TITLE_REQUIRED
from altegio_server.tags.service import NOTHING_TO_CHANGE
from tests import sql
from tests.conftest import NEW_YORK, PRAGUE, READONLY_AUTH, error

SLUGS = ["common", "client", "record", "activity"]
# id offset within a location -> (title, colour, font colour, entity, icon, editable)
DEMO = {
    51: ("Newcomer friendly", "#4caf50", "#ffffff", 0, "", True),
    52: ("VIP client", "#ff2828", "#ffffff", 1, "star", True),
    53: ("Paid online", "#2196f3", "#ffffff", 2, "", True),
    54: ("Outdoor", "#ffeb3b", "#000000", 3, "", True),
    55: ("System: online booking", "#9e9e9e", "#000000", 0, "", False),
}
INVALID_ENTITY = error("Invalid entity type", {"entity": ["Invalid entity type"]})


def tag(tid: int, location: int, title: str, color: str, font_color: str, entity: int, icon: str = "",
        editable: bool = True, deleted: bool = False) -> dict:
    return {"type": "tag", "id": str(tid), "attributes": {
        "company_id": location, "title": title, "color": color, "font_color": font_color, "icon": icon,
        "entity_type": SLUGS[entity], "is_deleted": deleted, "is_editable": editable, "salon_id": location,
        "entity": entity, "entity_slug": SLUGS[entity], "deleted": int(deleted), "not_editable": int(not editable)}}


def demo_tag(tid: int, **changes) -> dict:
    location = 101 if tid < 2000 else 102
    title, color, font_color, entity, icon, editable = DEMO[tid % 100]
    values = dict(title=title, color=color, font_color=font_color, entity=entity, icon=icon, editable=editable)
    return tag(tid, location, **{**values, **changes})


@pytest.fixture(params=["companies", "locations"])
def at(request):
    """The tags URL of a location, in the seed spelling or the current one."""
    return lambda location=101, rest="": f"/api/v2/{request.param}/{location}/tags{rest}"


def ids(api, at, location=101) -> list[int]:
    return [int(t["id"]) for t in api.get(at(location)).json()["data"]]


# --- list ---------------------------------------------------------------------------------------

def test_list_shows_every_tag_of_the_location(api, at):
    r = api.get(at(101))
    assert r.status_code == 200
    assert r.json() == {"data": [demo_tag(i) for i in (1051, 1052, 1053, 1054, 1055)], "meta": []}


def test_list_shows_only_the_locations_own_tags(api, at):
    assert ids(api, at, 102) == sorted(sum(NEW_YORK["tag_ids"].values(), []))
    assert ids(api, at, 101) == sorted(sum(PRAGUE["tag_ids"].values(), []))


@pytest.mark.parametrize("entity, expected", [
    ("common", [1051, 1055]), ("0", [1051, 1055]), ("client", [1052]), ("1", [1052]),
    ("record", [1053]), ("2", [1053]), ("activity", [1054]), ("3", [1054]), ("Activity", [1054]),
    ("", [1051, 1052, 1053, 1054, 1055]),
])
def test_list_filters_by_entity_slug_or_number(api, at, entity, expected):
    r = api.get(at(101), params={"entity": entity})
    assert r.status_code == 200
    assert r.json() == {"data": [demo_tag(i) for i in expected], "meta": []}


def test_list_with_an_invalid_entity_is_400(api, at):
    for entity in ["4", "-1", "bogus", "1.0", "01x", "²", "१", "10" * 20, "client,record", "\x00"]:
        r = api.get(at(101), params={"entity": entity})
        assert (r.status_code, r.json()) == (400, INVALID_ENTITY), entity


def test_list_leaves_out_deleted_tags(api, at):
    assert api.delete(at(101, "/1053")).status_code == 204
    assert ids(api, at) == [1051, 1052, 1054, 1055]
    assert api.get(at(101), params={"entity": "record"}).json() == {"data": [], "meta": []}


# --- get ----------------------------------------------------------------------------------------

def test_get_returns_the_tag(api, at):
    r = api.get(at(101, "/1052"))
    assert r.status_code == 200
    assert r.json() == {"data": demo_tag(1052), "meta": []}


def test_get_shows_a_not_editable_tag_as_such(api, at):
    assert api.get(at(101, "/1055")).json() == {"data": demo_tag(1055), "meta": []}


def test_get_of_a_deleted_tag_answers_200_marked_deleted(api, at):
    assert api.delete(at(101, "/1054")).status_code == 204
    r = api.get(at(101, "/1054"))
    assert r.status_code == 200
    assert r.json() == {"data": demo_tag(1054, deleted=True), "meta": []}


@pytest.mark.parametrize("location, tid", [(101, 2052), (102, 1052), (101, 999), (101, 0), (101, 10**30)])
def test_get_of_a_tag_of_another_location_or_unknown_is_404(api, at, location, tid):
    r = api.get(at(location, f"/{tid}"))
    assert r.status_code == 404
    assert r.json() == error("Not found")


# --- create -------------------------------------------------------------------------------------

def test_create_answers_200_with_the_new_tag(api, at):
    r = api.post(at(101), {"title": "VIP Client", "color": "#ff2828", "entity": 1, "icon": "star"})
    assert r.status_code == 200
    new_id = int(r.json()["data"]["id"])
    assert new_id > 2055
    expected = tag(new_id, 101, "VIP Client", "#ff2828", "#ffffff", 1, "star")
    assert r.json() == {"data": expected, "meta": []}
    assert api.get(at(101, f"/{new_id}")).json() == {"data": expected, "meta": []}
    assert ids(api, at)[-1] == new_id
    assert new_id not in ids(api, at, 102)


@pytest.mark.parametrize("entity, stored", [(0, 0), (3, 3), ("2", 2), ("0", 0), (None, 0), ("absent", 0)])
def test_create_takes_the_entity_as_int_or_numeric_string(api, at, entity, stored):
    body = {"title": "Morning", "color": "#FFFFFF"}
    if entity != "absent":
        body["entity"] = entity
    r = api.post(at(101), body)
    assert r.status_code == 200
    assert r.json()["data"]["attributes"] == tag(0, 101, "Morning", "#FFFFFF", "#000000", stored)["attributes"]


def test_create_with_an_invalid_entity_is_400_and_creates_nothing(api, at):
    for entity in [4, -1, "client", "x", "", True, 1.5, [1], {"a": 1}, 10**30, "²"]:
        r = api.post(at(101), {"title": "Morning", "color": "#ffffff", "entity": entity})
        assert (r.status_code, r.json()) == (400, INVALID_ENTITY), entity
    assert ids(api, at) == [1051, 1052, 1053, 1054, 1055]


@pytest.mark.parametrize("body, errors", [
    ({}, {"title": [TITLE_REQUIRED], "color": [COLOR_REQUIRED]}),
    ({"color": "#ffffff"}, {"title": [TITLE_REQUIRED]}),
    ({"title": "", "color": "#ffffff"}, {"title": [TITLE_REQUIRED]}),
    ({"title": "  ", "color": "#ffffff"}, {"title": [TITLE_REQUIRED]}),
    ({"title": None, "color": "#ffffff"}, {"title": [TITLE_REQUIRED]}),
    ({"title": 5, "color": "#ffffff"}, {"title": ["This value should be of type string."]}),
    ({"title": "x" * 256, "color": "#ffffff"},
     {"title": ["This value is too long. It should have 255 characters or less."]}),
    ({"title": "Morning"}, {"color": [COLOR_REQUIRED]}),
    ({"title": "Morning", "color": None}, {"color": [COLOR_REQUIRED]}),
    ({"title": "Morning", "color": "red"}, {"color": [COLOR_FORMAT]}),
    ({"title": "Morning", "color": "ff2828"}, {"color": [COLOR_FORMAT]}),
    ({"title": "Morning", "color": "#ff28281"},
     {"color": ["This value is too long. It should have 7 characters or less."]}),
    ({"title": "Morning", "color": 16711680}, {"color": ["This value should be of type string."]}),
    ({"title": "Morning", "color": "#ffffff", "icon": 3}, {"icon": ["This value should be of type string."]}),
    ({"title": "Morning", "color": "#ffffff", "is_editable": False}, {"is_editable": ["This field was not expected."]}),
])
def test_create_with_bad_fields_is_422_and_creates_nothing(api, at, body, errors):
    r = api.post(at(101), body)
    assert r.status_code == 422
    assert r.json() == error(next(iter(errors.values()))[0], errors)
    assert ids(api, at) == [1051, 1052, 1053, 1054, 1055]


def test_create_with_a_null_icon_stores_none(api, at):
    r = api.post(at(101), {"title": "Morning", "color": "#000000", "icon": None})
    assert r.status_code == 200
    assert r.json()["data"]["attributes"]["icon"] == ""


# --- update -------------------------------------------------------------------------------------

@pytest.mark.parametrize("body, changes", [
    ({"title": "Very important"}, {"title": "Very important"}),
    ({"color": "#000000"}, {"color": "#000000", "font_color": "#ffffff"}),
    ({"color": "#fafafa"}, {"color": "#fafafa", "font_color": "#000000"}),
    ({"entity": 3}, {"entity": 3}),
    ({"entity": "2"}, {"entity": 2}),
    ({"icon": "crown"}, {"icon": "crown"}),
    ({"icon": ""}, {"icon": ""}),
    ({"icon": None}, {}),
    ({"entity": None}, {}),
    ({"title": "VIP", "color": "#ffeb3b", "entity": 0, "icon": "gem"},
     {"title": "VIP", "color": "#ffeb3b", "font_color": "#000000", "entity": 0, "icon": "gem"}),
])
def test_update_answers_204_and_changes_only_what_was_sent(api, at, body, changes):
    r = api.put(at(101, "/1052"), body)
    assert r.status_code == 204
    assert r.content == b""
    assert api.get(at(101, "/1052")).json() == {"data": demo_tag(1052, **changes), "meta": []}


def test_update_moves_the_tag_between_entity_lists(api, at):
    assert api.put(at(101, "/1052"), {"entity": "3"}).status_code == 204
    assert [t["id"] for t in api.get(at(101), params={"entity": "activity"}).json()["data"]] == ["1052", "1054"]
    assert api.get(at(101), params={"entity": "client"}).json()["data"] == []


@pytest.mark.parametrize("body, status, expected", [
    ({"title": ""}, 422, error(TITLE_REQUIRED, {"title": [TITLE_REQUIRED]})),
    ({"title": None}, 422, error(TITLE_REQUIRED, {"title": [TITLE_REQUIRED]})),
    ({"color": "blue"}, 422, error(COLOR_FORMAT, {"color": [COLOR_FORMAT]})),
    ({"color": None}, 422, error(COLOR_REQUIRED, {"color": [COLOR_REQUIRED]})),
    ({"entity": 9}, 400, INVALID_ENTITY),
    ({"entity": "activity"}, 400, INVALID_ENTITY),
    ({"deleted": 1}, 422, error("This field was not expected.", {"deleted": ["This field was not expected."]})),
    ({}, 422, error(NOTHING_TO_CHANGE, {"body": [NOTHING_TO_CHANGE]})),
])
def test_update_with_bad_fields_is_refused_and_changes_nothing(api, at, body, status, expected):
    r = api.put(at(101, "/1052"), body)
    assert r.status_code == status
    assert r.json() == expected
    assert api.get(at(101, "/1052")).json() == {"data": demo_tag(1052), "meta": []}


@pytest.mark.parametrize("location, tid, status, message", [
    (101, 1055, 403, "Category cannot be changed"), (102, 2055, 403, "Category cannot be changed"),
    (101, 2052, 404, "Not found"), (102, 1051, 404, "Not found"),  # another location's: behaviour 9.7
])
def test_update_of_a_not_editable_tag_is_403_and_of_another_locations_404(api, at, location, tid, status, message):
    r = api.put(at(location, f"/{tid}"), {"title": "Hijacked"})
    assert (r.status_code, r.json()) == (status, error(message))
    owner = 101 if tid < 2000 else 102
    assert api.get(at(owner, f"/{tid}")).json() == {"data": demo_tag(tid), "meta": []}


@pytest.mark.parametrize("tid", [999, 0, 10**30])
def test_update_of_an_unknown_tag_is_404(api, at, tid):
    r = api.put(at(101, f"/{tid}"), {"title": "Ghost"})
    assert r.status_code == 404
    assert r.json() == error("Not found")


def test_update_of_a_deleted_tag_is_404(api, at):
    assert api.delete(at(101, "/1052")).status_code == 204
    r = api.put(at(101, "/1052"), {"title": "Back"})
    assert r.status_code == 404
    assert r.json() == error("Not found")
    assert api.get(at(101, "/1052")).json() == {"data": demo_tag(1052, deleted=True), "meta": []}


# --- delete -------------------------------------------------------------------------------------

def test_delete_answers_204_and_is_soft(api, at):
    r = api.delete(at(101, "/1051"))
    assert r.status_code == 204
    assert r.content == b""
    assert ids(api, at) == [1052, 1053, 1054, 1055]
    assert api.get(at(101, "/1051")).json() == {"data": demo_tag(1051, deleted=True), "meta": []}
    r = api.delete(at(101, "/1051"))
    assert r.status_code == 404
    assert r.json() == error("Not found")


@pytest.mark.parametrize("location, tid, status, message", [
    (101, 1055, 403, "Category cannot be changed"), (102, 2055, 403, "Category cannot be changed"),
    (101, 2052, 404, "Not found"), (102, 1053, 404, "Not found"),  # another location's: behaviour 9.7
])
def test_delete_of_a_not_editable_tag_is_403_and_of_another_locations_404(api, at, location, tid, status, message):
    r = api.delete(at(location, f"/{tid}"))
    assert (r.status_code, r.json()) == (status, error(message))
    owner = 101 if tid < 2000 else 102
    assert int(tid) in ids(api, at, owner)


@pytest.mark.parametrize("tid", [999, 0, 10**30])
def test_delete_of_an_unknown_tag_is_404(api, at, tid):
    r = api.delete(at(101, f"/{tid}"))
    assert r.status_code == 404
    assert r.json() == error("Not found")


# --- the location in the path ---------------------------------------------------------------------

OPERATIONS = [("GET", "", None), ("POST", "", {"title": "T", "color": "#000000"}), ("GET", "/1051", None),
              ("PUT", "/1051", {"title": "T"}), ("DELETE", "/1051", None)]


@pytest.mark.parametrize("method, rest, body", OPERATIONS)
def test_every_operation_at_an_unknown_location_is_404(api, at, method, rest, body):
    r = api.request(method, at(999, rest), json=body)
    assert r.status_code == 404
    assert r.json() == error("Not found")


@pytest.mark.parametrize("method, rest, body", OPERATIONS)
def test_every_operation_at_a_location_without_access_is_403(api, at, database_url, method, rest, body):
    sql.execute(database_url, "INSERT INTO locations (id, chain_id, title, timezone) VALUES (103, 1, 'New', 'UTC')",
                "INSERT INTO tags (id, location_id, title, color) VALUES (3051, 103, 'Theirs', '#000000')")
    r = api.request(method, at(103, rest.replace("1051", "3051")), json=body)
    assert r.status_code == 403
    assert r.json() == error("Access denied.")
    assert sql.fetch(database_url, "SELECT title, deleted FROM tags WHERE location_id = 103") == [
        {"title": "Theirs", "deleted": False}]


def test_a_read_only_user_reads_but_cannot_write(api, at):
    assert api.get(at(101), auth=READONLY_AUTH).json() == {
        "data": [demo_tag(i) for i in (1051, 1052, 1053, 1054, 1055)], "meta": []}
    assert api.get(at(101, "/1052"), auth=READONLY_AUTH).json() == {"data": demo_tag(1052), "meta": []}
    for method, rest, body in OPERATIONS[1:]:
        if method != "GET":
            r = api.request(method, at(101, rest), json=body, auth=READONLY_AUTH)
            assert r.status_code == 403
            assert r.json() == error("Access denied.")
    assert api.get(at(101)).json()["data"] == [demo_tag(i) for i in (1051, 1052, 1053, 1054, 1055)]
