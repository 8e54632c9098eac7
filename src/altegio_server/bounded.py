"""A least-recently-used map bounded in bytes and in entries, with optional expiry (behaviour 9.1).

Every cache the server keeps between requests is one of these, so that no sequence of
requests can make a process hold more than the sum of their budgets. Sizes are what the
caller says an entry costs (its key and value, from `sys.getsizeof`) plus a fixed
`OVERHEAD` for the map's own slot, node and tuple; an entry bigger than `max_item_bytes`
is never kept, so one huge value cannot push out everything else.
"""

from __future__ import annotations

import sys
import time
from collections import OrderedDict
from typing import Any, Callable, Generic, Hashable, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

OVERHEAD = 200  # bytes: the OrderedDict slot and link, the (value, size, expiry) tuple


def size_of(*parts: Any) -> int:
    """What a key and value made of strings, bytes and small scalars cost, with the overhead."""
    total = OVERHEAD
    for part in parts:
        if isinstance(part, tuple):
            total += sys.getsizeof(part) + sum(sys.getsizeof(p) for p in part)
        else:
            total += sys.getsizeof(part)
    return total


class BoundedCache(Generic[K, V]):
    """LRU map with a byte budget, an entry limit and, with `ttl`, entries that expire.

    `ttl` is in monotonic seconds (not the domain clock, which tests may freeze); with
    `ttl <= 0` nothing is ever kept.
    """

    def __init__(self, max_bytes: int, *, max_entries: int | None = None, max_item_bytes: int | None = None,
                 ttl: float | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_bytes = max(0, max_bytes)
        self.max_entries = max_entries
        self.max_item_bytes = self.max_bytes if max_item_bytes is None else min(max_item_bytes, self.max_bytes)
        self.ttl, self.clock = ttl, clock
        self.bytes = 0
        self._items: OrderedDict[K, tuple[V, int, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: K, default: Any = None) -> V | Any:
        item = self._items.get(key)
        if item is None:
            return default
        if self.ttl is not None and item[2] < self.clock():
            self._drop(key)
            return default
        self._items.move_to_end(key)
        return item[0]

    def recall(self, key: K, compute: Callable[[K], V]) -> V:
        """The value kept for `key`, or `compute(key)`, then kept if it fits."""
        item = self._items.get(key)  # get(), inlined: this runs several times per request
        if item is not None and (self.ttl is None or item[2] >= self.clock()):
            self._items.move_to_end(key)
            return item[0]
        value = compute(key)
        self.put(key, value, size_of(key, value))
        return value

    def put(self, key: K, value: V, size: int) -> bool:
        """Keep `value` under `key` if it fits; older entries make room. Whether it was kept."""
        if size > self.max_item_bytes or (self.ttl is not None and self.ttl <= 0):
            self._drop(key)  # a stale smaller value must not outlive a refused replacement
            return False
        self._drop(key)
        expires = self.clock() + self.ttl if self.ttl is not None else 0.0
        self._items[key] = (value, size, expires)
        self.bytes += size
        limit = self.max_entries
        while self.bytes > self.max_bytes or (limit is not None and len(self._items) > limit):
            _, (_, dropped, _) = self._items.popitem(last=False)
            self.bytes -= dropped
        return True

    def clear(self) -> None:
        self._items.clear()
        self.bytes = 0

    def _drop(self, key: K) -> None:
        item = self._items.pop(key, None)
        if item is not None:
            self.bytes -= item[1]
