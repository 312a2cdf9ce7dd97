"""The article view: sanitized text, fields editable and recorded as decisions."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select

from jianbao.db.models import Article, Decision
from jianbao.db.session import Database


def test_article_page_shows_text_and_judgement(editor: TestClient, web_db: Database) -> None:
    with web_db.session() as s:
        article = s.scalar(select(Article).where(Article.relevant.is_(True)).limit(1))
        assert article is not None
        first_line = article.body.split("\n")[0][:12]
    html = editor.get(f"/articles/{article.id}").text
    assert article.title in html and first_line in html
    assert "相关度" in html and 'rel="noopener noreferrer"' in html
    assert editor.get("/articles/999999").status_code == 404


def test_edit_fields(editor: TestClient, web_db: Database) -> None:
    response = editor.post(
        "/articles/1",
        data={"title": "更正后的标题", "published": "2026-11-19 09:30", "source_name": "更正来源"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "已保存" in response.text
    with web_db.session() as s:
        article = s.get(Article, 1)
        assert article is not None
        assert article.title == "更正后的标题" and article.source_name == "更正来源"
        assert article.published_at is not None
        assert article.published_at.strftime("%Y-%m-%d %H:%M") == "2026-11-19 09:30"
        decision = s.scalar(select(Decision).where(Decision.action == "edit"))
        assert decision is not None
        assert set(decision.detail or {}) == {"title", "published_at", "source_name"}
    bad = editor.post("/articles/1", data={"title": "x", "published": "19/11/2026"})
    assert bad.status_code == 400 and "发布时间格式不对" in bad.text


def test_english_interface(editor: TestClient) -> None:
    editor.post("/language", data={"lang": "en", "back": "/articles/1"})
    html = editor.get("/articles/1").text
    assert "Relevance" in html and 'lang="en"' in html
    editor.post("/language", data={"lang": "zh"})
    assert "相关度" in editor.get("/articles/1").text
