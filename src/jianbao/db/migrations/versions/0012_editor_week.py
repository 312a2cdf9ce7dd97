"""an editor's week without mistakes (issue 15): provisional draft numbers, edited 主要内容

A placeholder in the fixed revision chain until its issue's work fills it in.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06
"""

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
