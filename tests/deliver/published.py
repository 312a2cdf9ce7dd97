"""Published issues for the delivery tests: a daily of ``n`` stories in the store."""

from __future__ import annotations

from datetime import date, datetime

from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.editions.issue_store import add_item, new_issue, publish_issue
from jianbao.records import SHANGHAI

DAY = date(2026, 11, 20)


def published_daily(db: Database, settings: Settings, n: int = 6, *, publish: bool = True) -> int:
    """A daily broadcast of ``n`` stories of the previous days (published unless told);
    returns its id."""
    with db.session() as session:
        issue = new_issue(session, settings, "daily", DAY, fill=0)
        for k in range(n):
            article = Article(
                url=f"https://news.example/{k}.html",
                canonical_url=f"https://news.example/{k}.html",
                content_hash=f"{k:064d}",
                title=f"东川省第{k + 1}家医院上线电子健康卡服务",
                body="东川省推进电子健康卡应用。\n第二段正文。",
                source_name="东川日报",
                published_at=datetime(2026, 11, 19, 9, k).replace(tzinfo=SHANGHAI),
                relevant=True,
                summary=f"东川省第{k + 1}家医院上线电子健康卡，群众就医更便捷。" * 3,
            )
            session.add(article)
            session.flush()
            add_item(session, issue, article.id)
        if publish:
            publish_issue(session, settings, issue, override_reason="测试")
        return issue.id
