"""The workstation's editor's week (issue 15, items 1, 3, 5, 6, 8, 12) over HTTP: one
issue per period, deleting drafts, the editable 主要内容, 不用 on a drafted item, the
default draft and the empty window's hint, the article page's actions and outlets, and
the language switch keeping the page's filters."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jianbao.config import Settings
from jianbao.db.models import Article, Issue, Story
from jianbao.db.session import Database
from jianbao.decisions import record_decision
from jianbao.editions.issue_store import new_issue
from jianbao.web import services

WEEK = "start=2026-11-14&end=2026-11-20"
HTMX = {"HX-Request": "true"}

# the store's side of these (numbering under PostgreSQL's unique key among them) runs on
# both backends in tests/editions; the screens are the same on either: SQLite keeps them fast
pytestmark = pytest.mark.parametrize("web_settings", ["sqlite"], indirect=True)


def row_ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'class="cand[^"]*" id="cand-(\d+)"', html)]


def test_a_second_draft_opens_the_first_and_a_draft_can_be_deleted(
    editor: TestClient, web_db: Database
) -> None:
    form = {"kind": "weekly", "issue_date": "2026-11-20"}
    first = editor.post("/issues", data=form, follow_redirects=False).headers["location"]
    again = editor.post("/issues", data=form, follow_redirects=False).headers["location"]
    assert again == first + "?opened=1"
    assert "这一时段已有一期" in editor.get(again).text
    later = editor.post(
        "/issues", data={"kind": "weekly", "issue_date": "2026-11-27"}, follow_redirects=False
    ).headers["location"]
    first_id, later_id = int(first.rsplit("/", 1)[1]), int(later.rsplit("/", 1)[1])
    page = editor.get(later).text
    assert "暂定" in page and "删除草稿" in page
    gone = editor.post(f"/issues/{first_id}/delete", headers=HTMX)
    assert gone.headers["HX-Redirect"] == f"/issues?deleted={first_id}"
    assert f"已删除草稿 #{first_id}" in editor.get(gone.headers["HX-Redirect"]).text
    with web_db.session() as s:
        assert s.get(Issue, first_id) is None
        remaining = s.get(Issue, later_id)
        assert remaining is not None and remaining.number == 1  # the number came back


def test_the_main_text_is_edited_shortened_and_restored(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    with web_db.session() as s:
        issue = new_issue(s, web_settings, "weekly", date(2026, 11, 20), fill=2)
        issue_id, title = issue.id, issue.items[0].title
        original = issue.items[0].article.body
    page = editor.get(f"/issues/{issue_id}").text
    # a weekly prints 主要内容, not the summary: the form offers what is printed
    assert 'name="body"' in page and "主要内容" in page and 'name="summary"' not in page
    form = {"title": title, "category": "", "body": "删短后的主要内容。"}
    editor.post(f"/issues/{issue_id}/items/1", data=form, headers=HTMX)
    preview = editor.get(f"/issues/{issue_id}/preview").text
    assert "删短后的主要内容。" in preview
    assert original.split("\n")[0] not in preview
    restore = dict(form, restore_body="1")
    editor.post(f"/issues/{issue_id}/items/1", data=restore, headers=HTMX)
    assert original.split("\n")[0] in editor.get(f"/issues/{issue_id}/preview").text
    with web_db.session() as s:
        article = s.scalar(select(Article).where(Article.title == title))
        assert article is not None and article.body == original
        kept = s.get(Issue, issue_id)
        assert kept is not None and kept.items[0].summary == article.summary  # not blanked


def test_rejecting_a_drafted_item_takes_it_out_and_the_checker_sees_others(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    with web_db.session() as s:
        issue = new_issue(s, web_settings, "weekly", date(2026, 11, 20), fill=3)
        issue_id = issue.id
        drafted = [i.article_id for i in issue.items]
    row = editor.post(f"/candidates/{drafted[0]}/reject", data={"issue": issue_id})
    assert "已从「" in row.text and "✓" not in row.text
    # rejected elsewhere (the CLI's decide): the checker says so
    with web_db.session() as s:
        record_decision(s, drafted[1], "reject", editor="editor")
    page = editor.get(f"/issues/{issue_id}").text
    assert "已标为「不用」" in page
    with web_db.session() as s:
        kept = s.get(Issue, issue_id)
        assert kept is not None and drafted[0] not in [i.article_id for i in kept.items]


def test_accept_goes_to_todays_daily_and_an_empty_window_says_where_to_look(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    with web_db.session() as s:
        monthly = new_issue(s, web_settings, "monthly", date(2026, 12, 31), fill=0)
        daily = new_issue(s, web_settings, "daily", services.today(), fill=0)
        ids = (monthly.id, daily.id)
    html = editor.get("/candidates").text  # the default window: the week up to today
    assert f'<option value="{ids[1]}" selected>' in html
    assert row_ids(html) == []
    assert "最近的候选文章在 2026-11-2" in html or "最近的候选文章在 2026-11-1" in html
    link = re.search(r'<p class="hint latest">.*?href="([^"]+)"', html)
    assert link is not None
    assert row_ids(editor.get(link.group(1).replace("&amp;", "&")).text)


def test_the_article_page_accepts_into_a_draft_and_lists_the_other_outlets(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    with web_db.session() as s:
        story = s.scalar(select(Story).where(Story.size > 1).limit(1))
        assert story is not None
        members = s.scalars(select(Article).where(Article.story_id == story.id)).all()
        issue_id = new_issue(s, web_settings, "weekly", date(2026, 11, 20), fill=0).id
    article, other = members[0], members[1]
    html = editor.get(f"/articles/{article.id}").text
    assert "同一事件的其他报道" in html and f'href="/articles/{other.id}"' in html
    assert f'<option value="{issue_id}" selected>' in html
    done = editor.post(
        f"/articles/{article.id}/accept", data={"issue": issue_id}, follow_redirects=True
    )
    assert "已在「" in done.text
    with web_db.session() as s:
        issue = s.get(Issue, issue_id)
        assert issue is not None and [i.article_id for i in issue.items] == [article.id]


def test_the_language_switch_keeps_the_filters(editor: TestClient) -> None:
    page = editor.get(f"/candidates?{WEEK}&q=互联网医院").text
    back = re.search(r'name="back" value="([^"]+)"', page)
    assert back is not None and "q=" in back.group(1) and "start=2026-11-14" in back.group(1)
    switched = editor.post(
        "/language",
        data={"lang": "en", "back": back.group(1).replace("&amp;", "&")},
        follow_redirects=False,
    )
    assert "start=2026-11-14" in switched.headers["location"]
