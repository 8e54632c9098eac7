"""Phone numbers: the one spelling they are matched, stored and shown in (behaviour 16.5).

Pure functions. A phone is matched by its key, the phone without the punctuation people type
(`+`, spaces, dashes, brackets, dots): `+420 601 000-001`, `420601000001` and
`(420) 601.000.001` are one phone. It is stored and shown as `+` and its key.
"""

from __future__ import annotations

import re

# The characters a key drops. users/repository.py repeats this set in SQL (the expression of
# the index users_phone_login): keep the two equal.
_PUNCTUATION = re.compile(r"[\s+().\-]")


def phone_key(text: str) -> str:
    """The phone as it is matched: without `+`, spaces, dashes, brackets and dots."""
    return _PUNCTUATION.sub("", text)


def stored_phone(text: str) -> str:
    """The phone as it is stored and shown: `+` and its key; `""` for no phone."""
    key = phone_key(text)
    return "+" + key if key else ""
