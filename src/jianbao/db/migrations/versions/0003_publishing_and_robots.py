"""publishing and robots: the override reason and files of a published issue, and
whether a source honours robots.txt (existing sources do)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("check_override", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("files", sa.JSON(), nullable=False, server_default="[]"))

    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("respect_robots", sa.Boolean(), nullable=False, server_default=sa.true())
        )


def downgrade() -> None:
    with op.batch_alter_table("sources", schema=None) as batch_op:
        batch_op.drop_column("respect_robots")

    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_column("files")
        batch_op.drop_column("check_override")
