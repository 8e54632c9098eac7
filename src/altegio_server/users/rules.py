"""Pure rules about users: what a login is, and what a valid name, phone, e-mail and password are."""

from __future__ import annotations

import re

from altegio_server.errors import FieldErrors
from altegio_server.phones import phone_key

NAME_MAX = 255
EMAIL_MAX = 255
PASSWORD_MIN, PASSWORD_MAX = 8, 1024
PHONE_DIGITS_MIN, PHONE_DIGITS_MAX = 7, 15  # E.164 allows at most 15 digits

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+")
_PHONE = re.compile(r"[0-9\s+\-().]+")  # ASCII digits: a phone has one key (behaviour 16.5)


def is_email(login: str) -> bool:
    """A login with an `@` is an e-mail; any other is a phone."""
    return "@" in login


def new_user_errors(name: str, email: str | None, phone: str | None) -> FieldErrors:
    """Field errors of a new user's name and logins (empty when valid)."""
    errors: FieldErrors = {}
    if not name.strip() or len(name) > NAME_MAX:
        errors["name"] = [f"A name of 1 to {NAME_MAX} characters is needed"]
    if email is None and phone is None:
        errors["login"] = ["An e-mail or a phone is needed to log in with"]
    if email is not None and (len(email) > EMAIL_MAX or not _EMAIL.fullmatch(email)):
        errors["email"] = [f"Not an e-mail address: {email!r}"]
    if phone is not None:
        digits = len(phone_key(phone))
        if not _PHONE.fullmatch(phone) or not PHONE_DIGITS_MIN <= digits <= PHONE_DIGITS_MAX:
            errors["phone"] = [f"Not a phone number: {phone!r} "
                               f"(use {PHONE_DIGITS_MIN} to {PHONE_DIGITS_MAX} digits, e.g. +420601000001)"]
    return errors


def password_problem(password: str) -> str | None:
    """Why a new password is refused, or None."""
    if not PASSWORD_MIN <= len(password) <= PASSWORD_MAX:
        return f"The password must have {PASSWORD_MIN} to {PASSWORD_MAX} characters"
    if "\x00" in password:
        return "The password must not contain NUL characters"
    return None
