"""users: the original Bachata Buddy preferences, is_instructor, and each email's look-alike key

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

from adapters.security.confusables import skeleton

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.add_column(sa.Column("auto_save_choreographies", sa.Boolean, nullable=False,
                                   server_default=sa.true()))
        batch.add_column(sa.Column("default_difficulty", sa.String(16), nullable=False,
                                   server_default="intermediate"))
        batch.add_column(sa.Column("email_notifications", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("is_instructor", sa.Boolean, nullable=False, server_default=sa.false()))
        batch.add_column(sa.Column("email_skeleton", sa.String(1024), nullable=True))
    op.create_index("ix_users_email_skeleton", "users", ["email_skeleton"])
    # Existing accounts get their key, so a look-alike of any of them is refused from now on.
    bind = op.get_bind()
    users = sa.table("users", sa.column("id", sa.String), sa.column("email", sa.String),
                     sa.column("email_skeleton", sa.String))
    rows = bind.execute(sa.select(users.c.id, users.c.email)).all()
    for user_id, email in rows:
        bind.execute(sa.update(users).where(users.c.id == user_id).values(email_skeleton=skeleton(email)))


def downgrade() -> None:
    op.drop_index("ix_users_email_skeleton", table_name="users")
    with op.batch_alter_table("users") as batch:
        for name in ("email_skeleton", "is_instructor", "email_notifications", "default_difficulty",
                     "auto_save_choreographies"):
            batch.drop_column(name)
