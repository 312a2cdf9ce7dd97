"""the event window's own revision (issue 21): a counter that only article and story changes move

A placeholder in the fixed revision chain until its issue's work fills it in.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07
"""

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
