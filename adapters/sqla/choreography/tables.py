"""Choreography tables, on the same ``metadata`` as the rest (migrations 0008 and 0009)."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy import false as sa_false

from adapters.sqla.tables import metadata, ts

songs = Table(
    "songs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("title", String(200), nullable=False),
    Column("artist", String(200), nullable=False),
    Column("genre", String(32), nullable=True),
    Column("audio_key", String(512), nullable=False),
    Column("status", String(16), nullable=False),
    Column("bpm", Float, nullable=True),  # from the analysis, for filters and ordering
    Column("duration", Float, nullable=True),
    Column("analysis", JSON, nullable=True),  # SongAnalysis.to_dict()
    Column("error", Text, nullable=True),
    Column("generated", Boolean, nullable=False, server_default=sa_false()),
    ts("created_at"),
    ts("updated_at"),
    Index("ix_songs_title", "title"),
    Index("ix_songs_bpm", "bpm"),
)

choreography_tasks = Table(
    "choreography_tasks",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("song_id", Integer, ForeignKey("songs.id", ondelete="CASCADE"), nullable=False),
    Column("difficulty", String(16), nullable=False),
    Column("energy_level", String(16), nullable=False),
    Column("style", String(16), nullable=False),
    Column("status", String(16), nullable=False),
    Column("stage", String(32), nullable=False),
    Column("progress", Integer, nullable=False, server_default="0"),
    Column("message", Text, nullable=False, server_default=""),
    Column("parameters", JSON, nullable=False),
    Column("query", Text, nullable=True),
    Column("fingerprint", String(40), nullable=False),
    Column("job_id", String(24), nullable=True),
    Column("result", JSON, nullable=True),
    Column("error", Text, nullable=True),
    Column("cancelled", Boolean, nullable=False, server_default=sa_false()),
    ts("created_at"),
    ts("updated_at"),
    ts("completed_at", nullable=True),
    Index("ix_choreography_tasks_user_created", "user_id", "created_at"),
    Index("ix_choreography_tasks_fingerprint", "fingerprint", "created_at"),
)

choreography_collections = Table(
    "choreography_collections",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("task_id", String(36), ForeignKey("choreography_tasks.id", ondelete="SET NULL"), nullable=True),
    Column("title", String(200), nullable=False),
    Column("difficulty", String(16), nullable=False),
    Column("notes", Text, nullable=False, server_default=""),
    Column("duration", Float, nullable=False),
    Column("video_key", String(512), nullable=True),
    Column("music_info", JSON, nullable=False),
    Column("generation_parameters", JSON, nullable=False),
    ts("created_at"),
    ts("updated_at"),
    UniqueConstraint("user_id", "task_id", name="uq_collections_user_task"),
    Index("ix_collections_user_created", "user_id", "created_at"),
    Index("ix_collections_video_key", "video_key"),
)

class_plans = Table(
    "class_plans",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("instructor_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("difficulty_level", String(16), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    ts("created_at"),
    ts("updated_at"),
    Index("ix_class_plans_instructor", "instructor_id", "created_at"),
)

class_plan_sequences = Table(
    "class_plan_sequences",
    metadata,
    Column("plan_id", String(36), ForeignKey("class_plans.id", ondelete="CASCADE"), nullable=False),
    Column("choreography_id", String(36), nullable=False),  # the task id
    Column("position", Integer, nullable=False),
    Column("title", String(200), nullable=False),
    Column("duration", Float, nullable=False),
    Column("difficulty", String(16), nullable=False),
    Column("num_moves", Integer, nullable=False),
    Column("move_labels", JSON, nullable=False),
    Column("video_key", String(512), nullable=True),
    Column("notes", Text, nullable=False, server_default=""),
    PrimaryKeyConstraint("plan_id", "choreography_id"),  # a choreography appears once per plan
    UniqueConstraint("plan_id", "position", name="uq_plan_sequence_position"),
    Index("ix_plan_sequences_video_key", "video_key"),
)
