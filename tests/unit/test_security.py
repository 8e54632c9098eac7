"""Secrets are stored as digests and salted hashes, never as themselves."""

from __future__ import annotations

import pytest

from altegio_server.security import hash_password, new_token, same_digest, token_digest, verify_password


def test_a_token_digest_is_stable_hex_and_not_the_token():
    digest = token_digest("demo-user-token")
    assert digest == token_digest("demo-user-token") != token_digest("demo-user-token ")
    assert len(digest) == 64 and int(digest, 16) >= 0 and "demo" not in digest
    assert token_digest("\udcff") != token_digest("ÿ")  # lone surrogates from odd headers still digest


def test_new_tokens_are_long_and_different():
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100 and all(len(t) == 32 for t in tokens)


def test_a_password_hash_is_salted_and_verifies_only_the_password():
    first, second = hash_password("demo-password"), hash_password("demo-password")
    assert first != second and "demo-password" not in first
    assert first.startswith("scrypt$")
    assert verify_password("demo-password", first) and verify_password("demo-password", second)
    assert not verify_password("demo-passwore", first)
    assert not verify_password("", first)
    assert verify_password("пароль 🔑", hash_password("пароль 🔑"))


@pytest.mark.parametrize("stored", ["", "plain", "md5$1$2$3$aa$bb", "scrypt$x$8$1$aa$bb", "scrypt$16384$8$1$zz$bb",
                                    "scrypt$16384$8$1$aa", "scrypt$3$8$1$aa$bb"])
def test_a_malformed_stored_hash_never_verifies(stored):
    assert verify_password("anything", stored) is False


def test_same_digest_compares_in_constant_time_style():
    assert same_digest("abc", "abc") and not same_digest("abc", "abd")
