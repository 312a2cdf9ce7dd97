"""the workstation at 1,000,000 articles on PostgreSQL (issue 19): indexes its pages need

A placeholder in the fixed revision chain until its issue's work fills it in.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07
"""

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
