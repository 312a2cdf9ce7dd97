"""the event window's own revision (issue 21): a counter that only article and story changes move

A second row of ``store_revision`` (id 2, :data:`jianbao.db.revision.STORIES`): the event
stage's window in a collecting process's memory follows it, so that a source's health
written after every visit (which moves row 1, the workstation's) does not make it read
again.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # start from row 1's value: any window kept before the upgrade is out of step
    op.execute(
        "INSERT INTO store_revision (id, value) SELECT 2, value FROM store_revision WHERE id = 1"
    )


def downgrade() -> None:
    op.execute("DELETE FROM store_revision WHERE id = 2")
