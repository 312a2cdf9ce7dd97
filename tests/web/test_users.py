"""账号: only an admin manages accounts; nobody removes or demotes themselves."""

from __future__ import annotations

from fastapi.testclient import TestClient

from jianbao.accounts import get_user
from jianbao.db.session import Database


def test_only_admins_see_the_page(admin: TestClient, editor: TestClient) -> None:
    assert "reader" in admin.get("/users").text
    assert 'href="/users"' in admin.get("/issues").text
    assert editor.get("/users").status_code == 403
    assert 'href="/users"' not in editor.get("/issues").text
    refused = editor.post("/users", data={"username": "x", "password": "long-enough-pw"})
    assert refused.status_code == 403


def test_admin_adds_changes_and_removes(admin: TestClient, web_db: Database) -> None:
    htmx = {"HX-Request": "true"}
    added = admin.post(
        "/users",
        data={"username": "zhaoliu", "password": "long-enough-pw", "role": "reader"},
        headers=htmx,
    )
    assert added.status_code == 200 and "zhaoliu" in added.text
    admin.post("/users/zhaoliu/role", data={"role": "editor"}, headers=htmx)
    with web_db.session() as s:
        user = get_user(s, "zhaoliu")
        assert user is not None and user.role == "editor"
    admin.post("/users/zhaoliu/remove", headers=htmx)
    with web_db.session() as s:
        assert get_user(s, "zhaoliu") is None
    assert admin.post("/users/admin/remove").status_code == 400
    assert admin.post("/users/admin/role", data={"role": "reader"}).status_code == 400
    short = admin.post("/users", data={"username": "qianqi", "password": "short"})
    assert short.status_code == 400 and "密码太短" in short.text
