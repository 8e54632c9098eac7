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


# What a search may sort by (behaviour 16.6). The vendor's other keys (discount, visit dates,
# money, visits) are the same for every client here, so they sort by id alone.
ORDER_COLUMNS = ("id", "name", "phone", "email")


@dataclass(frozen=True, slots=True)
class ClientQuery:
    """Which of a location's live clients a search or list wants, in which order and which page.

    Every condition left None is no condition; the others must all hold, or with `any_of`
    one of them (behaviour 16.6).
    """

    ids: tuple[int, ...] | None = None
    text: str | None = None  # part of the name, e-mail or phone
    fullname: str | None = None  # part of the name
    phone: str | None = None  # part of the number, any punctuation
    email: str | None = None  # part of the e-mail
    genders: tuple[int, ...] | None = None
    born_from: str | None = None  # YYYY-MM-DD, inclusive
    born_to: str | None = None
    changed_after: str | None = None  # ISO 8601; without an offset, local time of the location
    changed_before: str | None = None
    nothing: bool = False  # a condition no client here can meet (e.g. a loyalty card)
    any_of: bool = False
    order_by: str = "id"
    descending: bool = False
    limit: int = 25
    offset: int = 0
