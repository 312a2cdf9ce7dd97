"""event-level stories (issue 20): why articles were merged, editors' splits and merges

A placeholder in the fixed revision chain until its issue's work fills it in.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06
"""

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
