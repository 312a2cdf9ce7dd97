"""Kept lists: valid for one store revision, never older than the store, no session secret
inside, and an article cannot forge the CSRF slot."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.web.cache import CSRF_SLOT, RevisionCache, with_csrf

WEEK = "start=2026-11-14&end=2026-11-20"


def test_an_entry_is_used_only_at_its_revision() -> None:
    cache = RevisionCache(size=2)
    calls: list[int] = []

    def compute(value: int) -> int:
        calls.append(value)
        return value

    assert cache.fetch(1, "a", lambda: compute(10)) == 10
    assert cache.fetch(1, "a", lambda: compute(11)) == 10
    assert cache.fetch(2, "a", lambda: compute(12)) == 12
    assert calls == [10, 12]
    cache.fetch(2, "b", lambda: compute(20))
    cache.fetch(2, "c", lambda: compute(30))  # the least recently used ("a") goes
    assert cache.fetch(2, "a", lambda: compute(13)) == 13
    assert (cache.hits, cache.misses) == (1, 5)


def test_an_older_computation_never_replaces_a_newer_entry() -> None:
    cache = RevisionCache()
    cache.fetch(5, "a", lambda: "new")
    assert cache.fetch(4, "a", lambda: "old") == "old"  # the slow reader gets its own
    assert cache.fetch(5, "a", lambda: "recomputed") == "new"


def test_the_slot_is_filled_per_session_and_text_cannot_forge_it() -> None:
    fragment = f'<input name="csrf_token" value="{CSRF_SLOT}">'
    assert with_csrf(fragment, "token-1") == '<input name="csrf_token" value="token-1">'
    from markupsafe import escape

    assert CSRF_SLOT not in str(escape(str(CSRF_SLOT)))


def test_a_change_shows_on_the_next_request(editor: TestClient, web_db: Database) -> None:
    first = editor.get(f"/candidates?{WEEK}").text
    shown = int(re.findall(r'id="cand-(\d+)"', first)[0])
    with web_db.session() as s:  # another process (the pipeline, the CLI) edits the store
        article = s.get(Article, shown)
        assert article is not None
        article.summary = "缓存测试：新的摘要"
    assert "缓存测试：新的摘要" not in first
    assert "缓存测试：新的摘要" in editor.get(f"/candidates?{WEEK}").text
    with web_db.session() as s:
        s.add(
            Article(
                url="https://example.org/new.html",
                canonical_url="https://example.org/new.html",
                content_hash="f" * 64,
                title="缓存测试：刚采集的电子病历新闻",
                body="电子病历",
                published_at=datetime(2026, 11, 19, 2, tzinfo=UTC),
                relevant=True,
                score=0.9,
            )
        )
    assert "缓存测试：刚采集的电子病历新闻" in editor.get(f"/candidates?{WEEK}").text


def test_each_session_gets_its_own_token_from_a_kept_list(
    editor: TestClient, admin: TestClient
) -> None:
    for client in (editor, admin, editor):
        html = client.get(f"/candidates?{WEEK}").text
        tokens = set(re.findall(r'name="csrf_token" value="([^"]+)"', html))
        assert tokens == {client.headers["X-CSRF-Token"]}
        assert "csrf-slot" not in html


def test_search_results_follow_the_store(editor: TestClient, web_db: Database) -> None:
    assert "<mark>缓存测试标题</mark>" not in editor.get("/archive?q=缓存测试标题").text
    with web_db.session() as s:
        article = s.scalars(select(Article)).first()
        assert article is not None
        article.title = "缓存测试标题 " + article.title
        from jianbao.archive.search import index_article

        index_article(s, article.id, article.title, article.body)
    assert "<mark>缓存测试标题</mark>" in editor.get("/archive?q=缓存测试标题").text


def test_one_computation_per_key_at_a_time() -> None:
    """Twenty requests missing the same list wait for one computation (issue 19)."""
    import threading
    import time

    cache = RevisionCache()
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        time.sleep(0.05)
        return "list"

    got: list[str] = []
    threads = [
        threading.Thread(target=lambda: got.append(cache.fetch(7, "k", compute))) for _ in range(8)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert got == ["list"] * 8
    assert len(calls) == 1
    assert cache.peek(7, "k") == "list" and cache.peek(8, "k") is None


def test_a_kept_page_is_filled_in_for_each_user(
    app, editor: TestClient, admin: TestClient, reader: TestClient
) -> None:  # type: ignore[no-untyped-def]
    """The whole page is kept per role and language; the name in the header and the
    forms' token are each requester's own (issue 19)."""
    first = editor.get(f"/candidates?{WEEK}").text
    hits = app.state.cache.hits
    again = editor.get(f"/candidates?{WEEK}").text
    assert app.state.cache.hits == hits + 1  # the page itself, nothing computed
    assert again == first
    other = admin.get(f"/candidates?{WEEK}").text
    for client, html, name in ((editor, first, "editor 用户"), (admin, other, "admin 用户")):
        assert name in html
        assert set(re.findall(r'name="csrf_token" value="([^"]+)"', html)) == {
            client.headers["X-CSRF-Token"]
        }
        assert "name-slot" not in html and "csrf-slot" not in html
    assert "editor 用户" not in other
    assert 'href="/users"' in other and 'href="/users"' not in first  # the admin's own nav
    read_only = reader.get(f"/candidates?{WEEK}").text
    assert "/accept" in first and "/accept" not in read_only


def test_a_session_ended_elsewhere_opens_no_kept_page(editor: TestClient, web_db: Database) -> None:
    """Ending a session from another process (``jianbao users passwd``) holds at the next
    request, even for a page kept whole."""
    from jianbao.accounts import end_sessions, get_user

    assert editor.get(f"/candidates?{WEEK}").status_code == 200
    with web_db.session() as s:
        user = get_user(s, "editor")
        assert user is not None
        end_sessions(s, user, "password")
    response = editor.get(f"/candidates?{WEEK}", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login")


def test_a_seen_cookie_is_still_refused_when_too_old(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from jianbao.web import security
    from jianbao.web.security import SessionCodec, WebSession

    codec = SessionCodec("test-secret", secure=False, max_age=60)
    raw = codec.dump(WebSession(token="t1"))
    assert codec.load(raw).token == "t1"
    assert codec.load(raw).token == "t1"  # from the record of seen cookies
    later = security.time.time() + 120
    monkeypatch.setattr(security.time, "time", lambda: later)
    refused = codec.load(raw)
    assert refused.token is None and refused.fresh
    assert codec.load(raw[:-2] + "xx").fresh  # a forged signature, never seen
