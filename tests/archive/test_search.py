"""Full-text search: short Chinese terms, Latin terms, filters, marks — both backends."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from jianbao.archive.search import index_article, mark, rebuild_index, search_articles
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.records import SHANGHAI

TEXTS = [
    ("东川省医保信息平台全面上线", "参保群众可在线办理医保报销，平台接入全省定点医院。", True, 16),
    ("南岭互联网医院开通复诊配药", "患者通过互联网医院复诊，药品配送到家。", True, 17),
    ("AI辅助诊断系统进入县级医院", "人工智能（AI）辅助阅片缩短诊断时间。", True, 18),
    ("医疗机构开展安全生产检查", "各医疗机构排查消防隐患，保障医患安全。", False, 19),
    ("秋冬季流感防治指南发布", "专家提醒，医生建议接种疫苗，保持良好习惯。", False, 19),
]


def seed(db: Database, *, index: bool = True) -> dict[str, int]:
    ids = {}
    with db.session() as session:
        for n, (title, body, relevant, day) in enumerate(TEXTS):
            row = Article(
                url=f"https://n.example/{n}",
                canonical_url=f"https://n.example/{n}",
                content_hash=str(n) * 64,
                title=title,
                body=body,
                relevant=relevant,
                source_name="东川日报" if n % 2 else "南岭在线",
                published_at=datetime(2026, 11, day, 9, tzinfo=SHANGHAI),
            )
            session.add(row)
            session.flush()
            if index:
                index_article(session, row.id, row.title, row.body)
            ids[title] = row.id
    return ids


def titles(hits) -> set[str]:
    return {h.article.title for h in hits}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("医保", {"东川省医保信息平台全面上线"}),
        ("互联网医院", {"南岭互联网医院开通复诊配药"}),
        ("AI", {"AI辅助诊断系统进入县级医院"}),
        ("ai", {"AI辅助诊断系统进入县级医院"}),
        (
            "医院",
            {
                "东川省医保信息平台全面上线",
                "南岭互联网医院开通复诊配药",
                "AI辅助诊断系统进入县级医院",
            },
        ),
        ("医患", {"医疗机构开展安全生产检查"}),
        ("区块链", set()),
    ],
)
def test_short_and_long_terms_are_found(db: Database, query: str, expected: set[str]) -> None:
    seed(db)
    with db.session() as session:
        assert titles(search_articles(session, query)) == expected


def test_characters_apart_do_not_match_a_word(db: Database) -> None:
    seed(db)
    with db.session() as session:
        # 医 and 生 both occur in the flu story, but only 医生 as a word there
        assert titles(search_articles(session, "医生")) == {"秋冬季流感防治指南发布"}
        assert titles(search_articles(session, "保医")) == set()


def test_filters_and_highlighting(db: Database) -> None:
    seed(db)
    with db.session() as session:
        hits = search_articles(session, "医院", start=date(2026, 11, 17), end=date(2026, 11, 17))
        assert titles(hits) == {"南岭互联网医院开通复诊配药"}
        assert hits[0].title_html == "南岭互联网<mark>医院</mark>开通复诊配药"
        assert "<mark>医院</mark>" in hits[0].snippet_html
        assert titles(search_articles(session, "安全", relevant_only=True)) == set()
        assert len(search_articles(session, "医院", source="东川日报")) == 1


def test_the_index_rebuilds_for_articles_stored_before_it(db: Database) -> None:
    seed(db, index=False)
    with db.session() as session:
        assert search_articles(session, "医保") == []
        assert rebuild_index(session) == len(TEXTS)
    with db.session() as session:
        assert titles(search_articles(session, "医保")) == {"东川省医保信息平台全面上线"}


def test_marks_are_html_safe() -> None:
    assert mark("<b>医保</b>", "医保") == "&lt;b&gt;<mark>医保</mark>&lt;/b&gt;"
