"""imported issues' own 导语 and what an import kept (issue 16)

A back issue's 导语 is the editors' text of its day — its own count, period and wording —
and a daily broadcast's day heading may carry a note the calendar would not give. Both
were lost at import (the view computed them anew), so an opened or re-rendered back issue
said something it never said. ``issues.lead`` and ``issues.heading`` keep them: NULL for
an issue composed here, whose 导语 and heading are still computed from its items.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lead", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("heading", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("issues", schema=None) as batch_op:
        batch_op.drop_column("heading")
        batch_op.drop_column("lead")
