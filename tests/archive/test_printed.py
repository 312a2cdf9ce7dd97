"""An imported back issue is re-rendered as it printed each item's link and date, also
when the item joined a collected article whose link or date differ (issue 16 review) —
on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from archive.support import SEEDS, needs_seeds
from jianbao.archive.importer import import_file
from jianbao.config import Settings
from jianbao.db.models import Article, Issue
from jianbao.db.session import Database
from jianbao.editions.issue_store import issue_view, revise_issue
from jianbao.records import SHANGHAI

PRINTED_URL = "https://new.qq.com/rain/a/20231015A06Y3I00"


def test_a_joined_item_keeps_the_link_and_date_the_issue_printed(
    db: Database, settings: Settings
) -> None:
    needs_seeds()
    with db.session() as session:
        # the same report collected later: a tracking parameter, another day
        collected = Article(
            url=PRINTED_URL + "?utm_source=feed&from=wx",
            canonical_url=PRINTED_URL,
            content_hash="f" * 64,
            title="数据赋能，推动卫生健康事业高质量发展！",
            body="采集到的正文。",
            published_at=datetime(2023, 10, 17, 9, 0, tzinfo=SHANGHAI),
        )
        session.add(collected)
        session.flush()
        collected_id = collected.id
    import_file(db, settings, SEEDS / "weekly-report-546-2023.md")
    with db.session() as session:
        issue = session.scalars(select(Issue).where(Issue.number == 546)).one()
        joined, own = issue.items[0], issue.items[1]
        assert joined.article_id == collected_id and own.article.imported
        view = issue_view(issue)
        first = view.items[0]
        assert (first.url, first.published_at) == (PRINTED_URL, date(2023, 10, 15))
        # an item stored from its own text prints its own link and date as before
        assert view.items[1].url == own.article.url
        assert view.items[1].published_at == own.article.published_at.astimezone(SHANGHAI).date()
        # a correction of the imported issue prints them too
        again = issue_view(revise_issue(session, issue)).items[0]
        assert (again.url, again.published_at) == (PRINTED_URL, date(2023, 10, 15))
        # an issue composed by jianbao (no printed link) still prints the article's
        joined.printed_url = None
        assert issue_view(issue).items[0].published_at == date(2023, 10, 17)
