"""Security: CSRF on every state-changing route, readers change nothing, article HTML
renders inert, sessions are signed and HttpOnly, sign-in and sign-out behave."""

from __future__ import annotations

import re

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jianbao.db.models import Article, Decision, Issue, Source
from jianbao.db.session import Database
from jianbao.web.routes import (
    archive,
    articles,
    auth,
    candidates,
    dashboard,
    issues,
    sources,
    users,
)
from jianbao.web.security import COOKIE

ROUTE_MODULES = (auth, candidates, issues, articles, sources, archive, dashboard, users)

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match
    return match.group(1)


def unsafe_routes(app) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """Every state-changing route of every screen module (ids filled in as 1)."""
    found = []
    for module in ROUTE_MODULES:
        for route in module.router.routes:
            if isinstance(route, APIRoute):
                for method in sorted(route.methods & UNSAFE):
                    path = re.sub(r"\{[^}]+\}", "1", route.path)
                    found.append((method, path))
    return found


def counts(db: Database) -> tuple[int, ...]:
    with db.session() as s:
        return tuple(
            s.scalar(select(func.count()).select_from(model)) or 0
            for model in (Decision, Issue, Source)
        )


def test_there_are_state_changing_routes(app) -> None:  # type: ignore[no-untyped-def]
    paths = {p for _m, p in unsafe_routes(app)}
    assert {"/login", "/candidates/1/accept", "/issues/1/publish", "/sources"} <= paths


@pytest.mark.parametrize("token", [None, "wrong-token"])
def test_every_unsafe_route_refuses_a_missing_or_wrong_csrf_token(
    app, editor: TestClient, web_db: Database, token: str | None
) -> None:  # type: ignore[no-untyped-def]
    before = counts(web_db)
    del editor.headers["X-CSRF-Token"]
    for method, path in unsafe_routes(app):
        data = {"csrf_token": token} if token else {}
        response = editor.request(method, path, data=data, follow_redirects=False)
        assert response.status_code == 403, (method, path, response.status_code)
        assert "CSRF" in response.text
    assert counts(web_db) == before


def test_the_header_token_is_accepted(editor: TestClient, web_db: Database) -> None:
    response = editor.post("/candidates/1/reject")
    assert response.status_code == 200
    with web_db.session() as s:
        assert s.scalar(select(func.count()).select_from(Decision)) == 1


