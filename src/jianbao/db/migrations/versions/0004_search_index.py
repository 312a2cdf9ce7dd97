"""search index: tokens of every article, FTS5 on SQLite, tsvector + GIN on PostgreSQL

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("CREATE VIRTUAL TABLE article_fts USING fts5(tokens)")
    else:
        op.execute(
            "CREATE TABLE article_search ("
            " article_id INTEGER PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,"
            " tokens tsvector NOT NULL)"
        )
        op.execute("CREATE INDEX ix_article_search_tokens ON article_search USING gin (tokens)")
    # articles stored before this revision are indexed by `jianbao search --rebuild`


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TABLE article_fts")
    else:
        op.execute("DROP TABLE article_search")
