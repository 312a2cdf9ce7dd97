"""Issue 15, item 13: for 医保 the article with 医保 in its title ranked last of five,
behind an unrelated story that names it in passing. Title matches first, then the
articles that use the term most, newest first within each — on both backends."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import text

from jianbao.archive.search import TITLE_MARK, index_article, rebuild_index, search_articles
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.records import SHANGHAI

#: (title, body), oldest first: the article about 医保 is the oldest
TEXTS = [
    ("东川省医保信息平台全面上线", "参保群众可在线办理医保报销。医保结算实现省内直接结算。"),
    ("南岭推进医疗保障经办服务", "医保经办下沉到乡镇；医保窗口延时服务；异地医保备案线上办。"),
    ("县域医共体建设现场会召开", "会议部署医共体建设，提到医保支付方式改革。"),
    ("秋季运动会圆满落幕", "运动会设田径、游泳项目，赞助单位包括一家医保定点药店。"),
    ("城市马拉松鸣枪开跑", "三万名跑者参赛；沿线设医疗点，医保卡可在急救站使用。"),
]


def seed(db: Database) -> dict[str, int]:
    ids = {}
    with db.session() as session:
        for n, (title, body) in enumerate(TEXTS):
            row = Article(
                url=f"https://r.example/{n}",
                canonical_url=f"https://r.example/{n}",
                content_hash=f"{n:064d}",
                title=title,
                body=body,
                published_at=datetime(2026, 11, 10 + n, 9, tzinfo=SHANGHAI),
            )
            session.add(row)
            session.flush()
            index_article(session, row.id, row.title, row.body)
            ids[title] = row.id
    return ids


def ranked_titles(db: Database, query: str, limit: int = 50) -> list[str]:
    with db.session() as session:
        return [h.article.title for h in search_articles(session, query, limit=limit)]


def test_the_title_match_ranks_first_then_the_articles_using_the_term_most(
    db: Database,
) -> None:
    seed(db)
    assert ranked_titles(db, "医保") == [
        "东川省医保信息平台全面上线",  # 医保 in the title, although the oldest
        "南岭推进医疗保障经办服务",  # three times in the text
        "城市马拉松鸣枪开跑",  # once each: newest first
        "秋季运动会圆满落幕",
        "县域医共体建设现场会召开",
    ]


def test_title_matches_come_from_the_index_beyond_the_newest_mentions(db: Database) -> None:
    """With more newer passing mentions than a page holds, the old title match is still
    found and first: the index is asked for title matches separately."""
    seed(db)
    with db.session() as session:
        for n in range(30):
            row = Article(
                url=f"https://m.example/{n}",
                canonical_url=f"https://m.example/{n}",
                content_hash=f"m{n:063d}",
                title=f"社区活动简讯 {n}",
                body="活动现场设咨询台，顺带宣传医保政策。",
                published_at=datetime(2026, 11, 20, 9, tzinfo=SHANGHAI),
            )
            session.add(row)
            session.flush()
            index_article(session, row.id, row.title, row.body)
    assert ranked_titles(db, "医保", limit=2)[0] == "东川省医保信息平台全面上线"


def test_the_rebuilt_index_holds_the_title_marks(db: Database) -> None:
    ids = seed(db)
    with db.session() as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("DELETE FROM article_fts"))
        else:
            session.execute(text("DELETE FROM article_search"))
        assert rebuild_index(session) == len(TEXTS)
    assert ranked_titles(db, "医保", limit=1) == ["东川省医保信息平台全面上线"]
    with db.session() as session:
        if session.get_bind().dialect.name == "sqlite":
            tokens = session.scalar(
                text("SELECT tokens FROM article_fts WHERE rowid = :id"),
                {"id": ids["东川省医保信息平台全面上线"]},
            )
            assert f"{TITLE_MARK}医保" in tokens.split()
