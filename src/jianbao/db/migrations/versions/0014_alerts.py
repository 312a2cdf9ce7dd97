"""alerts 预警 (issue 18): rules, alerts, risk marks; sentiment and risk per article

``alert_rules`` holds the editors' rules, ``alerts`` one row per story and level (the
unique key makes an alert fire once), ``risk_marks`` the editors' word on incidents (the
risk classifier's training data); ``articles`` gains ``sentiment`` and ``risk``, written
by the alert job.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

from jianbao.db.types import AwareDateTime

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("sentiment", sa.String(length=3), nullable=True))
        batch_op.add_column(sa.Column("risk", sa.Float(), nullable=True))
    op.create_table(
        "alert_rules",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("name", sa.String(length=100), nullable=False, unique=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("expression", sa.Text(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(length=100), nullable=False),
        sa.Column("created_at", AwareDateTime(), nullable=False),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("story_key", sa.String(length=40), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("outlets", sa.JSON(), nullable=False),
        sa.Column("risk", sa.Float(), nullable=False),
        sa.Column("fired_at", AwareDateTime(), nullable=False),
        sa.Column("held_until", AwareDateTime(), nullable=True),
        sa.Column("delivered_at", AwareDateTime(), nullable=True),
        sa.Column("delivery_error", sa.Text(), nullable=False),
        sa.Column("state", sa.String(length=15), nullable=False),
        sa.Column("handled_by", sa.String(length=100), nullable=False),
        sa.Column("handled_at", AwareDateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.UniqueConstraint("story_key", "level"),
    )
    op.create_index("ix_alerts_article_id", "alerts", ["article_id"])
    op.create_index("ix_alerts_fired_at", "alerts", ["fired_at"])
    op.create_table(
        "risk_marks",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("article_id", sa.Integer(), sa.ForeignKey("articles.id"), nullable=False),
        sa.Column("incident", sa.Boolean(), nullable=False),
        sa.Column("editor", sa.String(length=100), nullable=False),
        sa.Column("origin", sa.String(length=15), nullable=False),
        sa.Column("at", AwareDateTime(), nullable=False),
    )
    op.create_index("ix_risk_marks_article_id", "risk_marks", ["article_id"])


def downgrade() -> None:
    op.drop_index("ix_risk_marks_article_id", table_name="risk_marks")
    op.drop_table("risk_marks")
    op.drop_index("ix_alerts_fired_at", table_name="alerts")
    op.drop_index("ix_alerts_article_id", table_name="alerts")
    op.drop_table("alerts")
    op.drop_table("alert_rules")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("risk")
        batch_op.drop_column("sentiment")
