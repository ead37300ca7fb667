"""choreography: songs (integer ids, the analysis as JSON) and choreography tasks

Revision ID: 0008
Revises: 0007
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def ts(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "songs",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("artist", sa.String(200), nullable=False),
        sa.Column("genre", sa.String(32), nullable=True),
        sa.Column("audio_key", sa.String(512), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("bpm", sa.Float, nullable=True),
        sa.Column("duration", sa.Float, nullable=True),
        sa.Column("analysis", sa.JSON, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("generated", sa.Boolean, nullable=False, server_default=sa.false()),
        ts("created_at"),
        ts("updated_at"),
    )
    op.create_index("ix_songs_title", "songs", ["title"])
    op.create_index("ix_songs_bpm", "songs", ["bpm"])
    op.create_table(
        "choreography_tasks",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("user_id", sa.String(24), sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
        sa.Column("song_id", sa.Integer, sa.ForeignKey("songs.id", ondelete="CASCADE"), nullable=False),
        sa.Column("difficulty", sa.String(16), nullable=False),
        sa.Column("energy_level", sa.String(16), nullable=False),
        sa.Column("style", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("stage", sa.String(32), nullable=False),
        sa.Column("progress", sa.Integer, nullable=False, server_default="0"),
        sa.Column("message", sa.Text, nullable=False, server_default=""),
        sa.Column("parameters", sa.JSON, nullable=False),
        sa.Column("query", sa.Text, nullable=True),
        sa.Column("fingerprint", sa.String(40), nullable=False),
        sa.Column("job_id", sa.String(24), nullable=True),
        sa.Column("result", sa.JSON, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("cancelled", sa.Boolean, nullable=False, server_default=sa.false()),
        ts("created_at"),
        ts("updated_at"),
        ts("completed_at", nullable=True),
    )
    op.create_index("ix_choreography_tasks_user_created", "choreography_tasks", ["user_id", "created_at"])
    op.create_index("ix_choreography_tasks_fingerprint", "choreography_tasks", ["fingerprint", "created_at"])


def downgrade() -> None:
    op.drop_table("choreography_tasks")
    op.drop_table("songs")
