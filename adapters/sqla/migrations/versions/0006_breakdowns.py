"""breakdowns: one row per requested dance breakdown (spec 001), its answer, media keys or reason

Revision ID: 0006
Revises: 0005
"""
import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "breakdowns",
        sa.Column("id", sa.String(24), nullable=False),
        sa.Column("user_id", sa.String(24), nullable=False),
        sa.Column("job_id", sa.String(24), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("mode", sa.String(16), nullable=False),
        sa.Column("target_difficulty", sa.String(16), nullable=False),
        sa.Column("video_url", sa.Text, nullable=True),
        sa.Column("file_key", sa.String(512), nullable=True),
        sa.Column("answer", sa.JSON, nullable=True),
        sa.Column("playable_key", sa.String(512), nullable=True),
        sa.Column("outline_key", sa.String(512), nullable=True),
        sa.Column("thumbnail_key", sa.String(512), nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        ts("created_at"),
        ts("updated_at"),
        ts("completed_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_breakdowns"),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE", name="fk_breakdowns_user_id_users"),
    )
    op.create_index("ix_breakdowns_user_created", "breakdowns", ["user_id", "created_at"])
    op.create_index("ix_breakdowns_status_created", "breakdowns", ["status", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_breakdowns_status_created", table_name="breakdowns")
    op.drop_index("ix_breakdowns_user_created", table_name="breakdowns")
    op.drop_table("breakdowns")
