"""candidates index and the store revision

Relevant articles by publication time:

The candidates list asks for the relevant articles of a period. With an index on
``relevant`` alone (a yes/no column, a third of the store on one side) SQLite chose it and
read every relevant article ever stored, 30,000 rows at 100,000 articles, to keep the
week's 800. One index on (relevant, published_at) answers the list with a range scan.

Articles by the time they were stored, with their source: the sources page counts each
source's articles of the last week and month, which read the whole table through the
source index before.

The store revision (one row, see jianbao.db.revision) lets the workstation keep computed
lists between requests and know exactly when they are out of date.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_articles_relevant", table_name="articles")
    op.create_index("ix_articles_relevant_published_at", "articles", ["relevant", "published_at"])
    op.create_index("ix_articles_extracted_at_source_id", "articles", ["extracted_at", "source_id"])
    revision_table = op.create_table(
        "store_revision",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("value", sa.BigInteger(), nullable=False),
    )
    op.bulk_insert(revision_table, [{"id": 1, "value": 0}])


def downgrade() -> None:
    op.drop_table("store_revision")
    op.drop_index("ix_articles_extracted_at_source_id", table_name="articles")
    op.drop_index("ix_articles_relevant_published_at", table_name="articles")
    op.create_index("ix_articles_relevant", "articles", ["relevant"])
