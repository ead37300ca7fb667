"""Errors the domain raises; the HTTP edge maps each kind to one status code."""


class DomainError(Exception):
    """Base for rule violations; ``message`` is safe to show to a client."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    pass


class Conflict(DomainError):
    pass


class Forbidden(DomainError):
    pass


class InvalidInput(DomainError):
    """A value that passed schema validation but breaks a rule (a bad file key, a bad range)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Unauthenticated(DomainError):
    pass


class TooLarge(DomainError):
    """More bytes than a rule or a signed link allows."""
