"""community: challenges, submissions (one per user and challenge), likes, comments, job runs; feed indexes

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "challenges",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("difficulty", sa.String(32), nullable=False),
        ts("start_time"),
        ts("end_time"),
        sa.Column("demo_video_key", sa.String(512), nullable=True),
        sa.Column("demo_video_url", sa.Text, nullable=True),
        sa.Column("thumbnail_url", sa.Text, nullable=True),
        sa.Column("points", sa.Integer, nullable=False, server_default="100"),
        sa.Column("badge_name", sa.String(200), nullable=True),
        sa.Column("badge_icon_url", sa.Text, nullable=True),
        sa.Column("category", sa.String(64), nullable=True),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("scoring_criteria", sa.JSON, nullable=False),
        sa.Column("is_active", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column("created_by", sa.String(24), nullable=True),
        ts("created_at"),
        ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_challenges"),
        sa.ForeignKeyConstraint(["created_by"], ["users.id"], ondelete="SET NULL",
                                name="fk_challenges_created_by_users"),
    )
    op.create_index("ix_challenges_window", "challenges", ["start_time", "end_time"])
    op.create_index("ix_challenges_end_time", "challenges", ["end_time"])
    op.create_table(
        "challenge_labels",
        sa.Column("challenge_id", sa.String(24), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("value", sa.String(64), nullable=False),
        sa.PrimaryKeyConstraint("challenge_id", "kind", "value", name="pk_challenge_labels"),
        sa.ForeignKeyConstraint(["challenge_id"], ["challenges.id"], ondelete="CASCADE",
                                name="fk_challenge_labels_challenge_id_challenges"),
    )
    op.create_index("ix_challenge_labels_kind_value", "challenge_labels", ["kind", "value"])
    op.create_table(
        "challenge_submissions",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("challenge_id", sa.String(24), nullable=False),
        sa.Column("user_id", sa.String(24), nullable=False),
        sa.Column("session_id", sa.String(24), nullable=True),
        sa.Column("video_key", sa.String(512), nullable=False),
        sa.Column("video_size", sa.Integer, nullable=True),
        sa.Column("video_duration", sa.Float, nullable=True),
        sa.Column("caption", sa.Text, nullable=False, server_default=""),
        sa.Column("tags", sa.JSON, nullable=False),
        sa.Column("location", sa.String(200), nullable=True),
        sa.Column("is_public", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("shared_to_feed", sa.Boolean, nullable=False, server_default=sa.true()),
        sa.Column("highlight_text", sa.Text, nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("total_score", sa.Float, nullable=True),
        sa.Column("breakdown", sa.JSON, nullable=True),
        sa.Column("feedback", sa.Text, nullable=True),
        sa.Column("confidence", sa.Float, nullable=True),
        sa.Column("pose_data_key", sa.String(512), nullable=True),
        sa.Column("badge", sa.String(32), nullable=True),
        sa.Column("analysis_error", sa.Text, nullable=True),
        sa.Column("likes_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("comments_count", sa.Integer, nullable=False, server_default="0"),
        sa.Column("shares", sa.Integer, nullable=False, server_default="0"),
        ts("submitted_at"),
        ts("processed_at", nullable=True),
        ts("updated_at"),
        sa.PrimaryKeyConstraint("id", name="pk_challenge_submissions"),
        sa.UniqueConstraint("challenge_id", "user_id", name="uq_challenge_submissions_challenge_user"),
        sa.ForeignKeyConstraint(["challenge_id"], ["challenges.id"], ondelete="CASCADE",
                                name="fk_challenge_submissions_challenge_id_challenges"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_challenge_submissions_user_id_users"),
        sa.ForeignKeyConstraint(["session_id"], ["dance_sessions.id"], ondelete="SET NULL",
                                name="fk_challenge_submissions_session_id_dance_sessions"),
    )
    op.create_index("ix_challenge_submissions_leaderboard", "challenge_submissions",
                    ["challenge_id", sa.text("total_score DESC"), "submitted_at", "id"],
                    postgresql_include=["is_public", "user_id"])
    feed_subs = sa.text("is_public AND shared_to_feed")
    op.create_index("ix_challenge_submissions_feed", "challenge_submissions", ["submitted_at", "id"],
                    postgresql_where=feed_subs, sqlite_where=feed_subs)
    op.create_index("ix_challenge_submissions_challenge_time", "challenge_submissions",
                    ["challenge_id", "submitted_at"])
    op.create_index("ix_challenge_submissions_user_time", "challenge_submissions", ["user_id", "submitted_at"])
    op.create_index("ix_challenge_submissions_status_time", "challenge_submissions", ["status", "submitted_at"])
    feed_sessions = sa.text("is_public AND status = 'completed'")
    op.create_index("ix_dance_sessions_feed", "dance_sessions", ["created_at", "id"],
                    postgresql_where=feed_sessions, sqlite_where=feed_sessions)
    op.create_table(
        "submission_likes",
        sa.Column("submission_id", sa.String(24), nullable=False),
        sa.Column("user_id", sa.String(24), nullable=False),
        ts("created_at"),
        sa.PrimaryKeyConstraint("submission_id", "user_id", name="pk_submission_likes"),
        sa.ForeignKeyConstraint(["submission_id"], ["challenge_submissions.id"], ondelete="CASCADE",
                                name="fk_submission_likes_submission_id_challenge_submissions"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_submission_likes_user_id_users"),
    )
    op.create_table(
        "submission_comments",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("submission_id", sa.String(24), nullable=False),
        sa.Column("user_id", sa.String(24), nullable=False),
        sa.Column("text", sa.Text, nullable=False),
        ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_submission_comments"),
        sa.ForeignKeyConstraint(["submission_id"], ["challenge_submissions.id"], ondelete="CASCADE",
                                name="fk_submission_comments_submission_id_challenge_submissions"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_submission_comments_user_id_users"),
    )
    op.create_index("ix_submission_comments_submission_time", "submission_comments", ["submission_id", "created_at"])
    op.create_table(
        "job_runs",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("kind", sa.String(64), nullable=False),
        ts("started_at"),
        ts("finished_at"),
        sa.Column("details", sa.JSON, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_job_runs"),
    )
    op.create_index("ix_job_runs_kind_finished", "job_runs", ["kind", "finished_at"])


def downgrade() -> None:
    op.drop_index("ix_job_runs_kind_finished", table_name="job_runs")
    op.drop_table("job_runs")
    op.drop_index("ix_submission_comments_submission_time", table_name="submission_comments")
    op.drop_table("submission_comments")
    op.drop_table("submission_likes")
    op.drop_index("ix_dance_sessions_feed", table_name="dance_sessions")
    for name in ("status_time", "user_time", "challenge_time", "feed", "leaderboard"):
        op.drop_index(f"ix_challenge_submissions_{name}", table_name="challenge_submissions")
    op.drop_table("challenge_submissions")
    op.drop_index("ix_challenge_labels_kind_value", table_name="challenge_labels")
    op.drop_table("challenge_labels")
    op.drop_index("ix_challenges_end_time", table_name="challenges")
    op.drop_index("ix_challenges_window", table_name="challenges")
    op.drop_table("challenges")
