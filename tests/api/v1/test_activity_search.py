"""v1 group-event search, its dates and date range, filters and group services (behaviour 7.2)."""

from __future__ import annotations

import pytest

from tests.api.v1.v1_events import (COURT, EVA, JAN, PADEL, PADEL_COURT, PILATES, ROOM_A, ROOM_B, STUDIO_ROOM, TOMAS,
                                    V1, YOGA, create, path, v1_event)
from tests.conftest import NEW_YORK, error

MISSING = "This field is missing. Expected YYYY-MM-DD, a local date of the location."
DATE = "This value is not a valid date. Expected YYYY-MM-DD, a local date of the location."
NOT_INT = "This value should be a non-negative integer."
ORDER = "The end date of the period must be later than the start date"
WEEK = "from=2027-01-11&till=2027-01-17"


@pytest.fixture
def v1(api) -> V1:
    return V1(api)


@pytest.fixture
def get(v1):
    """GET a browsing operation of the Prague location with a query string."""

    def go(tail: str, query: str = ""):
        return v1.get(path(tail=tail) + ("?" + query if query else ""))

    return go


def found(events: list[dict], count: int | None = None) -> dict:
    return {"success": True, "data": events, "meta": {"count": len(events) if count is None else count}}


def bad(errors: dict[str, list[str]]) -> tuple[int, dict]:
    return 400, error(next(iter(errors.values()))[0], errors)


def ids(response) -> list[int]:
    return [e["id"] for e in response.json()["data"]]


# search

def test_search_answers_whole_events_by_start_then_id_without_deleted_or_foreign_ones(v1, get):
    noon = create(v1, date="2027-01-15 12:00")
    morning = create(v1, date="2027-01-15 09:00", staff_id=TOMAS, resource_instance_ids=[ROOM_B])
    same_start = create(v1, date="2027-01-15 09:00", staff_id=JAN, service_id=PADEL)
    deleted = create(v1, date="2027-01-16 09:00")
    v1.delete(path(tail=deleted["id"]))
    create(v1, NEW_YORK, date="2027-01-15 09:00")
    create(v1, date="2027-01-18 09:00")
    r = get("search", WEEK)
    assert (r.status_code, r.json()) == (200, found([morning, same_start, noon]))
    assert morning == v1_event(morning["id"], staff_id=TOMAS, resource_instance_ids=[ROOM_B])


def test_dates_are_local_days_with_till_included_whole(v1, get):
    create(v1, date="2027-01-14 23:59")
    first = create(v1, date="2027-01-15 00:00", staff_id=TOMAS)  # 2027-01-14 23:00 UTC
    last = create(v1, date="2027-01-15 23:59", staff_id=JAN, service_id=PADEL)
    create(v1, date="2027-01-16 00:00", staff_id=TOMAS)
    assert ids(get("search", "from=2027-01-15&till=2027-01-15")) == [first["id"], last["id"]]


def test_past_periods_can_be_searched(v1, get):
    past = create(v1, date="2027-01-03 09:00")
    assert ids(get("search", "from=2027-01-01&till=2027-01-09")) == [past["id"]]


def test_an_empty_period_finds_nothing(get):
    assert get("search", WEEK).json() == found([])


@pytest.mark.parametrize("name, spelling", [
    ("staff_ids", "staff_ids[]=1001&staff_ids[]=1003"), ("staff_ids", "staff_ids=1001&staff_ids=1003"),
    ("staff_ids", "staff_ids=1001,1003"), ("service_ids", "service_ids[]=1021&service_ids[]=1023"),
    ("service_ids", "service_ids=1021&service_ids=1023"), ("service_ids", "service_ids=1021,1023,"),
])
def test_staff_and_service_filters_in_every_array_spelling(v1, get, name, spelling):
    eva = create(v1, staff_id=EVA, date="2027-01-15 09:00")
    create(v1, staff_id=TOMAS, service_id=PILATES, date="2027-01-15 10:00")
    jan = create(v1, staff_id=JAN, service_id=PADEL, date="2027-01-15 11:00")
    assert ids(get("search", f"{WEEK}&{spelling}")) == [eva["id"], jan["id"]]


