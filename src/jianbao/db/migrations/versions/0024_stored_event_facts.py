"""each article's event facts stored with it (issue 19): made once, outside the article lock

``articles.event_facts`` holds what the event stage reads of an article's headline and
lead (jianbao.stored_facts), made where the article is prepared, so that the processes
storing side by side read them instead of each making them again under the store's
article lock. Existing rows get none: their facts are made when a window reads them, as
before.

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("event_facts", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("event_facts")
