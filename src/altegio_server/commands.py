"""What the typed commands of every package share: `KEEP`, for a field a change leaves alone."""

from __future__ import annotations

from enum import Enum
from typing import Literal


class Keep(Enum):
    KEEP = "keep"


# The value of a field that a command does not change: absent from the request, not null.
KEEP = Keep.KEEP
Kept = Literal[Keep.KEEP]