@pytest.mark.parametrize("spelling", ["resource_ids[]=1031", "resource_ids=1031", "resource_ids=1031,999"])
def test_resource_ids_are_resources_and_match_any_of_their_instances(v1, get, spelling):
    room_a = create(v1, date="2027-01-15 09:00", resource_instance_ids=[ROOM_A])
    room_b = create(v1, date="2027-01-15 09:00", staff_id=TOMAS, resource_instance_ids=[ROOM_B])
    create(v1, date="2027-01-15 09:00", staff_id=JAN, service_id=PADEL, resource_instance_ids=[COURT])
    create(v1, date="2027-01-16 09:00")
    assert ids(get("search", f"{WEEK}&{spelling}")) == [room_a["id"], room_b["id"]]
    assert ids(get("search", f"{WEEK}&resource_ids={ROOM_A}")) == []  # an instance id is no resource id


def test_filters_combine(v1, get):
    create(v1, date="2027-01-15 09:00", resource_instance_ids=[ROOM_A])
    wanted = create(v1, date="2027-01-15 09:00", staff_id=TOMAS, resource_instance_ids=[ROOM_B])
    create(v1, date="2027-01-15 11:00", staff_id=TOMAS)
    query = f"{WEEK}&staff_ids={TOMAS}&service_ids={YOGA}&resource_ids={STUDIO_ROOM}"
    assert ids(get("search", query)) == [wanted["id"]]


def test_pages_of_count_events_and_meta_count_of_all_matches(v1, get):
    events = [create(v1, date=f"2027-01-1{i} 09:00") for i in range(1, 6)]
    assert get("search", f"{WEEK}&count=2").json() == found(events[:2], 5)
    assert get("search", f"{WEEK}&count=2&page=3").json() == found(events[4:], 5)
    assert get("search", f"{WEEK}&count=2&page=4").json() == found([], 5)
    assert get("search", f"{WEEK}&count=300&page=9223372036854775807").json() == found([], 5)


def test_count_defaults_to_25(v1, get):
    for day in range(1, 4):
        for hour in range(9):
            create(v1, date=f"2027-01-1{day} {hour + 9:02d}:00", length=1800, force=True)
    r = get("search", WEEK)
    assert (len(r.json()["data"]), r.json()["meta"]) == (25, {"count": 27})


@pytest.mark.parametrize("query, errors", [
    ("", {"from": [MISSING], "till": [MISSING]}),
    ("from=2027-01-11", {"till": [MISSING]}),
    ("from=&till=2027-01-17", {"from": [MISSING]}),
    ("from=2027-02-30&till=2027-01-17", {"from": [DATE]}),
    ("from=2027-01-11 00:00:00&till=17.01.2027", {"from": [DATE], "till": [DATE]}),
    ("from=1969-12-31&till=3000-01-01", {"from": [DATE], "till": [DATE]}),
    ("from=2027-01-11&till=2027-01-10", {"till": [ORDER]}),
    (f"{WEEK}&page=0", {"page": ["This value should be greater than or equal to 1."]}),
    (f"{WEEK}&count=301", {"count": ["This value should be between 1 and 300."]}),
    (f"{WEEK}&count=0", {"count": ["This value should be between 1 and 300."]}),
    (f"{WEEK}&page=one&count=-5", {"page": [NOT_INT], "count": [NOT_INT]}),
    (f"{WEEK}&page=99999999999999999999", {"page": [NOT_INT]}),
    (f"{WEEK}&staff_ids[]=eva", {"staff_ids": [NOT_INT]}),
    (f"{WEEK}&service_ids=1,x", {"service_ids": [NOT_INT]}),
    (f"{WEEK}&resource_ids=-1", {"resource_ids": [NOT_INT]}),
    (f"{WEEK}&staff_ids=99999999999999999999", {"staff_ids": [NOT_INT]}),
])
def test_bad_search_parameters_are_400_naming_each(get, query, errors):
    r = get("search", query)
    assert (r.status_code, r.json()) == bad(errors)


def test_too_many_ids_are_400(get):
    r = get("search", f"{WEEK}&staff_ids=" + ",".join(str(i) for i in range(1, 1002)))
    assert (r.status_code, r.json()) == bad({"staff_ids": ["This collection should contain 1000 elements or less."]})


def test_a_read_only_user_may_search_and_an_unknown_location_is_404(v1):
    from tests.conftest import READONLY_AUTH

    assert v1.get(path(tail="search") + "?" + WEEK, auth=READONLY_AUTH).status_code == 200
    r = v1.get("/api/v1/activity/999/search?" + WEEK)
    assert (r.status_code, r.json()) == (404, error("Not found"))


