"""the archive of back issues (issue 16): imported issues and articles, original files

A placeholder in the fixed revision chain until its issue's work fills it in.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06
"""

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
