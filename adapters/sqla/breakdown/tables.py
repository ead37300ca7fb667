"""The breakdowns table, on the same ``metadata`` as the rest (migration 0006)."""

from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Index, String, Table, Text

from adapters.sqla.tables import metadata, ts

breakdowns = Table(
    "breakdowns",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("job_id", String(24), nullable=True),
    Column("status", String(16), nullable=False),  # processing | completed | failed
    Column("mode", String(16), nullable=False),
    Column("target_difficulty", String(16), nullable=False),
    Column("video_url", Text, nullable=True),
    Column("file_key", String(512), nullable=True),
    Column("answer", JSON, nullable=True),  # spec 001's POST answer without media links
    Column("playable_key", String(512), nullable=True),
    Column("outline_key", String(512), nullable=True),
    Column("thumbnail_key", String(512), nullable=True),
    Column("error", Text, nullable=True),
    ts("created_at"),
    ts("updated_at"),
    ts("completed_at", nullable=True),
    # A user's history, newest first; the videos screen: completed ones of everyone, newest first.
    Index("ix_breakdowns_user_created", "user_id", "created_at"),
    Index("ix_breakdowns_status_created", "status", "created_at"),
)
