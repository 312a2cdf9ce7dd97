"""The app: static files with cache headers, Chinese error pages without tracebacks."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.web.app import create_app


def test_static_files_are_cached(anon: TestClient) -> None:
    for path in ("/static/app.css", "/static/vendor/htmx.min.js", "/static/vendor/echarts.min.js"):
        response = anon.get(path)
        assert response.status_code == 200, path
        assert "max-age=31536000" in response.headers["cache-control"]
    assert "htmx" in anon.get("/static/vendor/htmx.min.js").text[:200]
    assert "Apache" in anon.get("/static/vendor/echarts.min.js").text[:600]


def test_not_found_page_is_chinese(editor: TestClient) -> None:
    response = editor.get("/no/such/page")
    assert response.status_code == 404
    assert "找不到这个页面" in response.text and "Traceback" not in response.text


def test_unexpected_errors_show_no_traceback(
    web_settings: Settings, web_db: Database, editor: TestClient
) -> None:
    app = editor.app

    @app.get("/boom")  # type: ignore[attr-defined,untyped-decorator]
    def boom() -> None:
        raise RuntimeError("secret internals")

    response = editor.get("/boom")
    assert response.status_code == 500
    assert "服务器内部错误" in response.text
    assert "secret internals" not in response.text and "Traceback" not in response.text


def test_htmx_errors_go_to_the_notice_area(editor: TestClient) -> None:
    response = editor.post("/candidates/999999/accept", headers={"HX-Request": "true"})
    assert response.status_code == 404
    assert response.headers["HX-Retarget"] == "#notice"
    assert response.text.lstrip().startswith('<div class="flash error"')


def test_home_redirects(anon: TestClient, editor: TestClient) -> None:
    assert anon.get("/", follow_redirects=False).headers["location"] == "/login"
    assert editor.get("/", follow_redirects=False).headers["location"] == "/candidates"


def test_secret_key_is_kept_in_the_data_folder(web_settings: Settings, web_db: Database) -> None:
    create_app(web_settings, database=web_db)
    key = web_settings.data_dir / "web-secret.key"
    assert key.is_file() and oct(key.stat().st_mode)[-3:] == "600"
    first = key.read_text()
    create_app(web_settings, database=web_db)
    assert key.read_text() == first
