"""extract_article on small realistic pages, checked against golden .expected.json files.

Each fixture page under fixtures/ has a ``<name>.expected.json`` beside it with the URL to
extract it under and every field expected; a ``null`` field must be absent.
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest

from jianbao.errors import ExtractError
from jianbao.extract import extract_article
from jianbao.records import SHANGHAI, Link

FIXTURES = Path(__file__).parent / "fixtures"
PAGES = sorted(p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.expected.json"))


@pytest.mark.parametrize("name", PAGES)
def test_golden_page(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
    body = (FIXTURES / f"{name}.html").read_bytes()
    headers = expected.get("headers")
    article = extract_article(body, expected["url"], headers)
    assert article.title == expected["title"]
    assert article.paragraphs == expected["paragraphs"]
    assert article.canonical_url == expected["canonical_url"]
    published = article.published_at.isoformat() if article.published_at else None
    assert published == expected["published_at"]
    assert article.source_name == expected["source_name"]
    assert article.author == expected["author"]
    if "language" in expected:
        assert article.language == expected["language"]
    assert article.published_at is None or article.published_at.tzinfo is not None


@pytest.mark.parametrize("name", PAGES)
def test_sanitized_html_has_no_active_content(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
    article = extract_article((FIXTURES / f"{name}.html").read_bytes(), expected["url"])
    assert article.html
    lowered = article.html.lower()
    for bad in ("<script", "<style", "<iframe", "onclick", "onerror", "javascript:"):
        assert bad not in lowered
    assert article.html.count("<p>") == len(article.paragraphs)


@pytest.mark.parametrize("name", PAGES)
def test_confidence_for_every_field(name: str) -> None:
    expected = json.loads((FIXTURES / f"{name}.expected.json").read_text("utf-8"))
    article = extract_article((FIXTURES / f"{name}.html").read_bytes(), expected["url"])
    for field in ("title", "body", "published_at", "source_name", "author"):
        assert 0.0 <= article.confidence[field] <= 1.0
    assert article.confidence["body"] >= 0.5


def test_script_and_event_handlers_never_reach_html() -> None:
    page = (
        "<html><head><title>测试</title></head><body><h1>医院信息化测试文章标题</h1>"
        "<div class='content'><p onclick='steal()'>第一段正文内容，这里有足够长的中文句子，用于测试。"
        "<script>alert(1)</script></p><p>第二段正文内容，也有足够长的中文句子，继续测试。"
        "<iframe src='http://evil.example/'></iframe></p></div></body></html>"
    )
    article = extract_article(page.encode(), "http://example.com/a.html")
    assert "alert" not in article.body
    assert article.html is not None
    assert "onclick" not in article.html and "iframe" not in article.html


def test_hint_fills_what_the_page_lacks() -> None:
    page = (
        "<html><body><div><p>国家卫生健康委今天发布了关于推进医疗机构检查检验结果互认的指导意见，"
        "要求各地加快建设区域信息平台。</p><p>意见明确，到2025年底，各级医疗机构间的互认项目应覆盖"
        "常见检查检验项目。</p></div></body></html>"
    )
    hint = Link(
        url="http://example.com/a.html",
        title="国家卫健委推进检查检验结果互认",
        published_at=datetime(2023, 10, 16, 9, 0, tzinfo=SHANGHAI),
        source_name="示例网",
    )
    article = extract_article(page.encode(), hint.url, hint=hint)
    assert article.title == "国家卫健委推进检查检验结果互认"
    assert article.published_at == datetime(2023, 10, 16, 9, 0, tzinfo=SHANGHAI)
    assert article.source_name == "示例网"
    assert article.paragraphs[0].startswith("国家卫生健康委今天发布")


def test_page_dates_win_over_hint() -> None:
    page = (
        "<html><head><meta property='article:published_time' content='2023-10-15T08:00:00+08:00'>"
        "</head><body><h1>检查检验结果互认新进展</h1><div><p>国家卫生健康委今天发布了关于推进医疗机构"
        "检查检验结果互认的指导意见，要求各地加快建设区域信息平台，实现数据互通共享。</p></div>"
        "</body></html>"
    )
    hint = Link(url="http://x.example/a", published_at=datetime(2023, 10, 20, tzinfo=SHANGHAI))
    article = extract_article(page.encode(), hint.url, hint=hint)
    assert article.published_at == datetime(2023, 10, 15, 8, 0, tzinfo=SHANGHAI)


def test_empty_page_raises_extract_error() -> None:
    with pytest.raises(ExtractError) as caught:
        extract_article(b"", "http://example.com/empty")
    assert caught.value.item == "http://example.com/empty"


def test_page_without_text_raises_extract_error() -> None:
    page = b"<html><body><div><a href='/1'>\xe9\xa6\x96\xe9\xa1\xb5</a></div></body></html>"
    with pytest.raises(ExtractError):
        extract_article(page, "http://example.com/nav")


def test_feed_content_used_when_page_is_empty() -> None:
    hint = Link(
        url="http://example.com/a",
        title="标题",
        content_html="<p>来自订阅源的全文第一段，内容足够长，可以作为正文使用。</p><p>第二段。</p>",
    )
    article = extract_article(b"", hint.url, hint=hint)
    assert article.paragraphs[0].startswith("来自订阅源的全文第一段")
