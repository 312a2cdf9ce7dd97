"""归档检索: published issues, search over articles and published items, highlighting."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.editions.issue_store import new_issue, publish_issue


def test_search_short_terms_and_highlight(editor: TestClient) -> None:
    for term in ("医保", "互联网医院", "AI"):
        html = editor.get("/archive", params={"q": term}).text
        assert f"<mark>{term}</mark>" in html, term
    both = editor.get("/archive", params={"q": "互联网医院 监管"}).text
    assert "<mark>监管</mark>" in both
    nothing = editor.get("/archive", params={"q": "完全不存在的词语"}).text
    assert "没有找到" in nothing


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
