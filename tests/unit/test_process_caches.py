"""The caches of one server process, built from Settings (behaviour 9.1, 9.2, 9.5)."""

from __future__ import annotations

import pytest

from altegio_server.auth.service import Principal
from altegio_server.auth.throttle import ENTRY_BYTES, LoginThrottle
from altegio_server.caches import GRANT_BYTES, HEADER_ITEM_BYTES, Caches
from altegio_server.config import Settings
from altegio_server.errors import TooManyRequests
from altegio_server.security import token_digest

GRANT = Principal(user_id=1, location_id=101, read_only=False)


def test_every_limit_is_read_from_its_environment_variable():
    env = {"ALTEGIO_AUTH_CACHE_SECONDS": "2.5", "ALTEGIO_AUTH_CACHE_ENTRIES": "7",
           "ALTEGIO_HEADER_CACHE_BYTES": "9000", "ALTEGIO_EVENT_CACHE_BYTES": "123456",
           "ALTEGIO_LOGIN_ATTEMPTS": "4", "ALTEGIO_LOGIN_ADDRESS_ATTEMPTS": "40",
           "ALTEGIO_LOGIN_WINDOW_SECONDS": "30", "ALTEGIO_LOGIN_THROTTLE_ENTRIES": "50"}
    s = Settings.from_env(env)
    assert (s.auth_cache_seconds, s.auth_cache_entries, s.header_cache_bytes, s.event_cache_bytes,
            s.login_attempts, s.login_address_attempts, s.login_window_seconds, s.login_throttle_entries) == \
        (2.5, 7, 9000, 123456, 4, 40, 30.0, 50)
    caches = Caches(s)
    assert (caches.grants.max_entries, caches.grants.ttl, caches.events.max_bytes, caches.accept.max_bytes) == \
        (7, 2.5, 123456, 9000)


def test_the_defaults_are_bounded():
    s = Settings()
    assert (s.auth_cache_seconds, s.auth_cache_entries, s.header_cache_bytes, s.event_cache_bytes) == \
        (1.0, 4096, 256 * 1024, 16 * 1024 * 1024)
    assert (s.login_attempts, s.login_address_attempts, s.login_window_seconds, s.login_throttle_entries) == \
        (10, 100, 60.0, 10_000)


def test_grants_are_bounded_in_entries_and_bytes():
    caches = Caches(Settings(auth_cache_entries=100, auth_cache_seconds=60))
    for location in range(10_000):
        caches.grants.put((token_digest("p"), token_digest("u"), location), GRANT, GRANT_BYTES)
    assert len(caches.grants) == 100 and caches.grants.bytes <= 100 * GRANT_BYTES
    assert caches.grants.get((token_digest("p"), token_digest("u"), 9_999)) == GRANT
    caches.forget_grants()
    assert len(caches.grants) == 0


def test_a_zero_auth_cache_lifetime_keeps_no_grant():
    caches = Caches(Settings(auth_cache_seconds=0))
    caches.grants.put(("p", "u", 1), GRANT, GRANT_BYTES)
    assert caches.grants.get(("p", "u", 1)) is None


@pytest.mark.parametrize("name", ["authorization", "accept", "digests"])
def test_header_caches_keep_short_headers_but_never_long_ones(name):
    cache = getattr(Caches(Settings(header_cache_bytes=64 * 1024)), name)
    for i in range(10_000):
        cache.recall(f"Bearer {i:032x}, User {i:032x}", len)
    assert 0 < len(cache) and cache.bytes <= 64 * 1024
    cache.clear()
    for i in range(100):
        cache.recall(f"{i}" + "x" * 1000, len)
    assert len(cache) == 0 and HEADER_ITEM_BYTES < 1100


def test_the_login_throttle_keeps_at_most_its_entries():
    throttle = LoginThrottle(per_login=1, per_address=0, window=60, max_entries=100)
    for i in range(10_000):
        throttle.attempt(f"user{i}@example.com" + "😀" * 200, "10.0.0.1")
    assert len(throttle._windows) == 100 and throttle._windows.bytes <= 100 * ENTRY_BYTES
    with pytest.raises(TooManyRequests) as refused:
        throttle.attempt("user9999@example.com" + "😀" * 200, "10.0.0.1")
    assert refused.value.retry_after == 60


def test_sqlite_keeps_its_translated_statements_within_a_byte_budget():
    from altegio_server.db import sqlite

    many_ids = ", ".join(f"${i}" for i in range(1, 3001))
    for n in range(300):  # statements as long as a filter of 3,000 ids makes: never kept
        assert sqlite._translate(f"SELECT {n} WHERE id IN ({many_ids})").endswith("?3000)")
    for n in range(20_000):
        assert sqlite._translate(f"SELECT $1 + {n}") == f"SELECT ?1 + {n}"
    assert sqlite._TRANSLATED.bytes <= 2 * 1024 * 1024
