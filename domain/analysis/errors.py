"""Reasons an analysis cannot produce a score. No score is ever produced without analysis."""

from domain.errors import DomainError


class AnalysisFailed(DomainError):
    """The analysis ran but could not measure what it needs; ``reason`` is shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason
