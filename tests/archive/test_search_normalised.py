"""Search reads the normalised Simplified form: 医保 finds a 繁體 reprint's 醫保 and a
mirror's pinyin-glossed text; the page is shown as written (issue 17) — both backends."""

from __future__ import annotations

from datetime import datetime

from jianbao.archive.search import (
    fold_term,
    holds_all,
    index_article,
    mark,
    mark_all,
    search_articles,
)
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.records import SHANGHAI

TEXTS = [
    ("東川省醫保資訊平台全面上線", "參保群眾可在線辦理醫保報銷，平台接入全省定點醫院。"),
    ("南岭医(yī)院(yuàn)上线复诊", "患者通过互联网医院复诊，药品配送到家。"),
    ("秋冬季流感防治指南发布", "专家提醒，医生建议接种疫苗，保持良好习惯。"),
]


def seed(db: Database) -> None:
    with db.session() as session:
        for n, (title, body) in enumerate(TEXTS):
            row = Article(
                url=f"https://t.example/{n}",
                canonical_url=f"https://t.example/{n}",
                content_hash=str(n) * 64,
                title=title,
                body=body,
                relevant=True,
                source_name="东川日报",
                published_at=datetime(2026, 11, 16 + n, 9, tzinfo=SHANGHAI),
            )
            session.add(row)
            session.flush()
            index_article(session, row.id, row.title, row.body)


def test_a_simplified_query_finds_a_traditional_page_shown_as_written(db: Database) -> None:
    seed(db)
    with db.session() as session:
        hits = search_articles(session, "医保")
        assert [h.article.title for h in hits] == ["東川省醫保資訊平台全面上線"]
        assert "<mark>醫保</mark>" in hits[0].title_html
        assert "<mark>醫保</mark>" in hits[0].snippet_html
        # a query typed in 繁體 finds the same page
        assert [h.article.title for h in search_articles(session, "醫保")] == [
            hits[0].article.title
        ]


def test_a_query_finds_a_mirror_that_glosses_characters_with_pinyin(db: Database) -> None:
    seed(db)
    with db.session() as session:
        assert [h.article.title for h in search_articles(session, "医院上线")] == [
            "南岭医(yī)院(yuàn)上线复诊"
        ]


def test_marks_follow_the_simplified_form_of_the_text() -> None:
    assert mark("醫保資訊", "医保") == "<mark>醫保</mark>資訊"


def test_several_terms_are_marked_as_written_and_never_inside_an_entity() -> None:
    """The workstation's search of two or more words marks each in the title: folded as
    the index reads them, escaped after matching (a word like amp is not found in &amp;)."""
    terms = [fold_term(t) for t in ("医保", "HPV", "amp")]
    assert mark_all("東川ＨＰＶ醫保 & amp", terms) == (
        "東川<mark>ＨＰＶ</mark><mark>醫保</mark> &amp; <mark>amp</mark>"
    )
    assert mark_all("医保信息平台", [fold_term("医保"), fold_term("医保信息")]) == (
        "<mark>医保信息</mark>平台"
    )
    assert holds_all("參保群眾辦理醫保報銷", [fold_term("医保"), fold_term("报销")])
    assert not holds_all("參保群眾辦理醫保", [fold_term("医保"), fold_term("报销")])
