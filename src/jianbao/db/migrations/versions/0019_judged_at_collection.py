"""sentiment, risk and scope judged at collection; re-judging (issues 17, 18)

A placeholder in the fixed revision chain until its issue's work fills it in.

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07
"""

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
