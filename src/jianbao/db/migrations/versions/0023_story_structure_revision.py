"""the event window's structure revision (issue 19): every story change but new articles

A third row of ``store_revision`` (id 3, :data:`jianbao.db.revision.STRUCTURE`): it
moves for every change of articles, stories or corrections except new articles stored
in order under the article lock, so that an event window in one process reads only the
articles another process added, instead of reading itself again.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07
"""

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.execute(
        "INSERT INTO store_revision (id, value) SELECT 3, value FROM store_revision WHERE id = 2"
    )


def downgrade() -> None:
    op.execute("DELETE FROM store_revision WHERE id = 3")
