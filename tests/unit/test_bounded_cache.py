"""The cache every per-process cache is made of: bounded in bytes and entries, never keeping
an over-large item, optionally expiring (behaviour 9.1)."""

from __future__ import annotations

from altegio_server.bounded import OVERHEAD, BoundedCache, size_of


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_least_recently_used_entries_go_first_when_the_bytes_run_out():
    cache = BoundedCache(300)
    cache.put("a", 1, 100)
    cache.put("b", 2, 100)
    cache.put("c", 3, 100)
    assert cache.get("a") == 1  # now the most recent
    cache.put("d", 4, 100)
    assert (cache.get("b"), cache.get("a"), cache.get("c"), cache.get("d")) == (None, 1, 3, 4)
    assert (len(cache), cache.bytes) == (3, 300)


def test_the_entry_limit_holds_whatever_the_sizes():
    cache = BoundedCache(10_000, max_entries=2)
    for key in "abc":
        cache.put(key, key, 1)
    assert (cache.get("a"), cache.get("b"), cache.get("c"), len(cache)) == (None, "b", "c", 2)


def test_an_item_over_the_item_limit_is_never_kept_and_pushes_nothing_out():
    cache = BoundedCache(1000, max_item_bytes=200)
    cache.put("small", 1, 100)
    assert cache.put("huge", 2, 201) is False
    assert (cache.get("huge"), cache.get("small"), cache.bytes) == (None, 1, 100)


def test_a_refused_replacement_drops_the_old_value_too():
    cache = BoundedCache(1000, max_item_bytes=200)
    cache.put("k", "old", 100)
    cache.put("k", "new", 500)
    assert (cache.get("k"), cache.bytes, len(cache)) == (None, 0, 0)


def test_replacing_a_key_counts_its_bytes_once():
    cache = BoundedCache(1000)
    for size in (100, 300, 200):
        cache.put("k", size, size)
    assert (cache.get("k"), cache.bytes, len(cache)) == (200, 200, 1)


def test_entries_expire_after_their_lifetime():
    clock = Clock()
    cache = BoundedCache(1000, ttl=1.0, clock=clock)
    cache.put("k", "v", 10)
    clock.now += 0.99
    assert cache.get("k") == "v"
    clock.now += 0.02
    assert (cache.get("k"), cache.bytes) == (None, 0)


def test_a_zero_lifetime_keeps_nothing():
    cache = BoundedCache(1000, ttl=0)
    assert cache.put("k", "v", 10) is False
    assert cache.get("k") is None


def test_clearing_forgets_everything():
    cache = BoundedCache(1000)
    cache.put("k", "v", 10)
    cache.clear()
    assert (cache.get("k"), cache.bytes, len(cache)) == (None, 0, 0)


def test_recall_computes_once_and_keeps_what_fits():
    calls = []

    def compute(key: str) -> str:
        calls.append(key)
        return key.upper()

    cache = BoundedCache(10_000, max_item_bytes=1000)
    assert cache.recall("abc", compute) == "ABC"
    assert cache.recall("abc", compute) == "ABC"
    long = "x" * 2000
    assert cache.recall(long, compute) == long.upper()
    assert cache.recall(long, compute) == long.upper()
    assert calls == ["abc", long, long]  # the long key was never kept


def test_sizes_count_the_text_held_four_bytes_a_character_for_emoji():
    assert size_of("x" * 1000) - size_of("") == 1000
    assert size_of("😀" * 1000) > OVERHEAD + 4000
    assert size_of(("a" * 100, b"b" * 100)) > OVERHEAD + 200
