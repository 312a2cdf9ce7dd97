"""alerts sent at most once per channel (issue 18 review): an alert's notice is logged
in the delivery log like an issue's parts

``deliveries.alert_id`` ties a row to the alert it carries (purpose ``alert``, no issue):
one row per alert × channel × part, unique, so the alert pass claims each before its
request and records the answer after it, exactly as a publication's parts are sent
(jianbao.deliver.log). A channel that accepted an alert is not sent it again when another
channel refused it, and a row left ``sending`` by a dead process is shown as unconfirmed
instead of being sent again.

Alerts delivered before this revision keep their ``delivered_at`` and are not looked at.

Also (issue 16 review): ``issue_items.printed_url`` and ``printed_date`` keep the link
and date an imported back issue printed for an item, so an item joined to a collected
article (the same canonical link or text) is re-rendered as the issue printed it, not with
the collected article's. Items stored before keep both empty and read the article's.

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.add_column(sa.Column("alert_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            "fk_deliveries_alert_id_alerts", "alerts", ["alert_id"], ["id"], ondelete="CASCADE"
        )
        batch_op.create_unique_constraint(
            "uq_deliveries_alert_channel_part", ["alert_id", "channel", "part"]
        )

    with op.batch_alter_table("issue_items", schema=None) as batch_op:
        batch_op.add_column(sa.Column("printed_url", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("printed_date", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("issue_items", schema=None) as batch_op:
        batch_op.drop_column("printed_date")
        batch_op.drop_column("printed_url")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_constraint("uq_deliveries_alert_channel_part", type_="unique")
        batch_op.drop_constraint("fk_deliveries_alert_id_alerts", type_="foreignkey")
        batch_op.drop_column("alert_id")
