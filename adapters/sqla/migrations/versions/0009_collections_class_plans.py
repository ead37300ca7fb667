"""choreography: saved collections, instructors' class plans and their ordered sequences

Revision ID: 0009
Revises: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "choreography_collections",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.String(24), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("task_id", sa.String(36), sa.ForeignKey("choreography_tasks.id", ondelete="SET NULL"),
                  nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("difficulty", sa.String(16), nullable=False),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.Column("duration", sa.Float, nullable=False),
        sa.Column("video_key", sa.String(512), nullable=True),
        sa.Column("music_info", sa.JSON, nullable=False),
        sa.Column("generation_parameters", sa.JSON, nullable=False),
        ts("created_at"),
        ts("updated_at"),
        sa.UniqueConstraint("user_id", "task_id", name="uq_collections_user_task"),
    )
    op.create_index("ix_collections_user_created", "choreography_collections", ["user_id", "created_at"])
    op.create_index("ix_collections_video_key", "choreography_collections", ["video_key"])
    op.create_table(
        "class_plans",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("instructor_id", sa.String(24), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("difficulty_level", sa.String(16), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        ts("created_at"),
        ts("updated_at"),
    )
    op.create_index("ix_class_plans_instructor", "class_plans", ["instructor_id", "created_at"])
    op.create_table(
        "class_plan_sequences",
        sa.Column("plan_id", sa.String(36), sa.ForeignKey("class_plans.id", ondelete="CASCADE"), nullable=False),
        sa.Column("choreography_id", sa.String(36), nullable=False),
        sa.Column("position", sa.Integer, nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("duration", sa.Float, nullable=False),
        sa.Column("difficulty", sa.String(16), nullable=False),
        sa.Column("num_moves", sa.Integer, nullable=False),
        sa.Column("move_labels", sa.JSON, nullable=False),
        sa.Column("video_key", sa.String(512), nullable=True),
        sa.Column("notes", sa.Text, nullable=False, server_default=""),
        sa.PrimaryKeyConstraint("plan_id", "choreography_id"),
        sa.UniqueConstraint("plan_id", "position", name="uq_plan_sequence_position"),
    )
    op.create_index("ix_plan_sequences_video_key", "class_plan_sequences", ["video_key"])


def downgrade() -> None:
    op.drop_table("class_plan_sequences")
    op.drop_table("class_plans")
    op.drop_table("choreography_collections")
