"""an editor's week without mistakes (issue 15): provisional draft numbers, edited 主要内容

A draft's number is provisional (renumbered by construction in jianbao.editions.
issue_store, in the existing ``issues.number`` column); what the editor writes as an
item's 主要内容 is kept on the item (``issue_items.body``), the article's own text is
never changed, and an empty body prints the article's text as before.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("issue_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("body", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("issue_items", schema=None) as batch_op:
        batch_op.drop_column("body")