# search_dates

def dates(values: list[str]) -> dict:
    return {"success": True, "data": values, "meta": []}


def test_search_dates_lists_the_local_dates_with_a_matching_event(v1, get):
    create(v1, date="2027-01-15 00:00")
    create(v1, date="2027-01-15 18:00")
    create(v1, date="2027-01-17 23:59", staff_id=JAN, service_id=PADEL)
    deleted = create(v1, date="2027-01-16 09:00")
    v1.delete(path(tail=deleted["id"]))
    create(v1, date="2027-01-18 00:00")
    create(v1, NEW_YORK, date="2027-01-12 09:00")
    r = get("search_dates", WEEK)
    assert (r.status_code, r.json()) == (200, dates(["2027-01-15", "2027-01-17"]))
    assert get("search_dates", f"{WEEK}&staff_ids={JAN}").json() == dates(["2027-01-17"])
    assert get("search_dates", f"{WEEK}&resource_ids={PADEL_COURT}").json() == dates([])


def test_search_dates_follow_the_days_of_the_location_across_clock_changes(v1, get):
    create(v1, date="2027-03-28 00:30")
    create(v1, date="2027-03-28 23:30", staff_id=TOMAS)
    create(v1, date="2027-03-29 00:00", staff_id=JAN, service_id=PADEL)
    assert get("search_dates", "from=2027-03-27&till=2027-03-30").json() == dates(["2027-03-28", "2027-03-29"])
    create(v1, NEW_YORK, date="2027-03-14 23:30")  # New York's clocks change that day
    r = v1.get(path(NEW_YORK, "search_dates") + "?from=2027-03-14&till=2027-03-15")
    assert r.json() == dates(["2027-03-14"])


def test_search_dates_over_years_find_far_apart_events(v1, get):
    days = ["2027-01-15", "2027-09-30", "2028-02-29", "2029-12-31"]
    for day in days:
        create(v1, date=f"{day} 09:00")
    assert get("search_dates", "from=2027-01-01&till=2029-12-31").json() == dates(days)
    assert get("search_dates", "from=2027-01-16&till=2029-12-30").json() == dates(days[1:3])
    assert get("search_dates", "from=1970-01-01&till=2999-12-31").json() == dates(days)


def test_bad_search_dates_parameters_are_400(get):
    r = get("search_dates", "till=2027-01-01&staff_ids=x")
    assert (r.status_code, r.json()) == bad({"from": [MISSING], "staff_ids": [NOT_INT]})


# search_dates_range

def date_range(first: str, last: str) -> dict:
    return {"success": True, "data": {"min_date": first, "max_date": last}, "meta": []}


def test_the_date_range_spans_matching_live_events_from_the_location_today_on(v1, get):
    create(v1, date="2027-01-09 09:00")  # yesterday in Prague: left out
    create(v1, date="2027-01-10 09:00")  # earlier today: counts
    create(v1, date="2027-03-01 09:00", staff_id=JAN, service_id=PADEL)
    deleted = create(v1, date="2027-06-01 09:00")
    v1.delete(path(tail=deleted["id"]))
    create(v1, NEW_YORK, date="2027-12-01 09:00")
    r = get("search_dates_range")
    assert (r.status_code, r.json()) == (200, date_range("2027-01-10", "2027-03-01"))
    assert get("search_dates_range", f"staff_ids={JAN}").json() == date_range("2027-03-01", "2027-03-01")
    assert get("search_dates_range", f"service_ids={PILATES}").json() == date_range("", "")


def test_the_date_range_is_two_empty_strings_when_nothing_is_planned(get):
    assert get("search_dates_range").json() == date_range("", "")


def test_the_date_range_is_of_local_dates(v1):
    create(v1, NEW_YORK, date="2027-01-15 23:30")  # 2027-01-16 04:30 UTC
    assert v1.get(path(NEW_YORK, "search_dates_range")).json() == date_range("2027-01-15", "2027-01-15")


def test_bad_date_range_filters_are_400(get):
    r = get("search_dates_range", "resource_ids[]=room")
    assert (r.status_code, r.json()) == bad({"resource_ids": [NOT_INT]})


# filters

