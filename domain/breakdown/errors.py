"""Reasons a breakdown cannot be made; ``reason`` is shown to the user."""

from domain.errors import DomainError


class BreakdownFailed(DomainError):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
