"""alerts 预警 (issue 18): rules, alerts, sentiment and risk per article

A placeholder in the fixed revision chain until its issue's work fills it in.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
