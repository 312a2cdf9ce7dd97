"""scale-out on Celery (issue 19): what concurrent workers need of the store

A placeholder in the fixed revision chain until its issue's work fills it in.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06
"""

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
