"""Log lines that repeat are let through once per interval, with a count of the rest.

A failing disk or a lost database file makes the same line come back hundreds of times a
second; the one line that says so is worth keeping, the flood is not (behaviour 11.4).
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from typing import Callable


class RepeatFilter(logging.Filter):
    """At most one record per key every `interval` seconds; the next one let through says how
    many were held back. The key is the logger, the level and the message *template* (so one
    failure with changing details is one key). At most `max_keys` keys are remembered, the
    least recently seen forgotten first (with their count)."""

    def __init__(self, interval: float, clock: Callable[[], float] = time.monotonic, max_keys: int = 256) -> None:
        super().__init__()
        self.interval, self.clock, self.max_keys = interval, clock, max_keys
        self._seen: OrderedDict[tuple, list] = OrderedDict()  # key -> [time let through, held back]
        self._lock = threading.Lock()  # the SQLite checkpoint thread logs too

    def filter(self, record: logging.LogRecord) -> bool:
        if self.interval <= 0:
            return True
        key = (record.name, record.levelno, str(record.msg))
        now = self.clock()
        with self._lock:
            seen = self._seen.get(key)
            if seen is not None and now - seen[0] < self.interval:
                seen[1] += 1
                self._seen.move_to_end(key)
                return False
            held = seen[1] if seen is not None else 0
            self._seen[key] = [now, 0]
            self._seen.move_to_end(key)
            while len(self._seen) > self.max_keys:
                self._seen.popitem(last=False)
        if held:
            record.msg = f"{record.getMessage()} ({held} more like this in the last {self.interval:g} s not logged)"
            record.args = None
        return True


def limit_repeats(logger: logging.Logger, interval: float, clock: Callable[[], float] = time.monotonic) -> None:
    """Put one RepeatFilter on `logger`, replacing any put there before."""
    for old in [f for f in logger.filters if isinstance(f, RepeatFilter)]:
        logger.removeFilter(old)
    logger.addFilter(RepeatFilter(interval, clock))
