"""Tag entities (behaviour 6): numbers and slugs."""

from __future__ import annotations

from typing import Any

COMMON, CLIENT, RECORD, ACTIVITY = 0, 1, 2, 3
SLUGS = {COMMON: "common", CLIENT: "client", RECORD: "record", ACTIVITY: "activity"}
BY_SLUG = {slug: number for number, slug in SLUGS.items()}
BY_DIGIT = {str(number): number for number in SLUGS}
INVALID_ENTITY = "Invalid entity type"


def parse_entity(value: Any, slugs: bool = True) -> int | None:
    """An entity number from an int, a numeric string or (if `slugs`) a slug; None if it is none of the four."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value in SLUGS else None
    if isinstance(value, str):
        text = value.strip().lower()
        if text in BY_DIGIT:
            return BY_DIGIT[text]
        if slugs and text in BY_SLUG:
            return BY_SLUG[text]
    return None
