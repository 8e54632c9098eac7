"""Query-string parsing: pages and the three spellings of an array (behaviour 1.6)."""

from __future__ import annotations

import pytest
from starlette.datastructures import QueryParams

from altegio_server.api.query import NOT_INT, page, uint, uint_list


def test_page_defaults_and_values():
    errors: dict = {}
    assert page(QueryParams(""), errors) == (100, 0)
    assert page(QueryParams("limit=5&offset=10"), errors) == (5, 10)
    assert page(QueryParams("limit=1000&offset=9223372036854775807"), errors) == (1000, 2**63 - 1)
    assert page(QueryParams("limit=&offset="), errors) == (100, 0)
    assert errors == {}


@pytest.mark.parametrize("query, errors", [
    ("limit=-1", {"limit": [NOT_INT]}), ("limit=1001", {"limit": ["This value should be less than or equal to 1000."]}),
    ("offset=9223372036854775808", {"offset": [NOT_INT]}), ("limit=٣", {"limit": [NOT_INT]}),
    ("limit=1.0&offset=a", {"limit": [NOT_INT], "offset": [NOT_INT]}), ("offset=%2B1", {"offset": [NOT_INT]}),
])
def test_page_reports_bad_values_per_field(query, errors):
    found: dict = {}
    page(QueryParams(query), found)
    assert found == errors


def test_uint_keeps_the_default_on_error():
    errors: dict = {}
    assert uint(QueryParams("n=x"), "n", errors, default=7) == 7
    assert errors == {"n": [NOT_INT]}


@pytest.mark.parametrize("query", ["ids[]=1&ids[]=2", "ids=1&ids=2", "ids=1,2", "ids[]=1,2", "ids=1, 2,,",
                                   "ids=1&ids[]=2&ids=1"])
def test_arrays_come_in_three_spellings(query):
    errors: dict = {}
    assert sorted(uint_list(QueryParams(query), "ids", errors)) == [1, 2]
    assert errors == {}


@pytest.mark.parametrize("query", ["ids=1,x", "ids[]=-1", "ids=" + "9" * 20, "ids=１"])
def test_arrays_with_a_bad_item_are_refused(query):
    errors: dict = {}
    assert uint_list(QueryParams(query), "ids", errors) == []
    assert errors == {"ids": [NOT_INT]}
