"""analyses get their own id and kind (a submission finds its analysis by submission_id); jobs get stage and message

Revision ID: 0005
Revises: 0004
"""
import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_COMMON = (
    "user_id", "job_id", "status", "progress", "source_url", "source_key", "challenge_type", "target_bpm",
    "reference_key", "pose_data_key", "report", "error", "created_at", "updated_at", "completed_at",
)


def ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _analysis_columns() -> list[sa.schema.SchemaItem]:
    return [
        sa.Column("user_id", sa.String(24), nullable=False),
        sa.Column("job_id", sa.String(24), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("progress", sa.Float, nullable=False, server_default="0"),
        sa.Column("source_url", sa.Text, nullable=True),
        sa.Column("source_key", sa.String(512), nullable=True),
        sa.Column("challenge_type", sa.String(64), nullable=True),
        sa.Column("target_bpm", sa.Float, nullable=True),
        sa.Column("reference_key", sa.String(512), nullable=True),
        sa.Column("pose_data_key", sa.String(512), nullable=True),
        sa.Column("report", sa.JSON, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        ts("created_at"),
        ts("updated_at"),
        ts("completed_at", nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="CASCADE", name="fk_analyses_user_id_users"),
    ]


def upgrade() -> None:
    # A new table and a copy: the primary key changes, and this runs alike on SQLite and PostgreSQL.
    op.create_table(
        "analyses_new",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False, server_default="performance"),
        sa.Column("submission_id", sa.String(64), nullable=True),
        *_analysis_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_analyses_id"),
        sa.UniqueConstraint("submission_id", name="uq_analyses_submission_id"),
    )
    cols = ", ".join(_COMMON)
    # Analyses made before this revision keep their submission id as their own id.
    op.execute(f"INSERT INTO analyses_new (id, kind, submission_id, {cols}) "
               f"SELECT submission_id, 'performance', submission_id, {cols} FROM analyses")
    op.drop_index("ix_analyses_status", table_name="analyses")
    op.drop_index("ix_analyses_user_id", table_name="analyses")
    op.drop_table("analyses")
    op.rename_table("analyses_new", "analyses")
    op.create_index("ix_analyses_user_id", "analyses", ["user_id"])
    op.create_index("ix_analyses_status", "analyses", ["status"])
    op.add_column("jobs", sa.Column("stage", sa.String(64), nullable=True))
    op.add_column("jobs", sa.Column("message", sa.Text, nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("jobs") as batch:
        batch.drop_column("message")
        batch.drop_column("stage")
    op.create_table(
        "analyses_old",
        sa.Column("submission_id", sa.String(64), nullable=False),
        *_analysis_columns(),
        sa.PrimaryKeyConstraint("submission_id", name="pk_analyses"),
    )
    cols = ", ".join(_COMMON)
    op.execute(f"INSERT INTO analyses_old (submission_id, {cols}) "
               f"SELECT submission_id, {cols} FROM analyses WHERE submission_id IS NOT NULL")
    op.drop_index("ix_analyses_status", table_name="analyses")
    op.drop_index("ix_analyses_user_id", table_name="analyses")
    op.drop_table("analyses")
    op.rename_table("analyses_old", "analyses")
    op.create_index("ix_analyses_user_id", "analyses", ["user_id"])
    op.create_index("ix_analyses_status", "analyses", ["status"])
