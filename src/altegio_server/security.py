"""Secrets: tokens are stored as SHA-256 digests, passwords as scrypt hashes.

Tokens are long random strings, so a plain digest is enough to keep them useless if the
database leaks, and it lets a request find its token by an indexed equality lookup.
Passwords are short and guessable, so they get a slow, salted hash.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
# No token longer than this can be loaded or sent: this server issues 32 characters, and a
# fixture may bring the vendor's or its own up to this length (behaviour 9.2).
MAX_TOKEN_LENGTH = 1024


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token(nbytes: int = 16) -> str:
    """A fresh token: 32 hex characters, like the vendor's user tokens."""
    return secrets.token_hex(nbytes)


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8", "surrogatepass"), salt=salt, **_SCRYPT)
    return f"scrypt${_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Constant-time check of a password against its stored hash."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    try:
        candidate = hashlib.scrypt(
            password.encode("utf-8", "surrogatepass"),
            salt=bytes.fromhex(salt),
            n=int(n),
            r=int(r),
            p=int(p),
        )
    except ValueError:  # a damaged stored hash verifies nothing
        return False
    return hmac.compare_digest(candidate.hex(), digest)


def same_digest(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
