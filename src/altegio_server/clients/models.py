"""What a booking says about its client."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from altegio_server.commands import KEEP, Kept


@dataclass(frozen=True, slots=True)
class ClientDetails:
    """A client as a booking names them, by `id` or else by phone; what it gives overwrites
    what is stored, and a field left KEEP stays as stored (or empty, for a new client)."""

    phone: str  # normalised (rules.normalize_phone)
    name: str | Kept = KEEP
    surname: str | Kept = KEEP
    email: str | Kept = KEEP
    gender: int | Kept = KEEP  # 0 unknown, 1 male, 2 female
    id: int | None = None
    patronymic: str | Kept = KEEP
    birthday: str | None | Kept = KEEP  # YYYY-MM-DD; None: unknown
    custom_fields: tuple[dict[str, Any], ...] | Kept = KEEP  # each with `code` and `value`
    agreements: tuple[dict[str, Any], ...] | Kept = KEEP
