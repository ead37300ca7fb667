"""Reasons a clip cannot be coached."""

from domain.analysis.errors import AnalysisFailed


class NoSwingFound(AnalysisFailed):
    """The clip holds no golf swing the pose track can show; ``reason`` says what was missing, with numbers."""