def option(id_: int, title: str, disabled: bool) -> dict:
    return {"id": id_, "title": title, "is_disabled": disabled}


def filter_groups(staff: tuple[bool, bool, bool], services: tuple[bool, bool, bool], resources: tuple[bool, bool],
                  category: bool) -> dict:
    """The Prague filters with each choice's `is_disabled`."""
    return {"success": True, "meta": {"count": 4}, "data": [
        {"code": "staff", "title": "Team members", "data": [
            option(1001, "Eva Dvorakova", staff[0]), option(1002, "Tomas Novak", staff[1]),
            option(1003, "Jan Svoboda", staff[2])]},
        {"code": "service", "title": "Services", "data": [
            option(1021, "Morning yoga", services[0]), option(1022, "Pilates mat class", services[1]),
            option(1023, "Padel clinic", services[2])]},
        {"code": "resource", "title": "Resources", "data": [
            option(1031, "Studio room", resources[0]), option(1032, "Padel court", resources[1])]},
        {"code": "service_category", "title": "Service categories", "data": [
            option(1010, "Group classes", category)]},
    ]}


def test_with_no_events_every_choice_is_disabled(get):
    r = get("filters", WEEK)
    assert (r.status_code, r.json()) == (200, filter_groups((True,) * 3, (True,) * 3, (True,) * 2, True))


def test_choices_with_events_in_the_period_are_enabled(v1, get):
    create(v1, date="2027-01-15 09:00", resource_instance_ids=[ROOM_A])
    create(v1, date="2027-01-15 09:00", staff_id=JAN, service_id=PADEL, resource_instance_ids=[COURT])
    create(v1, date="2027-01-20 09:00", staff_id=TOMAS, service_id=PILATES)  # outside the period
    deleted = create(v1, date="2027-01-16 09:00", staff_id=TOMAS, service_id=PILATES)
    v1.delete(path(tail=deleted["id"]))
    assert get("filters", WEEK).json() == filter_groups((False, True, False), (False, True, False), (False, False),
                                                        False)


def test_each_filter_narrows_the_others_but_never_its_own_choices(v1, get):
    create(v1, date="2027-01-15 09:00", resource_instance_ids=[ROOM_A])
    create(v1, date="2027-01-15 09:00", staff_id=JAN, service_id=PADEL, resource_instance_ids=[COURT])
    r = get("filters", f"{WEEK}&staff_ids={EVA}")
    assert r.json() == filter_groups((False, True, False), (False, True, True), (False, True), False)
    r = get("filters", f"{WEEK}&resource_ids={PADEL_COURT}&service_ids={YOGA}")
    assert r.json() == filter_groups((True, True, True), (True, True, False), (False, True), False)


def test_filters_without_dates_look_from_the_location_today_on_without_end(v1, get):
    create(v1, date="2027-01-09 09:00", staff_id=TOMAS, service_id=PILATES)  # yesterday in Prague: left out
    create(v1, date="2027-01-10 09:00", resource_instance_ids=[ROOM_A])  # earlier today: counts
    create(v1, date="2029-06-01 09:00", staff_id=JAN, service_id=PADEL, resource_instance_ids=[COURT])
    expected = filter_groups((False, True, False), (False, True, False), (False, False), False)
    for query in ("", "from=&till="):
        r = get("filters", query)
        assert (r.status_code, r.json()) == (200, expected)


def test_a_filters_date_left_out_is_the_location_today_or_no_end(v1, get):
    create(v1, date="2027-01-09 09:00", staff_id=TOMAS, service_id=PILATES)  # yesterday in Prague
    create(v1, date="2027-01-10 09:00", resource_instance_ids=[ROOM_A])  # today
    create(v1, date="2029-06-01 09:00", staff_id=JAN, service_id=PADEL, resource_instance_ids=[COURT])
    today = filter_groups((False, True, True), (False, True, True), (False, True), False)
    assert get("filters", "till=2027-01-10").json() == today
    assert get("filters", "from=&till=2027-01-10").json() == today
    assert get("filters", "from=2027-01-09").json() == filter_groups((False, False, False), (False, False, False),
                                                                     (False, False), False)
    assert get("filters", "from=2029-01-01").json() == filter_groups((True, True, False), (True, True, False),
                                                                     (True, False), False)


