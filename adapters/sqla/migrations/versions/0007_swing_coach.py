"""swing coach: uploaded swing videos and their analyses (random 53-bit integer ids)

Revision ID: 0007
Revises: 0006
"""
import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "swing_videos",
        sa.Column("id", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("user_id", sa.String(24), nullable=False),
        sa.Column("file_key", sa.String(512), nullable=False),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(128), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("title", sa.String(200), nullable=True),
        sa.Column("declared", sa.JSON, nullable=False),
        sa.Column("duration", sa.Float, nullable=False),
        sa.Column("width", sa.Integer, nullable=False),
        sa.Column("height", sa.Integer, nullable=False),
        sa.Column("fps", sa.Float, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        ts("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_swing_videos"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_swing_videos_user_id_users"),
    )
    op.create_index("ix_swing_videos_user_id", "swing_videos", ["user_id"])
    op.create_table(
        "swing_analyses",
        sa.Column("id", sa.BigInteger, autoincrement=False, nullable=False),
        sa.Column("video_id", sa.BigInteger, nullable=False),
        sa.Column("user_id", sa.String(24), nullable=False),
        sa.Column("job_id", sa.String(24), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(32), nullable=True),
        sa.Column("progress", sa.Float, nullable=False, server_default="0"),
        sa.Column("playback_speed", sa.Float, nullable=False),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("composited_video_key", sa.String(512), nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        ts("created_at"),
        ts("updated_at"),
        ts("completed_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_swing_analyses"),
        sa.ForeignKeyConstraint(["video_id"], ["swing_videos.id"], ondelete="CASCADE",
                                name="fk_swing_analyses_video_id_swing_videos"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE",
                                name="fk_swing_analyses_user_id_users"),
    )
    op.create_index("ix_swing_analyses_video_id", "swing_analyses", ["video_id", "created_at"])
    op.create_index("ix_swing_analyses_user_id_created_at", "swing_analyses", ["user_id", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_swing_analyses_user_id_created_at", table_name="swing_analyses")
    op.drop_index("ix_swing_analyses_video_id", table_name="swing_analyses")
    op.drop_table("swing_analyses")
    op.drop_index("ix_swing_videos_user_id", table_name="swing_videos")
    op.drop_table("swing_videos")
