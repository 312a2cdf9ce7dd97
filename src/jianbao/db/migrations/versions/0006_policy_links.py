"""policy links: the policy document a reading or report cites

Interpretations, Q&As and reports about a policy document cite its 发文字号 or its title;
the candidates list shows them as 解读：《…》 with a link to the document. Articles stored
before this revision have no link until they are judged again.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("policy_article_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("policy_article_id")
