"""Client field rules: phones, e-mails and birthdays (pure functions)."""

from __future__ import annotations

import re
from datetime import date

from altegio_server.phones import stored_phone

_PHONE = re.compile(r"\+?[0-9]{5,20}")  # ASCII digits, so one number has one spelling
_PHONE_NOISE = re.compile(r"[\s().\-]")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

BAD_PHONE = "This value is not a valid phone number."
BAD_EMAIL = "This value is not a valid email address."
BAD_DATE = "This value is not a valid date. Expected YYYY-MM-DD."  # names the format (behaviour 13.1)
BLANK = "This value should not be blank."
PHONE_TAKEN = "Another client of this location has this phone number"
# Behaviour 16.7: a deleted client keeps their phone, and creating a client with it revives them.
PHONE_OF_DELETED = ("A deleted client of this location has this phone number; "
                    "create a client with it to bring that client back")


def normalize_phone(phone: str) -> str:
    """The phone as stored and matched (behaviour 16.5): `+420 601 000-001` is `+420601000001`,
    and so is `420601000001`."""
    return stored_phone(phone)


def phone_problem(phone: str) -> str | None:
    """A phone is 5 to 20 digits, with an optional leading `+` and any spaces, dashes, brackets, dots."""
    return None if _PHONE.fullmatch(_PHONE_NOISE.sub("", phone)) else BAD_PHONE


def email_problem(email: str) -> str | None:
    """An e-mail may be left empty; when given it must look like one."""
    return None if email == "" or _EMAIL.fullmatch(email) else BAD_EMAIL


def date_problem(text: str) -> str | None:
    if not _DATE.fullmatch(text):
        return BAD_DATE
    try:
        date.fromisoformat(text)
    except ValueError:
        return BAD_DATE
    return None


def blank_problem(text: str) -> str | None:
    return None if text.strip() else BLANK
