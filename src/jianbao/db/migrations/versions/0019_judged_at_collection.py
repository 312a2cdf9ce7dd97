"""sentiment and risk judged at collection; which judge judged an article (issues 17, 18)

Collection now writes an article's sentiment and risk when it stores it, so "sentiment is
empty" no longer tells the alert pass which articles it has not looked at:
``articles.alerts_seen_at`` does (a partial index keeps finding those few rows cheap in
a large store). Rows the alert pass had judged before count as seen, at the time they
were collected, so upgrading alerts on nothing old.

``articles.judged_with`` is the fingerprint of the judge that judged the article
(jianbao.judge.fingerprint); existing rows get none, so ``jianbao rejudge`` judges them
again with today's judge (the normalised Simplified form, the daily's scope, sentiment
and risk).

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

from jianbao.db.types import AwareDateTime

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

PENDING = sa.text("alerts_seen_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("judged_with", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("alerts_seen_at", AwareDateTime(), nullable=True))
    op.execute("UPDATE articles SET alerts_seen_at = extracted_at WHERE sentiment IS NOT NULL")
    op.create_index(
        "ix_articles_alerts_pending",
        "articles",
        ["id"],
        sqlite_where=PENDING,
        postgresql_where=PENDING,
    )


def downgrade() -> None:
    op.drop_index("ix_articles_alerts_pending", table_name="articles")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("alerts_seen_at")
        batch_op.drop_column("judged_with")
