"""event-level stories (issue 20): why articles were merged, editors' splits and merges

``story_links`` holds, for an article the event stage joined to a story, the article it
matched, the score and the reasons shown in the candidates list; ``story_corrections``
the editors' splits and merges, from which the stage learns its threshold.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from jianbao.db.types import AwareDateTime

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "story_links",
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), primary_key=True),
        sa.Column("matched_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("at", AwareDateTime(), nullable=False),
    )
    op.create_table(
        "story_corrections",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("other_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.String(length=10), nullable=False),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("editor", sa.String(length=100), nullable=False),
        sa.Column("at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_story_corrections_article_id", "story_corrections", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_story_corrections_article_id", table_name="story_corrections")
    op.drop_table("story_corrections")
    op.drop_table("story_links")
