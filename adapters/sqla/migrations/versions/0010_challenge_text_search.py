"""challenge search: trigram indexes on the lower-cased title and description (PostgreSQL)

The search matches ``lower(title) LIKE '%words%' OR lower(description) LIKE '%words%'``; a B-tree cannot serve an
infix pattern, a pg_trgm GIN index can (two of them, combined by a BitmapOr). SQLite scans, as before.

Revision ID: 0010
Revises: 0009
"""
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")  # a trusted extension (PostgreSQL 13+): no superuser
    op.execute("CREATE INDEX ix_challenges_title_trgm ON challenges USING gin (lower(title) gin_trgm_ops)")
    op.execute("CREATE INDEX ix_challenges_description_trgm ON challenges USING gin (lower(description) gin_trgm_ops)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP INDEX IF EXISTS ix_challenges_description_trgm")
    op.execute("DROP INDEX IF EXISTS ix_challenges_title_trgm")
