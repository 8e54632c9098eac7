"""Domain errors. They know nothing of HTTP; api/errors.py maps each to a status and envelope.

    DomainError
     ├── Unauthenticated      tokens missing or unknown
     ├── AccessDenied         no (write) access to the location, or a protected object
     ├── NotFound             unknown or invisible id
     ├── InvalidRequest       malformed parameters, or a request the operation refuses outright
     ├── ValidationFailed     well-formed, but breaks a rule (field errors)
     │    ├── NoSeats         fewer free seats in the event than asked for
     │    ├── AlreadyBooked   the client already holds an active appointment in the event
     │    └── Refused         a refusal the vendor numbers (`code`), as online booking gives them
     ├── Busy                 a team member or resource is taken at that time
     ├── Conflict             the request clashes with what the server holds (a sandbox control)
     ├── Unavailable          the database cannot take the command now: a wait ran out, or
     │                        the database file is gone; nothing was written, try again later
     └── TooManyRequests      too many password attempts; try again after `retry_after` seconds
"""

from __future__ import annotations

FieldErrors = dict[str, list[str]]


class DomainError(Exception):
    default_message = "An error has occurred"

    def __init__(self, message: str | None = None, errors: FieldErrors | None = None, *,
                 reason: str | None = None) -> None:
        self.errors: FieldErrors = errors or {}
        # Why, in words for the server log; never sent to the caller (behaviour 13.2).
        self.reason = reason
        if message is None:
            message = next(iter(self.errors.values()))[0] if self.errors else self.default_message
        self.message = message
        super().__init__(message)


class Unauthenticated(DomainError):
    default_message = "Authentication needed."


class AccessDenied(DomainError):
    default_message = "Access denied."


class NotFound(DomainError):
    default_message = "Not found"


class InvalidRequest(DomainError):
    default_message = "Bad request"


class ValidationFailed(DomainError):
    default_message = "An error has occurred"


class NoSeats(ValidationFailed):
    pass


class AlreadyBooked(ValidationFailed):
    pass


class Refused(ValidationFailed):
    """The vendor's numbered refusal of an online booking (behaviour 18.3): `code` and a message."""

    def __init__(self, code: int, message: str) -> None:
        self.code = code
        super().__init__(message)


class Busy(DomainError):
    default_message = "The team member or resource is busy at this time"


class Conflict(DomainError):
    default_message = "Conflict"


class Unavailable(DomainError):
    """Nothing was written; `retry_after` is how many seconds a client should wait (behaviour 11.1)."""

    default_message = "The service is temporarily unavailable, try again later"

    def __init__(self, message: str | None = None, retry_after: int = 1) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class TooManyRequests(DomainError):
    """The vendor's wording for its rate limit, with the real number of seconds (behaviour 9.5)."""

    def __init__(self, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(f"Превышен лимит запросов, попробуйте повторить запрос через {retry_after} секунд.")


def field_error(field: str, message: str, kind: type[DomainError] = ValidationFailed) -> DomainError:
    """Shorthand for a one-field error, the commonest kind."""
    return kind(message, {field: [message]})
