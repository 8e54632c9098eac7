"""An event is built straight from a row's values, so its fields must follow the columns."""

from __future__ import annotations

import re

import orjson

from altegio_server.api.envelopes import Encoded
from altegio_server.events.repository import EVENT_COLUMNS, GET_ONE
from altegio_server.events.service import Event


def _names(columns: str) -> list[str]:
    return [re.split(r"\s+AS\s+|\.", part.strip())[-1] for part in columns.split(",")]


def test_the_event_fields_follow_the_selected_columns():
    assert _names(EVENT_COLUMNS) + ["timezone"] == list(Event._fields)
    assert f"SELECT {EVENT_COLUMNS}, l.timezone FROM" in GET_ONE


def test_kept_encodings_follow_every_change_of_the_value():
    calls = []

    def present(value):
        calls.append(value)
        return {"n": value[0], "s": value[1]}

    encoded = Encoded(present, max_entries=2)
    assert encoded((1, "a")) == orjson.dumps({"n": 1, "s": "a"})
    assert encoded((1, "a")) == b'{"n":1,"s":"a"}'
    assert encoded((1, "b")) == b'{"n":1,"s":"b"}'  # one field changed: presented again
    assert calls == [(1, "a"), (1, "b")]
    encoded((2, "c"))  # over the limit: the oldest goes
    encoded((1, "a"))
    assert calls == [(1, "a"), (1, "b"), (2, "c"), (1, "a")]


def test_kept_encodings_take_about_their_own_size():
    import tracemalloc

    encoded = Encoded(lambda n: {"n": n, "padding": "x" * 500})
    tracemalloc.start()
    try:
        for n in range(2000):
            encoded(n)
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert held < 2000 * 1500  # ~550 bytes of JSON each, plus the key and the dict's slot
