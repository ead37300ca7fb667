"""Swing-coach tables, on the shared ``metadata`` (migration 0007). Ids are random 53-bit integers."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Column, Float, ForeignKey, Index, Integer, String, Table, Text

from adapters.sqla.tables import metadata, ts

swing_videos = Table(
    "swing_videos",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("file_key", String(512), nullable=False),
    Column("filename", String(255), nullable=False),
    Column("content_type", String(128), nullable=False),
    Column("size", BigInteger, nullable=False),
    Column("title", String(200), nullable=True),
    Column("declared", JSON, nullable=False),  # the client's metadata part, as sent
    Column("duration", Float, nullable=False),
    Column("width", Integer, nullable=False),
    Column("height", Integer, nullable=False),
    Column("fps", Float, nullable=False),
    Column("status", String(16), nullable=False),
    ts("created_at"),
    Index("ix_swing_videos_user_id", "user_id"),
)

swing_analyses = Table(
    "swing_analyses",
    metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("video_id", BigInteger, ForeignKey("swing_videos.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("job_id", String(24), nullable=True),
    Column("status", String(16), nullable=False),
    Column("stage", String(32), nullable=True),
    Column("progress", Float, nullable=False, server_default="0"),
    Column("playback_speed", Float, nullable=False),
    Column("result", JSON, nullable=True),
    Column("composited_video_key", String(512), nullable=True),
    Column("error", Text, nullable=True),
    ts("created_at"),
    ts("updated_at"),
    ts("completed_at", nullable=True),
    Index("ix_swing_analyses_video_id", "video_id", "created_at"),
    Index("ix_swing_analyses_user_id_created_at", "user_id", "created_at"),
)
