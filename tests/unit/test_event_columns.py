"""An event is built straight from a row's values, so its fields must follow the columns."""

from __future__ import annotations

import re

import orjson

from altegio_server.api.envelopes import Encoded
from altegio_server.bounded import BoundedCache
from altegio_server.caches import Caches
from altegio_server.config import Settings
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

    encoded, kept = Encoded(present), BoundedCache(10_000)
    assert encoded(kept, (1, "a")) == orjson.dumps({"n": 1, "s": "a"})
    assert encoded(kept, (1, "a")) == b'{"n":1,"s":"a"}'
    assert encoded(kept, (1, "b")) == b'{"n":1,"s":"b"}'  # one field changed: presented again
    assert calls == [(1, "a"), (1, "b")]
    encoded(kept, (2, "c"))
    encoded(kept, (1, "b"))
    assert calls == [(1, "a"), (1, "b"), (2, "c")]


def test_only_the_latest_version_of_a_value_is_kept():
    encoded, kept = Encoded(lambda v: {"n": v[0], "s": v[1]}), BoundedCache(10 * 1024 * 1024)
    for version in range(200):
        encoded(kept, (1, "x" * 1000 + str(version)))
    assert len(kept) == 1 and kept.bytes < 4000


def test_kept_encodings_stay_within_their_byte_budget():
    import tracemalloc

    encoded, kept = Encoded(lambda v: {"n": v[0], "padding": "x" * 500}), BoundedCache(300_000)
    tracemalloc.start()
    try:
        for n in range(2000):
            encoded(kept, (n,))
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert kept.bytes <= 300_000 and len(kept) < 2000
    assert held < 2 * 300_000  # the byte count follows what is really held


def test_an_encoding_over_a_64th_of_the_budget_is_not_kept():
    caches = Caches(Settings(event_cache_bytes=64 * 1024))
    encoded = Encoded(lambda v: {"n": v[0], "s": v[1]})
    encoded(caches.events, (1, "x" * 2000))
    assert len(caches.events) == 0
