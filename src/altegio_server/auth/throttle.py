"""How fast passwords may be tried: per login and per client address (behaviour 9.5).

Counted per server process, in fixed windows that start at a key's first attempt; the
limits hold for each process, so N worker processes allow up to N times as many.
"""

from __future__ import annotations

import math
import time
from typing import Callable

from altegio_server.bounded import BoundedCache
from altegio_server.errors import TooManyRequests
from altegio_server.phones import phone_key
from altegio_server.security import token_digest
from altegio_server.users import rules

ENTRY_BYTES = 512  # a key of at most 64 characters and its [start, count] window
MAX_ADDRESS = 64


def login_key(login: str) -> str:
    """One key per account however its login is spelled (case, phone punctuation); a digest,
    so every key has the same small size."""
    login = login.strip()
    normal = login.lower() if rules.is_email(login) else phone_key(login)
    return "login:" + token_digest(normal)


class LoginThrottle:
    def __init__(self, per_login: int, per_address: int, window: float, max_entries: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.per_login, self.per_address, self.window, self.clock = per_login, per_address, window, clock
        self._windows: BoundedCache[str, list[float]] = BoundedCache(
            max_entries * ENTRY_BYTES, max_entries=max_entries, max_item_bytes=ENTRY_BYTES, ttl=window, clock=clock)

    def attempt(self, login: str, address: str | None) -> None:
        """Count one password attempt; TooManyRequests (not counted) once a limit is spent."""
        limits = [(login_key(login), self.per_login), ("address:" + (address or "")[:MAX_ADDRESS], self.per_address)]
        limits = [(key, limit) for key, limit in limits if limit > 0 and self.window > 0]
        now = self.clock()
        windows = [(key, limit, self._windows.get(key)) for key, limit in limits]
        for _, limit, window in windows:
            if window is not None and window[1] >= limit:
                raise TooManyRequests(retry_after=max(1, math.ceil(window[0] + self.window - now)))
        for key, _, window in windows:
            if window is None:
                self._windows.put(key, [now, 1], ENTRY_BYTES)
            else:
                window[1] += 1
