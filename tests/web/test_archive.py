"""归档检索: published issues, search over articles and published items, highlighting."""

from __future__ import annotations

from datetime import date, datetime

from fastapi.testclient import TestClient

from jianbao.archive.search import index_article
from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.editions.issue_store import edit_item, new_issue, publish_issue
from jianbao.records import SHANGHAI


def test_search_short_terms_and_highlight(editor: TestClient) -> None:
    for term in ("医保", "互联网医院", "AI"):
        html = editor.get("/archive", params={"q": term}).text
        assert f"<mark>{term}</mark>" in html, term
    both = editor.get("/archive", params={"q": "互联网医院 监管"}).text
    assert "<mark>监管</mark>" in both
    nothing = editor.get("/archive", params={"q": "完全不存在的词语"}).text
    assert "没有找到" in nothing


def test_every_word_of_a_search_is_read_folded(editor: TestClient, web_db: Database) -> None:
    """revB item 4: of two or more words only the longest went through the folded index;
    the others had to appear as typed, so "医保 报销" missed the 繁體 page "医保报销"
    found, and "HPV 免费接种" the ＨＰＶ page. Every word is now read folded, and marked
    in the title as written."""
    pages = [
        ("東川省醫保資訊平台全面上線", "參保群眾可在線辦理醫保報銷，平台接入全省定點醫院。"),
        ("ＨＰＶ疫苗纳入免费接种", "全省适龄女生可免费接种ＨＰＶ疫苗。"),
    ]
    with web_db.session() as s:
        for n, (title, body) in enumerate(pages):
            row = Article(
                url=f"https://fold.example/{n}",
                canonical_url=f"https://fold.example/{n}",
                content_hash=f"fold{n}".ljust(64, "0"),
                title=title,
                body=body,
                relevant=True,
                source_name="东川日报",
                published_at=datetime(2026, 11, 16 + n, 9, tzinfo=SHANGHAI),
            )
            s.add(row)
            s.flush()
            index_article(s, row.id, row.title, row.body)
    for query in ("医保报销", "医保 报销", "报销 医保"):
        html = editor.get("/archive", params={"q": query}).text
        assert "資訊平台全面上線" in html, query
    assert (
        "東川省<mark>醫保</mark>資訊<mark>平台</mark>"
        in editor.get("/archive", params={"q": "医保 平台"}).text
    )
    for query, marked in (
        ("HPV 免费接种", "<mark>ＨＰＶ</mark>疫苗纳入<mark>免费接种</mark>"),
        ("接种 hpv", "<mark>ＨＰＶ</mark>疫苗纳入免费<mark>接种</mark>"),
    ):
        assert marked in editor.get("/archive", params={"q": query}).text, query


def test_search_treats_like_wildcards_as_text(editor: TestClient) -> None:
    assert "没有找到" in editor.get("/archive", params={"q": "%"}).text


def test_published_issues_are_listed_and_searchable(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    with web_db.session() as s:
        issue = new_issue(s, web_settings, "weekly", date(2026, 11, 20), fill=3)
        title = issue.items[0].title
        publish_issue(s, web_settings, issue, override_reason="测试")
    html = editor.get("/archive").text
    assert "全国卫生信息化舆情监测周报 2026-11-20" in html
    found = editor.get("/archive", params={"q": title[:6]}).text
    assert "已发布条目 <small>1</small>" in found
    daily_only = editor.get("/archive", params={"kind": "daily"}).text
    assert "全国卫生信息化舆情监测周报 2026-11-20" not in daily_only


def test_published_items_are_searched_folded(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    """fixA item 2: published items were searched with SQL LIKE, each word as typed, so a
    繁體 or full-width word missed a Simplified item, and a Simplified word a 繁體 one.
    They are now read folded as the articles are, and marked as written."""
    edits = [
        ("東川省醫保資訊平台全面上線", "參保群眾可在線辦理醫保報銷。"),
        ("ＨＰＶ疫苗纳入西岭免费接种", "适龄女生可预约。"),
        ("南岭市电子健康卡实现一码通用", "APP 同步上线。"),
    ]
    with web_db.session() as s:
        issue = new_issue(s, web_settings, "weekly", date(2026, 11, 20), fill=3)
        for position, (title, summary) in enumerate(edits, start=1):
            edit_item(s, issue, position, title=title, summary=summary)
        publish_issue(s, web_settings, issue, override_reason="测试")
    for query, marked in (
        ("医保 报销", "東川省<mark>醫保</mark>資訊平台全面上線"),  # Simplified finds 繁體
        ("hpv 西岭", "<mark>ＨＰＶ</mark>疫苗纳入<mark>西岭</mark>免费接种"),  # and full-width
        ("電子健康卡", "南岭市<mark>电子健康卡</mark>实现一码通用"),  # 繁體 finds Simplified
        ("ＡＰＰ 一碼通用", "南岭市电子健康卡实现<mark>一码通用</mark>"),  # full-width too
    ):
        html = editor.get("/archive", params={"q": query}).text
        assert "已发布条目 <small>1</small>" in html, query
        assert marked in html, query


def test_published_items_keep_to_the_search_dates(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    """fixC item 3: the archive's 起/止 dates bounded the articles found but not the
    published items, which came from every issue whatever the dates. An item is now
    found only when its issue's date (the one shown beside it) is inside them."""
    with web_db.session() as s:
        issue = new_issue(s, web_settings, "weekly", date(2026, 11, 20), fill=1)
        edit_item(s, issue, 1, title="独一无二的周报条目标题")
        publish_issue(s, web_settings, issue, override_reason="测试")
    for start, end, found in (
        ("", "", 1),
        ("2026-11-01", "2026-11-30", 1),
        ("2026-11-20", "2026-11-20", 1),  # whole days, both ends included
        ("2026-11-21", "", 0),
        ("", "2026-11-19", 0),
        ("2020-01-01", "2020-12-31", 0),
    ):
        params = {"q": "独一无二 条目", "start": start, "end": end}
        html = editor.get("/archive", params=params).text
        assert f"已发布条目 <small>{found}</small>" in html, (start, end)


def test_date_filter_and_edits_are_searchable(editor: TestClient) -> None:
    assert (
        "没有找到"
        in editor.get(
            "/archive", params={"q": "医保", "start": "2020-01-01", "end": "2020-12-31"}
        ).text
    )
    editor.post("/articles/1", data={"title": "独一无二的更正标题词"})
    found = editor.get("/archive", params={"q": "独一无二"}).text
    assert "<mark>独一无二</mark>" in found
