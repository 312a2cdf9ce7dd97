"""delivery log: one row per issue revision x channel x part

Each part of an issue sent to a channel has a row: its state (pending, sending, sent,
failed), attempts, the platform's short answer and the times. A part is marked sending
before its request and sent or failed after the answer, so a killed send resumes with the
parts not yet sent and never sends again a part the platform accepted. Sending anew starts
a new round; previews of drafts and notices (reminders, alerts) are logged here too.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

import jianbao.db.types

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("issue_id", sa.Integer(), nullable=True),
        sa.Column("channel", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("purpose", sa.String(length=10), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("answer", sa.Text(), nullable=False),
        sa.Column("error", sa.Text(), nullable=False),
        sa.Column("created_at", jianbao.db.types.AwareDateTime(timezone=True), nullable=False),
        sa.Column("attempted_at", jianbao.db.types.AwareDateTime(timezone=True), nullable=True),
        sa.Column("finished_at", jianbao.db.types.AwareDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["issue_id"], ["issues.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("issue_id", "channel", "purpose", "round", "part"),
    )
    op.create_index("ix_deliveries_issue_id", "deliveries", ["issue_id"])
    op.create_index("ix_deliveries_channel_attempted_at", "deliveries", ["channel", "attempted_at"])


def downgrade() -> None:
    op.drop_index("ix_deliveries_channel_attempted_at", table_name="deliveries")
    op.drop_index("ix_deliveries_issue_id", table_name="deliveries")
    op.drop_table("deliveries")
