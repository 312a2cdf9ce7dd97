"""Issue 14, item 15: a stored URL becomes a link only when it is http or https; any other
scheme (javascript:, data:, vbscript:, spelled with case, spaces or control characters)
is rendered inert, in every template that turns a stored URL into a link."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from jianbao.db.models import Article, Story
from jianbao.db.session import Database
from jianbao.web.rendering import TEMPLATES
from jianbao.web.security import safe_href

WEEK = "start=2026-11-14&end=2026-11-20"

HOSTILE = [
    "javascript:alert(1)",
    "JavaScript:alert(1)",
    " javascript:alert(1)",
    "\x01javascript:alert(1)",
    "java\tscript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "//evil.example/",
    "/relative/path",
    "https:alert(1)",
    "http:/one-slash",
    "",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_other_schemes_become_inert(url: str) -> None:
    assert safe_href(url) == "#"


@pytest.mark.parametrize(
    "url", ["https://www.nhc.gov.cn/a.html?x=1#p", "http://news.example/x", "HTTPS://A.example/"]
)
def test_web_links_are_kept(url: str) -> None:
    assert safe_href(url) == url


def test_none_is_inert() -> None:
    assert safe_href(None) == "#"


def test_every_link_template_passes_stored_urls_through_safe_href() -> None:
    """A template that writes a variable into href= must use safe_href (or be one of
    the known local links); a new template that forgets it fails here."""
    local = re.compile(r"^(static\(|href\b|'/|\"/)")
    unsafe = []
    for path in TEMPLATES.rglob("*.html"):
        for expression in re.findall(r'href="\{\{\s*(.*?)\s*\}\}', path.read_text("utf-8")):
            if "safe_href" not in expression and not local.match(expression):
                unsafe.append((path.name, expression))
    assert unsafe == []


def story_with_others(db: Database) -> tuple[int, int]:
    """(representative article, another member) of a story told by several outlets."""
    with db.session() as s:
        story = s.scalars(select(Story).where(Story.size > 1).order_by(Story.id)).first()
        assert story is not None
        members = s.scalars(select(Article).where(Article.story_id == story.id)).all()
        other = next(m for m in members if m.id != story.representative_id)
        return story.representative_id or members[0].id, other.id


def test_a_javascript_url_in_other_outlets_is_not_a_link(
    editor: TestClient, web_db: Database
) -> None:
    shown, other = story_with_others(web_db)
    with web_db.session() as s:
        article = s.get(Article, other)
        assert article is not None
        article.url = "javascript:alert(document.cookie)"
    row = editor.post(f"/candidates/{shown}/reject", headers={"HX-Request": "true"}).text
    assert "javascript:alert(document.cookie)" in row  # still shown, as text
    assert 'href="javascript:' not in row
    assert 'href="#"' in row
    page = editor.get(f"/candidates?{WEEK}&all=1&status=").text
    assert 'href="javascript:' not in page


def test_an_articles_original_link_is_guarded(editor: TestClient, web_db: Database) -> None:
    with web_db.session() as s:
        article = s.get(Article, 1)
        assert article is not None
        article.url = "JAVASCRIPT:alert(1)"
    html = editor.get("/articles/1").text
    assert 'href="JAVASCRIPT:' not in html and 'href="javascript:' not in html.lower()


#: characters that make scheme tricks: letters of the schemes, separators, what browsers drop
TRICKY = st.sampled_from(list("javscriptJAVSCRIPThtpsHTPS:/\\ \t\n\r\x00\x01\x0b%&#;.@x1"))


@given(st.one_of(st.text(), st.lists(TRICKY, max_size=30).map("".join)))
@settings(max_examples=500, deadline=None)
def test_a_link_is_only_ever_http_or_https(url: str) -> None:
    """Whatever is stored, the href is ``#`` or the URL itself, which a browser reads as
    http(s) with a host: no character it drops can sit before or inside the scheme."""
    href = safe_href(url)
    if href != "#":
        assert href == url
        assert re.match(r"(?i)https?://[^/?#\\s]", url), url
