"""fetch attempts read through indexes, not whole (review finding 10)

``fetch_attempts`` gains a row per source visit and grows by millions of rows a year.
Three reads touched all of it or all of a source's history:

- closing the attempts a killed cycle left ``running`` (at the start of every cycle and
  every Celery ``collect_sources`` task) scanned the whole table for the few running
  rows, holding SQLite's write lock meanwhile: a partial index holds only those rows;
- a source's last visits (the adaptive poll interval) and whether it ever found a link
  (source health) are read newest first per source: ``(source_id, id)`` answers both
  from the index's end (on SQLite the old ``source_id`` index already ended in the rowid;
  on PostgreSQL it did not, and every row of the source was read and sorted), and it
  replaces the ``source_id`` index;
- deleting attempts older than ``fetch_attempts_keep_days`` (jianbao.db.attempts) reads
  the oldest first: an index on ``started_at``.

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None

RUNNING = sa.text("outcome = 'running'")


def upgrade() -> None:
    # plain index operations: a batch on SQLite could copy the whole table
    op.drop_index("ix_fetch_attempts_source_id", table_name="fetch_attempts")
    op.create_index("ix_fetch_attempts_source_id_id", "fetch_attempts", ["source_id", "id"])
    op.create_index("ix_fetch_attempts_started_at", "fetch_attempts", ["started_at"])
    op.create_index(
        "ix_fetch_attempts_running",
        "fetch_attempts",
        ["id"],
        sqlite_where=RUNNING,
        postgresql_where=RUNNING,
    )


def downgrade() -> None:
    op.drop_index("ix_fetch_attempts_running", table_name="fetch_attempts")
    op.drop_index("ix_fetch_attempts_started_at", table_name="fetch_attempts")
    op.drop_index("ix_fetch_attempts_source_id_id", table_name="fetch_attempts")
    op.create_index("ix_fetch_attempts_source_id", "fetch_attempts", ["source_id"])
