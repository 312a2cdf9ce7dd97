"""Issue 14, item 13: a refused cross-site request leaves the victim's session alone (no
fresh anonymous cookie in the 403), and ``Origin``/``Referer`` are checked on every
mutation as a second line behind the CSRF token: same origin only; with neither header
the token decides."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jianbao.config import Settings
from jianbao.db.models import Decision
from jianbao.db.session import Database
from jianbao.testing import LoopbackSite, Route, make_settings
from jianbao.web.app import create_app
from jianbao.web.security import COOKIE

SITE = "http://testserver"


def decisions(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Decision)) or 0


def test_a_cross_site_post_does_not_replace_the_session_cookie(app, editor: TestClient) -> None:  # type: ignore[no-untyped-def]
    """A top-level cross-site POST arrives without the SameSite=Lax cookie; its 403 used
    to carry a fresh anonymous cookie that replaced the victim's session."""
    with TestClient(app, raise_server_exceptions=False) as attacker:
        for path in ("/logout", "/candidates/1/accept", "/language"):
            response = attacker.post(
                path, data={"lang": "en"}, headers={"Origin": "https://evil.example"}
            )
            assert response.status_code == 403, path
            assert "set-cookie" not in response.headers, path
    assert editor.get("/issues", follow_redirects=False).status_code == 200


def test_a_failed_csrf_check_never_sets_a_cookie(app, editor: TestClient) -> None:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as stranger:
        response = stranger.post("/candidates/1/reject", data={"csrf_token": "guess"})
        assert response.status_code == 403
        assert "set-cookie" not in response.headers
    before = editor.cookies.get(COOKIE)
    response = editor.post("/candidates/1/reject", headers={"X-CSRF-Token": "wrong"})
    assert response.status_code == 403 and "set-cookie" not in response.headers
    assert editor.cookies.get(COOKIE) == before


def test_pages_still_hand_out_a_token_cookie(anon: TestClient) -> None:
    assert COOKIE in anon.get("/login").headers["set-cookie"]


def test_static_files_hand_out_no_cookie(anon: TestClient) -> None:
    response = anon.get("/static/app.css")
    assert response.status_code == 200 and "set-cookie" not in response.headers


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": "https://evil.example"},
        {"Origin": "http://testserver.evil.example"},
        {"Origin": "http://testserver:8080"},
        {"Origin": "null"},
        {"Referer": "https://evil.example/page"},
        {"Referer": "http://evil.example/?http://testserver/"},
        {"Origin": "https://evil.example", "Referer": f"{SITE}/candidates"},
    ],
)
def test_a_foreign_origin_or_referer_is_refused_even_with_the_token(
    editor: TestClient, web_db: Database, headers: dict[str, str]
) -> None:
    before = decisions(web_db)
    response = editor.post("/candidates/1/reject", headers=headers)
    assert response.status_code == 403
    assert "其他网站" in response.text
    assert decisions(web_db) == before


@pytest.mark.parametrize(
    "headers",
    [
        {"Origin": SITE},
        {"Origin": "HTTP://TESTSERVER"},
        {"Origin": "http://testserver:80"},
        {"Referer": f"{SITE}/candidates?start=2026-11-14"},
        {},
    ],
)
def test_the_same_origin_or_no_origin_passes_with_the_token(
    editor: TestClient, web_db: Database, headers: dict[str, str]
) -> None:
    before = decisions(web_db)
    response = editor.post("/candidates/1/reject", headers=headers)
    assert response.status_code == 200
    assert decisions(web_db) == before + 1


def test_the_same_origin_without_the_token_is_still_refused(
    editor: TestClient, web_db: Database
) -> None:
    del editor.headers["X-CSRF-Token"]
    response = editor.post("/candidates/1/reject", headers={"Origin": SITE})
    assert response.status_code == 403 and "CSRF" in response.text


def test_reads_are_not_checked(editor: TestClient) -> None:
    response = editor.get("/issues", headers={"Origin": "https://evil.example"})
    assert response.status_code == 200


def test_in_chromium_a_cross_site_form_cannot_sign_the_editor_out(
    tmp_path: Path, demo_db_file: Path, passwords: dict[str, str]
) -> None:
    """The attacker's reproduction in a real browser: signed in on 127.0.0.1, the editor
    visits a page on another site (``localhost``) whose form posts itself to /logout
    and to an accept; the editor stays signed in and nothing is accepted."""
    browser_test = pytest.importorskip("web.test_browser")  # skips without chromium
    shutil.copyfile(demo_db_file, tmp_path / "jianbao.db")
    settings = make_settings(tmp_path, database_url=f"sqlite:///{tmp_path / 'jianbao.db'}")
    db = Database.from_settings(settings)
    app = create_app(settings, database=db, secret_key="browser-test")
    before = decisions(db)
    with browser_test.ServerThread(app) as base:
        forms = "".join(
            f'<form method="post" action="{base}{path}" target="f{n}">'
            f'<input name="csrf_token" value="guess"></form><iframe name="f{n}"></iframe>'
            for n, path in enumerate(["/candidates/1/accept", "/logout"])
        )
        attack = (
            f"<!doctype html><title>抽奖</title>{forms}"
            "<script>for (const f of document.forms) f.submit()</script>"
        ).encode()
        top = (
            f'<!doctype html><form method="post" action="{base}/logout"></form>'
            "<script>document.forms[0].submit()</script>"
        ).encode()
        with (
            LoopbackSite({"/frames": Route(attack), "/top": Route(top)}) as evil,
            chromium_page(browser_test, base) as page,
        ):
            page.goto("/login")
            page.fill("input[name=username]", "editor")
            page.fill("input[name=password]", passwords["editor"])
            page.click("button[type=submit].primary")
            page.wait_for_url("**/candidates")
            other_site = evil.base_url.replace("127.0.0.1", "localhost")
            page.goto(f"{other_site}/frames")
            page.wait_for_timeout(300)
            with page.expect_navigation():
                page.goto(f"{other_site}/top")
            assert page.url == f"{base}/logout"
            page.goto("/issues")
            assert page.url == f"{base}/issues", "the editor was signed out"
    assert decisions(db) == before
    db.close()


@contextmanager
def chromium_page(browser_test: Any, base: str) -> Iterator[Any]:
    """A page of Debian's chromium (as test_browser launches it) with ``base`` as its
    base URL."""
    with browser_test.sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(browser_test.CHROMIUM), args=browser_test.ARGS
        )
        try:
            context = browser.new_context(base_url=base, locale="zh-CN")
            context.set_default_timeout(8000)
            yield context.new_page()
        finally:
            browser.close()


def test_behind_a_proxy_the_configured_web_url_is_this_site(
    app, editor: TestClient, web_settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    """A proxy that does not pass the browser's Host on (the app sees 127.0.0.1:8000):
    the origin named by JIANBAO_WEB_URL is accepted, any other still refused."""
    app.state.settings = web_settings.model_copy(update={"web_url": "https://jb.example.cn/"})
    proxied = {"Host": "127.0.0.1:8000"}
    ok = editor.post("/candidates/1/reject", headers=proxied | {"Origin": "https://jb.example.cn"})
    assert ok.status_code == 200
    for origin in ("http://jb.example.cn", "https://evil.example", "https://jb.example.cn:8443"):
        refused = editor.post("/candidates/1/reject", headers=proxied | {"Origin": origin})
        assert refused.status_code == 403, origin
