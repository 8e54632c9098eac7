"""Every cache a server process keeps between requests, each sized from `Settings`
(behaviour 9.1). One instance per application, reached through `Deps.caches`."""

from __future__ import annotations

from altegio_server.auth.throttle import LoginThrottle
from altegio_server.bounded import BoundedCache
from altegio_server.config import Settings

GRANT_BYTES = 1024  # one kept grant: two 64-character digests, a location id, a principal
HEADER_ITEM_BYTES = 1024  # an Authorization or Accept header of ~256 characters, with its parse


class Caches:
    def __init__(self, settings: Settings | None = None) -> None:
        s = settings or Settings()
        # Access granted in the last moment (behaviour 9.2): a burst of requests with the same
        # tokens asks the database once. Only grants are kept, never refusals.
        self.grants: BoundedCache = BoundedCache(s.auth_cache_entries * GRANT_BYTES, max_entries=s.auth_cache_entries,
                                                 max_item_bytes=GRANT_BYTES, ttl=s.auth_cache_seconds)
        # Clients send the same headers on every request: their parses and the tokens' digests
        # are kept, each cache within its own budget; over-long headers are never kept.
        self.authorization: BoundedCache = BoundedCache(s.header_cache_bytes, max_item_bytes=HEADER_ITEM_BYTES)
        self.accept: BoundedCache = BoundedCache(s.header_cache_bytes, max_item_bytes=HEADER_ITEM_BYTES)
        self.digests: BoundedCache = BoundedCache(s.header_cache_bytes, max_item_bytes=HEADER_ITEM_BYTES)
        # The JSON of events, one version per event (behaviour 9.3); a value bigger than 1/64
        # of the budget is encoded on every request instead.
        self.events: BoundedCache = BoundedCache(s.event_cache_bytes, max_item_bytes=s.event_cache_bytes // 64)
        self.logins = LoginThrottle(s.login_attempts, s.login_address_attempts, s.login_window_seconds,
                                    s.login_throttle_entries)

    def forget_grants(self) -> None:
        """Call after changing tokens, passwords or access: this process forgets what it granted."""
        self.grants.clear()
