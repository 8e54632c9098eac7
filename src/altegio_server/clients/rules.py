"""Client field rules: phones, e-mails and birthdays (pure functions)."""

from __future__ import annotations

import re
from datetime import date

_PHONE_NOISE = re.compile(r"[\s().\-]")
_PHONE = re.compile(r"\+?[0-9]{5,20}")  # ASCII digits, so one number has one spelling
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

BAD_PHONE = "This value is not a valid phone number."
BAD_EMAIL = "This value is not a valid email address."
BAD_DATE = "This value is not a valid date. Expected YYYY-MM-DD."  # names the format (behaviour 13.1)
BLANK = "This value should not be blank."
PHONE_TAKEN = "Another client of this location has this phone number"


def normalize_phone(phone: str) -> str:
    """The phone as stored and matched: without spaces, dots, dashes and brackets.

    `+420 601 000-001` and `+420601000001` are one client's phone.
    """
    return _PHONE_NOISE.sub("", phone)


def phone_problem(phone: str) -> str | None:
    return None if _PHONE.fullmatch(normalize_phone(phone)) else BAD_PHONE


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