def test_filters_without_dates_narrow_by_the_other_filters(v1, get):
    create(v1, date="2027-01-12 09:00", resource_instance_ids=[ROOM_A])
    r = get("filters", f"service_ids={PADEL}")
    assert (r.status_code, r.json()) == (200, filter_groups((True,) * 3, (False, True, True), (True, True), False))


@pytest.mark.parametrize("query, errors", [
    ("from=2027-01-11&till=2027-01-01", {"till": [ORDER]}),
    ("till=2027-01-09", {"till": [ORDER]}),  # before the location's today
    ("till=2027-13-01", {"till": [DATE]}),
    ("staff_ids=eva", {"staff_ids": [NOT_INT]}),
])
def test_bad_filters_parameters_are_400(get, query, errors):
    r = get("filters", query)
    assert (r.status_code, r.json()) == bad(errors)


@pytest.mark.parametrize("tail", ["search", "search_dates"])
def test_search_and_search_dates_still_need_both_dates(get, tail):
    r = get(tail)
    assert (r.status_code, r.json()) == bad({"from": [MISSING], "till": [MISSING]})


# services

YOGA_SERVICE = {"id": 1021, "title": "Morning yoga", "capacity": 12, "price_min": 15, "price_max": 20, "is_multi": True,
                "category": {"id": 1010, "title": "Group classes"},
                "staff": [{"id": 1001, "name": "Eva Dvorakova", "length": 3600},
                          {"id": 1002, "name": "Tomas Novak", "length": 3600}],
                "resources": [{"id": 1031, "title": "Studio room", "salon_id": 101}]}
PILATES_SERVICE = {**YOGA_SERVICE, "id": 1022, "title": "Pilates mat class", "capacity": 8, "price_min": 18,
                   "price_max": 18, "staff": [{"id": 1001, "name": "Eva Dvorakova", "length": 2700},
                                              {"id": 1002, "name": "Tomas Novak", "length": 2700}]}
PADEL_SERVICE = {"id": 1023, "title": "Padel clinic", "capacity": 4, "price_min": 40, "price_max": 55,
                 "is_multi": True, "category": {"id": 1010, "title": "Group classes"},
                 "staff": [{"id": 1003, "name": "Jan Svoboda", "length": 5400}],
                 "resources": [{"id": 1032, "title": "Padel court", "salon_id": 101}]}


def services(items: list[dict]) -> dict:
    return {"success": True, "data": items, "meta": {"count": len(items)}}


def test_services_are_the_group_event_services_with_their_team_and_resources(get):
    r = get("services")
    assert (r.status_code, r.json()) == (200, services([YOGA_SERVICE, PILATES_SERVICE, PADEL_SERVICE]))


@pytest.mark.parametrize("query, expected", [
    (f"staff_id={JAN}", [PADEL_SERVICE]),
    (f"staff_id={TOMAS}", [YOGA_SERVICE, PILATES_SERVICE]),
    ("staff_id=999999", []),
    ("term=YOGA", [YOGA_SERVICE]),
    ("term=  mat ", [PILATES_SERVICE]),
    ("term=a", [YOGA_SERVICE, PILATES_SERVICE, PADEL_SERVICE]),
    ("term=Personal", []),  # not a group-event service
    (f"staff_id={EVA}&term=pilates", [PILATES_SERVICE]),
    ("term=", [YOGA_SERVICE, PILATES_SERVICE, PADEL_SERVICE]),
])
def test_services_are_filtered_by_team_member_and_title(get, query, expected):
    assert get("services", query).json() == services(expected)


def test_services_of_another_location_are_its_own(v1):
    r = v1.get(path(NEW_YORK, "services") + "?term=padel")
    assert [(s["id"], s["resources"]) for s in r.json()["data"]] == [
        (2023, [{"id": 2032, "title": "Padel court", "salon_id": 102}])]


@pytest.mark.parametrize("query, errors", [
    ("staff_id=eva", {"staff_id": [NOT_INT]}),
    ("staff_id=-1", {"staff_id": [NOT_INT]}),
    ("term=" + "x" * 256, {"term": ["This value is too long. It should have 255 characters or less."]}),
    ("term=%00", {"term": ["This value contains invalid characters."]}),
])
def test_bad_services_parameters_are_400(get, query, errors):
    r = get("services", query)
    assert (r.status_code, r.json()) == bad(errors)
