"""duty roster: people, rotation, swaps and leave

The 值班表 of issue 13: who is on duty (``roster_people``), how turns go
(``roster_rotations``), turns given to someone else (``roster_swaps``) and leave
(``roster_leave``); jianbao.jobs.roster reads them.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from jianbao.db.types import AwareDateTime

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "roster_people",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False, unique=True),
        sa.Column("username", sa.String(length=100), nullable=True),
        sa.Column("channel", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=200), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", AwareDateTime(), nullable=False),
    )
    op.create_table(
        "roster_rotations",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("start", sa.Date(), nullable=False),
        sa.Column("created_at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_roster_rotations_start", "roster_rotations", ["start"])
    op.create_table(
        "roster_swaps",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("unit", sa.String(length=10), nullable=False),
        sa.Column("slot", sa.Date(), nullable=False),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("roster_people.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", AwareDateTime(), nullable=False),
        sa.UniqueConstraint("unit", "slot"),
    )
    op.create_table(
        "roster_leave",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("roster_people.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("first_day", sa.Date(), nullable=False),
        sa.Column("last_day", sa.Date(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_roster_leave_person_id", "roster_leave", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_roster_leave_person_id", table_name="roster_leave")
    op.drop_table("roster_leave")
    op.drop_table("roster_swaps")
    op.drop_index("ix_roster_rotations_start", table_name="roster_rotations")
    op.drop_table("roster_rotations")
    op.drop_table("roster_people")
