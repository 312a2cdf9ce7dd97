"""each article's own link address beside its canonical one, so the link is known (revA 1)

An article is stored under the canonical address its page claims (jianbao.collect.urls.
trusted_canonical). A link whose own address differs from that claim (an http link to a
page that names its https address, a mobile host's link, a redirecting feed link) was
not found among the stored canonical addresses, so its page was fetched, extracted and
judged again on every cycle, to be found "known" at the store. ``articles.fetched_key``
holds the link's address as the store keys it (canonical spelling, bounded like
``canonical_url``) where it differs from ``canonical_url`` (NULL otherwise, most rows),
indexed so that a cycle's "already known?" asks it too. Existing rows get it the next
time one of their links is met (the pipeline writes it on a "known" outcome): no
backfill reads the table here.

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0025"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("fetched_key", sa.String(length=2000), nullable=True))
    op.create_index("ix_articles_fetched_key", "articles", ["fetched_key"])


def downgrade() -> None:
    op.drop_index("ix_articles_fetched_key", table_name="articles")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("fetched_key")
