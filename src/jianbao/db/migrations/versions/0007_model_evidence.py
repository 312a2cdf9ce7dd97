"""model evidence: the learned model's probability and top features per article

The candidates list explains a rank with the matched terms and, once editors have trained
a model, the model's probability (the learned preference) and the features that made the
item relevant. Articles stored before this revision show no model evidence until they are
judged again.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-01
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("model_probability", sa.Float(), nullable=True))
        batch_op.add_column(
            sa.Column("model_features", sa.JSON(), nullable=False, server_default="[]")
        )


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("model_features")
        batch_op.drop_column("model_probability")
