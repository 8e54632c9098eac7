"""v2 group events: the list, its filters, search and pages (behaviour 4.3, 1.6)."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.conftest import NEW_YORK, PRAGUE, error
from tests.event_factories import book_seats, create_event, events_path

MISSING = "This field is missing. Expected YYYY-MM-DD HH:MM:SS, local time of the location."
DATE = "This value is not a valid datetime. Expected YYYY-MM-DD HH:MM:SS, local time of the location."
NOT_INT = "This value should be a non-negative integer."
IN_PAST = "The start date of the period cannot be earlier than the current time"
ORDER = "The end date of the period must be later than the start date"
WEEK = "filter[from]=2027-01-11 00:00:00&filter[to]=2027-01-17 23:59:59"


@pytest.fixture
def listing(api):
    """GET the list at a location with a query string (the test week by default)."""

    def get(query: str = WEEK, location: dict = PRAGUE):
        return api.get(events_path(location) + "?" + query)

    return get


def page(events: list[dict], total: int | None = None, limit: int = 100, offset: int = 0) -> dict:
    return {"success": True, "data": events,
            "meta": {"pagination": {"total": len(events) if total is None else total, "limit": limit,
                                    "offset": offset}}}


def bad(errors: dict[str, list[str]]) -> tuple[int, dict]:
    return 400, error(next(iter(errors.values()))[0], errors)


def test_a_week_is_listed_by_start_then_id_without_deleted_or_foreign_events(api, listing):
    noon = create_event(api, date="2027-01-15 12:00:00")
    morning = create_event(api, date="2027-01-15 09:00:00", staff_id=1002)
    same_start = create_event(api, date="2027-01-15 09:00:00", staff_id=1003, service_id=1023)
    create_event(api, date="2027-01-18 09:00:00")
    deleted = create_event(api, date="2027-01-16 09:00:00")
    api.delete(events_path(event_id=deleted["id"]))
    create_event(api, NEW_YORK, date="2027-01-15 09:00:00")
    r = listing()
    assert (r.status_code, r.json()) == (200, page([morning, same_start, noon]))


def test_both_bounds_are_inclusive(api, listing):
    first = create_event(api, date="2027-01-11 00:00:00")
    last = create_event(api, date="2027-01-17 23:59:59", staff_id=1002)
    create_event(api, date="2027-01-18 00:00:00", staff_id=1003, service_id=1023)
    assert listing().json() == page([first, last])


def test_an_empty_period_is_an_empty_page(api, listing):
    assert listing().json() == page([])


@pytest.mark.parametrize("spelling", ["filter[master_ids][]=1001&filter[master_ids][]=1003",
                                      "filter[master_ids]=1001&filter[master_ids]=1003",
                                      "filter[master_ids]=1001,1003"])
def test_team_members_filter_in_every_array_spelling(api, listing, spelling):
    eva = create_event(api, staff_id=1001, date="2027-01-15 09:00:00")
    create_event(api, staff_id=1002, date="2027-01-15 10:00:00")
    jan = create_event(api, staff_id=1003, service_id=1023, date="2027-01-15 11:00:00")
    assert listing(f"{WEEK}&{spelling}").json() == page([eva, jan])


@pytest.mark.parametrize("spelling", ["filter[service_ids][]=1022", "filter[service_ids]=1022",
                                      "filter[service_ids]=1022,"])
def test_services_filter_in_every_array_spelling(api, listing, spelling):
    create_event(api, service_id=1021, date="2027-01-15 09:00:00")
    pilates = create_event(api, service_id=1022, date="2027-01-15 11:00:00")
    assert listing(f"{WEEK}&{spelling}").json() == page([pilates])


def test_filters_combine(api, listing):
    create_event(api, staff_id=1001, service_id=1021, date="2027-01-15 09:00:00")
    wanted = create_event(api, staff_id=1001, service_id=1022, date="2027-01-15 11:00:00")
    create_event(api, staff_id=1002, service_id=1022, date="2027-01-15 11:00:00")
    r = listing(f"{WEEK}&filter[master_ids][]=1001&filter[service_ids][]=1022")
    assert r.json() == page([wanted])


def test_unknown_ids_in_filters_match_nothing(api, listing):
    create_event(api)
    assert listing(f"{WEEK}&filter[master_ids]=999999").json() == page([])


@pytest.mark.parametrize("seats, expected", [(0, ["three_free", "five_free"]), (3, ["three_free", "five_free"]),
                                             (4, ["five_free"]), (6, [])])
def test_capacity_filter_keeps_events_with_that_many_free_seats(api, listing, database_url, seats, expected):
    events = {
        "three_free": create_event(api, capacity=10, date="2027-01-15 09:00:00"),
        "five_free": create_event(api, capacity=5, date="2027-01-15 11:00:00"),
    }
    book_seats(database_url, int(events["three_free"]["id"]), 7)
    listed = listing(f"{WEEK}&filter[capacity]={seats}").json()
    assert [e["id"] for e in listed["data"]] == [events[name]["id"] for name in expected]
    assert listed["meta"]["pagination"]["total"] == len(expected)


@pytest.mark.parametrize("text, expected", [
    ("YOGA", ["yoga"]),
    ("pilates MAT", ["pilates"]),
    ("beginners", ["yoga"]),
    ("bring a MAT", ["pilates"]),
    ("žluťoučký", ["padel"]),
    ("ŽLUŤOUČKÝ KŮŇ", ["padel"]),
    ("ЙОГА", ["yoga"]),
    ("100%", ["percent"]),
    ("a_b", ["underscore"]),
    ("_", ["underscore"]),
    ("%", ["percent"]),
    ("\\", ["backslash"]),
    ("nothing like this", []),
])
def test_search_matches_title_comment_and_instructions_ignoring_case(api, listing, text, expected):
    events = {
        "yoga": create_event(api, date="2027-01-15 09:00:00", comment="For beginners", instructions="Йога для всех"),
        "pilates": create_event(api, service_id=1022, staff_id=1002, date="2027-01-15 09:00:00",
                                instructions="Bring a mat"),
        "padel": create_event(api, service_id=1023, staff_id=1003, date="2027-01-15 09:00:00",
                              comment="Žluťoučký kůň"),
        "percent": create_event(api, service_id=1023, staff_id=1003, date="2027-01-15 11:00:00",
                                comment="100% effort"),
        "underscore": create_event(api, service_id=1023, staff_id=1003, date="2027-01-15 13:00:00", comment="a_b"),
        "backslash": create_event(api, service_id=1023, staff_id=1003, date="2027-01-15 15:00:00",
                                  instructions="C:\\mats"),
    }
    r = listing(f"{WEEK}&search={quote(text)}")
    assert r.json() == page([events[name] for name in expected])


def test_pages_by_limit_and_offset_with_the_total_of_all(api, listing):
    events = [create_event(api, date=f"2027-01-15 {h:02d}:00:00") for h in (8, 10, 12, 14, 16)]
    assert listing(f"{WEEK}&limit=2&offset=2").json() == page(events[2:4], 5, limit=2, offset=2)
    assert listing(f"{WEEK}&limit=2&offset=4").json() == page(events[4:], 5, limit=2, offset=4)
    assert listing(f"{WEEK}&offset=5").json() == page([], 5, offset=5)
    assert listing(f"{WEEK}&limit=0").json() == page([], 5, limit=0)
    assert listing(f"{WEEK}&limit=1000&offset=9223372036854775807").json() == page(
        [], 5, limit=1000, offset=9223372036854775807)


def test_from_and_to_are_required(api):
    r = api.get(events_path())
    assert (r.status_code, r.json()) == bad({"filter[from]": [MISSING], "filter[to]": [MISSING]})


@pytest.mark.parametrize("value", ["2027-01-15", "2027-01-15 09:00", "15.01.2027 09:00:00", "now",
                                   "2027-02-30 00:00:00", "9999-12-31 23:59:59", "2027-01-15 09:00:00%00"])
def test_a_malformed_from_is_400(api, listing, value):
    r = listing(f"filter[from]={value}&filter[to]=2027-03-01 00:00:00")
    assert (r.status_code, r.json()) == bad({"filter[from]": [DATE]})


@pytest.mark.parametrize("to", ["2027-01-11 00:00:00", "2027-01-10 23:59:59"])
def test_to_must_be_after_from(api, listing, to):
    r = listing(f"filter[from]=2027-01-11 00:00:00&filter[to]={to}")
    assert (r.status_code, r.json()) == bad({"filter[to]": [ORDER]})


def test_a_period_starting_in_the_past_of_the_location_is_400(api, listing):
    # "Now" is 2027-01-10 12:00 UTC: 13:00 in Prague, 07:00 in New York.
    r = listing("filter[from]=2027-01-10 12:59:59&filter[to]=2027-01-11 00:00:00")
    assert (r.status_code, r.json()) == bad({"filter[from]": [IN_PAST]})
    assert listing("filter[from]=2027-01-10 13:00:00&filter[to]=2027-01-11 00:00:00").status_code == 200
    assert listing("filter[from]=2027-01-10 07:00:00&filter[to]=2027-01-11 00:00:00", NEW_YORK).status_code == 200
    r = listing("filter[from]=2027-01-10 06:59:59&filter[to]=2027-01-11 00:00:00", NEW_YORK)
    assert (r.status_code, r.json()) == bad({"filter[from]": [IN_PAST]})


def test_every_bad_parameter_is_reported_at_once(api, listing):
    r = listing(f"{WEEK}&filter[master_ids][]=1001&filter[master_ids][]=abc&filter[service_ids]=1,-2"
                      "&filter[capacity]=1000001&search=%00&limit=1001&offset=-1&include[]=nope")
    assert (r.status_code, r.json()) == bad({
        "filter[master_ids]": [NOT_INT],
        "filter[service_ids]": [NOT_INT],
        "filter[capacity]": ["This value should be less than or equal to 1000000."],
        "search": ["This value contains invalid characters."],
        "limit": ["This value should be less than or equal to 1000."],
        "offset": [NOT_INT],
        "include": ["The value you selected is not a valid choice."],
    })


@pytest.mark.parametrize("param, value", [("filter[capacity]", "-1"), ("filter[capacity]", "1.5"),
                                          ("limit", "abc"), ("offset", "1e3"), ("filter[master_ids]", "1;2"),
                                          ("filter[service_ids][]", "99999999999999999999")])
def test_a_parameter_that_is_not_a_count_or_id_is_400(api, listing, param, value):
    r = listing(f"{WEEK}&{param}={value}")
    assert (r.status_code, r.json()) == bad({param.removesuffix("[]"): [NOT_INT]})


def test_too_many_ids_in_a_filter_are_400(api, listing):
    ids = ",".join(str(i) for i in range(1, 1002))
    r = listing(f"{WEEK}&filter[master_ids]={ids}")
    assert (r.status_code, r.json()) == bad({"filter[master_ids]": [
        "This collection should contain 1000 elements or less."]})


def test_a_search_longer_than_255_characters_is_400(api, listing):
    r = listing(f"{WEEK}&search={'y' * 256}")
    assert (r.status_code, r.json()) == bad({"search": [
        "This value is too long. It should have 255 characters or less."]})


def test_unknown_parameters_are_ignored(api, listing):
    created = create_event(api)
    assert listing(f"{WEEK}&filter[colour]=red&page=7").json() == page([created])
