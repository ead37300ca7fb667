"""Table definitions (SQLAlchemy Core). Domain objects are not ORM models; repositories translate."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    PrimaryKeyConstraint,
    String,
    Table,
    Text,
)
from sqlalchemy import false as sa_false
from sqlalchemy import true as sa_true

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def ts(name: str, nullable: bool = False) -> Column:  # type: ignore[type-arg]
    return Column(name, DateTime(timezone=True), nullable=nullable)


users = Table(
    "users",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("username", String(150), nullable=False, unique=True),
    Column("password_hash", String(255), nullable=True),
    Column("display_name", String(80), nullable=False),
    Column("role", String(16), nullable=False, server_default="user"),
    Column("avatar_url", Text, nullable=True),
    Column("bio", Text, nullable=False, server_default=""),
    Column("level", Integer, nullable=False, server_default="1"),
    Column("preferences", JSON, nullable=False),
    ts("created_at"),
    ts("updated_at"),
    # 0004: the original Bachata Buddy preferences, the instructor flag, the email's look-alike key.
    Column("auto_save_choreographies", Boolean, nullable=False, server_default=sa_true()),
    Column("default_difficulty", String(16), nullable=False, server_default="intermediate"),
    Column("email_notifications", Boolean, nullable=False, server_default=sa_false()),
    Column("is_instructor", Boolean, nullable=False, server_default=sa_false()),
    Column("email_skeleton", String(1024), nullable=True, index=True),
)

oauth_identities = Table(
    "oauth_identities",
    metadata,
    Column("provider", String(32), nullable=False),
    Column("subject", String(255), nullable=False),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    ts("created_at"),
    PrimaryKeyConstraint("provider", "subject"),
)

revoked_tokens = Table(
    "revoked_tokens",
    metadata,
    Column("jti", String(64), primary_key=True),
    ts("expires_at"),
    Index("ix_revoked_tokens_expires_at", "expires_at"),
)

jobs = Table(
    "jobs",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="SET NULL"), nullable=True, index=True),
    Column("status", String(16), nullable=False),
    Column("progress", Float, nullable=False, server_default="0"),
    Column("stage", String(64), nullable=True),
    Column("message", Text, nullable=True),
    Column("payload", JSON, nullable=False),
    Column("result", JSON, nullable=True),
    Column("error", Text, nullable=True),
    ts("created_at"),
    ts("updated_at"),
    ts("started_at", nullable=True),
    ts("finished_at", nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("max_attempts", Integer, nullable=False, server_default="3"),
    ts("lease_until", nullable=True),
    ts("run_after", nullable=True),
    ts("published_at", nullable=True),
    Index("ix_jobs_status_kind", "status", "kind"),
)

dance_sessions = Table(
    "dance_sessions",
    metadata,
    Column("id", String(24), primary_key=True),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False, server_default=""),
    Column("dance_style", String(64), nullable=True),
    Column("location", String(200), nullable=True),
    Column("duration", Integer, nullable=False, server_default="0"),
    Column("tags", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("video_key", String(512), nullable=True),
    Column("thumbnail_key", String(512), nullable=True),
    Column("notes", Text, nullable=True),
    Column("is_public", Boolean, nullable=False, server_default=sa_true()),
    ts("started_at"),
    ts("completed_at", nullable=True),
    ts("created_at"),
    Index("ix_dance_sessions_user_created", "user_id", "created_at"),
)

analyses = Table(
    "analyses",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("kind", String(32), nullable=False, server_default="performance"),
    Column("submission_id", String(64), nullable=True, unique=True),
    Column("user_id", String(24), ForeignKey("users.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("job_id", String(24), nullable=True),
    Column("status", String(16), nullable=False),
    Column("progress", Float, nullable=False, server_default="0"),
    Column("source_url", Text, nullable=True),
    Column("source_key", String(512), nullable=True),
    Column("challenge_type", String(64), nullable=True),
    Column("target_bpm", Float, nullable=True),
    Column("reference_key", String(512), nullable=True),
    Column("pose_data_key", String(512), nullable=True),
    Column("report", JSON, nullable=True),
    Column("error", Text, nullable=True),
    ts("created_at"),
    ts("updated_at"),
    ts("completed_at", nullable=True),
    Index("ix_analyses_status", "status"),
)
