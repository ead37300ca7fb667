"""Community tables, on the same ``metadata`` as the rest (migration 0003)."""

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
    text,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true

from adapters.sqla.tables import dance_sessions, metadata, ts

challenges = Table(
    "challenges",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("type", String(64), nullable=False),
    Column("difficulty", String(32), nullable=False),
    ts("start_time"),
    ts("end_time"),
    Column("demo_video_key", String(512), nullable=True),
    Column("demo_video_url", Text, nullable=True),
    Column("thumbnail_url", Text, nullable=True),
    Column("points", Integer, nullable=False, server_default="100"),
    Column("badge_name", String(200), nullable=True),
    Column("badge_icon_url", Text, nullable=True),
    Column("category", String(64), nullable=True),
    Column("categories", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("scoring_criteria", JSON, nullable=False),
    Column("is_active", Boolean, nullable=False, server_default=sa_false()),
    Column("created_by", String(24), ForeignKey("users.id", ondelete="SET NULL"), nullable=True),
    ts("created_at"),
    ts("updated_at"),
    Index("ix_challenges_window", "start_time", "end_time"),
    Index("ix_challenges_end_time", "end_time"),
)

# Tags and categories one row each, so filters and listings are plain indexed SQL on both databases.
challenge_labels = Table(
    "challenge_labels",
    metadata,
    Column("challenge_id", String(24), ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(16), nullable=False),  # "tag" | "category"
    Column("value", String(64), nullable=False),
    PrimaryKeyConstraint("challenge_id", "kind", "value"),
    Index("ix_challenge_labels_kind_value", "kind", "value"),
)

challenge_submissions = Table(
    "challenge_submissions",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("challenge_id", String(24), ForeignKey("challenges.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("session_id", String(24), ForeignKey("dance_sessions.id", ondelete="SET NULL"), nullable=True),
    Column("video_key", String(512), nullable=False),
    Column("video_size", Integer, nullable=True),
    Column("video_duration", Float, nullable=True),
    Column("caption", Text, nullable=False, server_default=""),
    Column("tags", JSON, nullable=False),
    Column("location", String(200), nullable=True),
    Column("is_public", Boolean, nullable=False, server_default=sa_true()),
    Column("shared_to_feed", Boolean, nullable=False, server_default=sa_true()),
    Column("highlight_text", Text, nullable=True),
    Column("status", String(16), nullable=False),
    Column("total_score", Float, nullable=True),
    Column("breakdown", JSON, nullable=True),
    Column("feedback", Text, nullable=True),
    Column("confidence", Float, nullable=True),
    Column("pose_data_key", String(512), nullable=True),
    Column("badge", String(32), nullable=True),
    Column("analysis_error", Text, nullable=True),
    Column("likes_count", Integer, nullable=False, server_default="0"),
    Column("comments_count", Integer, nullable=False, server_default="0"),
    Column("shares", Integer, nullable=False, server_default="0"),
    ts("submitted_at"),
    ts("processed_at", nullable=True),
    ts("updated_at"),
    # One submission per user and challenge: the database decides a race.
    UniqueConstraint("challenge_id", "user_id", name="uq_challenge_submissions_challenge_user"),
)
# Leaderboard pages: ranked by score desc, then earlier submission, straight off this index.
Index("ix_challenge_submissions_leaderboard", challenge_submissions.c.challenge_id,
      challenge_submissions.c.total_score.desc(), challenge_submissions.c.submitted_at, challenge_submissions.c.id,
      postgresql_include=["is_public", "user_id"])
# Feed pages: public and shared, newest first. Partial indexes: a bare boolean qual does not make a leading
# boolean column "constant" for ordering, so the flags go in the predicate and the order columns lead.
_FEED_SUBMISSIONS = text("is_public AND shared_to_feed")
_FEED_SESSIONS = text("is_public AND status = 'completed'")
Index("ix_challenge_submissions_feed", challenge_submissions.c.submitted_at, challenge_submissions.c.id,
      postgresql_where=_FEED_SUBMISSIONS, sqlite_where=_FEED_SUBMISSIONS)
Index("ix_challenge_submissions_challenge_time", challenge_submissions.c.challenge_id,
      challenge_submissions.c.submitted_at)
Index("ix_challenge_submissions_user_time", challenge_submissions.c.user_id, challenge_submissions.c.submitted_at)
Index("ix_challenge_submissions_status_time", challenge_submissions.c.status, challenge_submissions.c.submitted_at)
Index("ix_dance_sessions_feed", dance_sessions.c.created_at, dance_sessions.c.id,
      postgresql_where=_FEED_SESSIONS, sqlite_where=_FEED_SESSIONS)

submission_likes = Table(
    "submission_likes",
    metadata,
    Column("submission_id", String(24), ForeignKey("challenge_submissions.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    ts("created_at"),
    PrimaryKeyConstraint("submission_id", "user_id"),
)

submission_comments = Table(
    "submission_comments",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("submission_id", String(24), ForeignKey("challenge_submissions.id", ondelete="CASCADE"), nullable=False),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("text", Text, nullable=False),
    ts("created_at"),
    Index("ix_submission_comments_submission_time", "submission_id", "created_at"),
)

job_runs = Table(
    "job_runs",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("kind", String(64), nullable=False),
    ts("started_at"),
    ts("finished_at"),
    Column("details", JSON, nullable=False),
    Index("ix_job_runs_kind_finished", "kind", "finished_at"),
)
