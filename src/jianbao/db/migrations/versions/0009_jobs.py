"""jobs: scheduler lease and job runs

``jianbao run`` keeps one scheduler among the processes sharing a store by a lease row
(``scheduler_leases``) and records every job run, missed or late one (``job_runs``) so
nothing runs twice and nothing stops silently.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from jianbao.db.types import AwareDateTime

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "scheduler_leases",
        sa.Column("name", sa.String(length=50), primary_key=True),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", AwareDateTime(), nullable=False),
        sa.Column("expires_at", AwareDateTime(), nullable=False),
        sa.Column("ticked_at", AwareDateTime(), nullable=True),
    )
    op.create_table(
        "job_runs",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("job", sa.String(length=30), nullable=False),
        sa.Column("publication", sa.String(length=50), nullable=False),
        sa.Column("planned_at", AwareDateTime(), nullable=False),
        sa.Column("started_at", AwareDateTime(), nullable=True),
        sa.Column("finished_at", AwareDateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.UniqueConstraint("job", "publication", "planned_at"),
    )
    op.create_index("ix_job_runs_planned_at", "job_runs", ["planned_at"])


def downgrade() -> None:
    op.drop_index("ix_job_runs_planned_at", table_name="job_runs")
    op.drop_table("job_runs")
    op.drop_table("scheduler_leases")
