"""relevance on real pages (issue 17): the daily's own scope

``articles.scope``: a wider scope an article is in besides relevance — the daily
broadcast's 卫生健康与数字经济政策 (national policy on health and the digital economy), which
its candidate list reaches while the weekly's does not. Null for the articles stored
before (re-judging fills it); normalised text needs no column (it is made when judged).

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("articles", sa.Column("scope", sa.String(50), nullable=True))


def downgrade() -> None:
    op.drop_column("articles", "scope")
