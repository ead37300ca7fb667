"""Times as the breakdown contract writes them."""

from __future__ import annotations


def timestamp(seconds: float) -> str:
    """``MM:SS.mmm`` (spec 001: "00:02.460")."""
    ms = round(max(0.0, seconds) * 1000.0)
    minutes, rest = divmod(ms, 60_000)
    return f"{minutes:02d}:{rest // 1000:02d}.{rest % 1000:03d}"


def duration_formatted(seconds: float) -> str:
    """``M:SS`` for lists (spec 001: 180.5 s -> "3:00")."""
    total = int(seconds)
    return f"{total // 60}:{total % 60:02d}"