def test_a_reader_cannot_change_anything(app, reader: TestClient, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    before = counts(web_db)
    for method, path in unsafe_routes(app):
        if path in ("/login", "/logout", "/language"):
            continue
        response = reader.request(method, path, data={"title": "x"}, follow_redirects=False)
        assert response.status_code == 403, (method, path, response.status_code)
        assert "只读账号不能修改内容" in response.text
    assert counts(web_db) == before
    page = reader.get("/candidates?start=2026-11-01&end=2026-11-20").text
    assert "/candidates/" not in re.sub(r'href="/candidates[^"]*"', "", page).replace(
        'action="/candidates"', ""
    ).replace('hx-get="/candidates"', "")


def test_pages_need_sign_in(anon: TestClient) -> None:
    for path in (
        "/candidates",
        "/issues",
        "/issues/1",
        "/articles/1",
        "/sources",
        "/archive",
        "/dashboard",
        "/sources/export.opml",
        "/issues/1/preview",
    ):
        response = anon.get(path, follow_redirects=False)
        assert response.status_code == 303, path
        assert response.headers["location"].startswith("/login?next=")
    htmx = anon.get("/candidates", headers={"HX-Request": "true"}, follow_redirects=False)
    assert htmx.headers["HX-Redirect"].startswith("/login")


def test_anonymous_post_with_token_is_refused(anon: TestClient) -> None:
    token = csrf_of(anon.get("/login").text)
    response = anon.post("/candidates/1/accept", data={"csrf_token": token})
    assert response.status_code == 401


def test_wrong_password_and_unknown_user(anon: TestClient, passwords: dict[str, str]) -> None:
    token = csrf_of(anon.get("/login").text)
    for user, password in (("editor", "nope-nope-nope"), ("ghost", passwords["editor"])):
        response = anon.post(
            "/login", data={"username": user, "password": password, "csrf_token": token}
        )
        assert response.status_code == 401
        assert "用户名或密码不对" in response.text


def test_session_cookie_flags_and_rotation(anon: TestClient, passwords: dict[str, str]) -> None:
    first = anon.get("/login")
    token = csrf_of(first.text)
    cookie = first.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    response = anon.post(
        "/login",
        data={"username": "editor", "password": passwords["editor"], "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    new_token = csrf_of(anon.get("/issues").text)
    assert new_token != token
    anon.post("/logout", data={"csrf_token": new_token})
    assert anon.get("/issues", follow_redirects=False).status_code == 303


def test_secure_cookie_when_configured(web_settings, web_db) -> None:  # type: ignore[no-untyped-def]
    from jianbao.web.app import create_app

    app = create_app(web_settings, database=web_db, secret_key="k", secure_cookies=True)
    with TestClient(app) as client:
        assert "Secure" in client.get("/login").headers["set-cookie"]


def test_a_forged_cookie_is_ignored(anon: TestClient) -> None:
    anon.cookies.set(COOKIE, "eyJ1IjoxfQ.forged.signature")
    assert anon.get("/issues", follow_redirects=False).status_code == 303


def test_password_change_ends_old_sessions(editor: TestClient, web_db: Database) -> None:
    from jianbao.accounts import set_password

    assert editor.get("/issues").status_code == 200
    with web_db.session() as s:
        set_password(s, "editor", "a-brand-new-password")
    assert editor.get("/issues", follow_redirects=False).status_code == 303


def test_next_parameter_stays_on_site(anon: TestClient, passwords: dict[str, str]) -> None:
    token = csrf_of(anon.get("/login").text)
    response = anon.post(
        "/login",
        data={
            "username": "editor",
            "password": passwords["editor"],
            "csrf_token": token,
            "next": "//evil.example/",
        },
        follow_redirects=False,
    )
    assert response.headers["location"] == "/candidates"


HOSTILE = (
    '<p>正文<script>alert(1)</script></p><img src=x onerror="alert(2)">'
    '<a href="javascript:alert(3)">链接</a><iframe src="https://evil.example"></iframe>'
)


def test_hostile_article_html_renders_inert(editor: TestClient, web_db: Database) -> None:
    with web_db.session() as s:
        article = s.get(Article, 1)
        assert article is not None
        article.html = HOSTILE
        article.title = '标题<script>alert("t")</script>'
        article.body = "正文<script>alert(4)</script>\n第二段 onerror=alert(5)"
        article.summary = '<img src=x onerror="alert(6)">'
        article.source_name = "<b onmouseover=alert(7)>来源</b>"
    pages = [
        editor.get("/articles/1").text,
        editor.get("/candidates?start=2026-01-01&end=2026-12-31&all=1").text,
        editor.get("/archive?q=正文").text,
    ]
    for html in pages:
        assert "<script>alert" not in html
        assert "<img src=x" not in html
        assert "<b onmouseover" not in html
        assert "javascript:alert" not in html
        assert '<iframe src="https://evil' not in html
    assert "&lt;script&gt;" in pages[0]
    assert "正文" in pages[0]


def test_hostile_text_without_html_is_escaped(editor: TestClient, web_db: Database) -> None:
    with web_db.session() as s:
        article = s.get(Article, 2)
        assert article is not None
        article.html = None
        article.body = '<script>alert(1)</script>\n<img src=x onerror="alert(2)">'
    html = editor.get("/articles/2").text
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;img src=x onerror=" in html


def test_security_headers(editor: TestClient) -> None:
    response = editor.get("/candidates")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"
    preview = editor.get("/issues/999/preview")
    assert preview.status_code == 404
