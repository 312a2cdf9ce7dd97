"""the workstation at 1,000,000 articles on PostgreSQL (issue 19): indexes its pages need

Empty on purpose, kept so the revision chain stays fixed: EXPLAIN ANALYZE on the
1,000,000-article store showed the candidates' period queries already use the
published-date index (11 ms for a week, 123 ms for 30 days); the pages' time went to
ranking and rendering, which the workstation's per-revision page cache answers.

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
