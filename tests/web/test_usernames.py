"""Issue 14, item 14: usernames follow a clear rule (letters, digits, Chinese characters
and ``._-``, 1–64, starting with a letter, digit or Chinese character), and every
username put into a URL path is encoded, so a name stored before the rule (one with
``/``, ``..``, ``?``) addresses its own account and never another's."""

from __future__ import annotations

import html
import re
from urllib.parse import quote, unquote

import pytest
from fastapi.testclient import TestClient
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from jianbao.accounts import add_user, check_username, get_user, hash_password
from jianbao.db.models import User
from jianbao.db.session import Database
from jianbao.errors import InputError
from jianbao.web.security import url_part

GOOD = ["zhangsan", "zhang.san", "li_si-2", "张三", "王小明2", "a", "x" * 64, "Editor.01"]
BAD = [
    "",
    " ",
    "x/../../users/victim2",
    "a/b",
    "..",
    ".hidden",
    "-dash",
    "who?",
    "a#b",
    "a%2Fb",
    "a b",
    "tab\there",
    "x" * 65,
    "ｆｕｌｌｗｉｄｔｈ",
    "e\u0301",
    "name\u202e",
    "semi;colon",
]


@pytest.mark.parametrize("name", GOOD)
def test_names_within_the_rule_are_accepted(name: str) -> None:
    assert check_username(name) == name


@pytest.mark.parametrize("name", BAD)
def test_names_outside_the_rule_are_refused_with_the_rule(name: str) -> None:
    with pytest.raises(InputError) as caught:
        check_username(name)
    assert "字母、数字、汉字" in caught.value.message and caught.value.hint


def test_the_workstation_refuses_the_attackers_name(admin: TestClient, web_db: Database) -> None:
    response = admin.post(
        "/users",
        data={"username": "x/../../users/victim2", "password": "long-enough-pw"},
    )
    assert response.status_code == 400 and "字母、数字、汉字" in response.text
    with web_db.session() as s:
        assert get_user(s, "x/../../users/victim2") is None


def legacy(db: Database, *names: str) -> None:
    """Accounts stored before the rule existed (written past add_user's check)."""
    with db.session() as s:
        for name in names:
            s.add(User(username=name, display_name=name, password_hash=hash_password("pw-long-1")))


def action(page: str, name: str, verb: str) -> str:
    """The form action the users page renders for ``name``'s ``verb`` (role or remove)."""
    for row in re.findall(r"<tr.*?</tr>", page, flags=re.S):
        if f"<td>{html.escape(name)}</td>" in row:
            found = re.search(rf'action="([^"]*/{verb})"', row)
            assert found, row
            return html.unescape(found.group(1))
    raise AssertionError(f"no row for {name!r}")


def test_removing_a_legacy_slash_name_removes_that_account_only(
    admin: TestClient, web_db: Database
) -> None:
    with web_db.session() as s:
        add_user(s, "victim2", "long-enough-pw", "editor")
    legacy(web_db, "x/../../users/victim2")
    url = action(admin.get("/users").text, "x/../../users/victim2", "remove")
    assert "/../" not in url
    response = admin.post(url, follow_redirects=False)
    assert response.status_code == 303
    with web_db.session() as s:
        assert get_user(s, "victim2") is not None
        assert get_user(s, "x/../../users/victim2") is None


@pytest.mark.parametrize("name", ["who?role=admin", "a#frag", "50%off", "中 文", "..x", "a/role"])
def test_a_legacy_name_changes_its_own_role(admin: TestClient, web_db: Database, name: str) -> None:
    legacy(web_db, name)
    url = action(admin.get("/users").text, name, "role")
    response = admin.post(url, data={"role": "reader"}, follow_redirects=False)
    assert response.status_code == 303, (url, response.status_code)
    with web_db.session() as s:
        user = get_user(s, name)
        assert user is not None and user.role == "reader"
        editor = get_user(s, "editor")
        assert editor is not None and editor.role == "editor"


def test_a_legacy_name_still_signs_in(anon: TestClient, web_db: Database) -> None:
    legacy(web_db, "old/name")
    token = re.search(r'name="csrf_token" value="([^"]+)"', anon.get("/login").text)
    assert token
    response = anon.post(
        "/login",
        data={"username": "old/name", "password": "pw-long-1", "csrf_token": token.group(1)},
        follow_redirects=False,
    )
    assert response.status_code == 303


@given(st.text(min_size=1, max_size=80))
@settings(max_examples=300, deadline=None)
def test_any_name_is_one_path_segment_that_reads_back_whole(name: str) -> None:
    assume(name not in (".", ".."))  # no spelling of these is a plain segment (WHATWG URL)
    segment = url_part(name)
    assert not set(segment) & set("/?#\\ ")
    assert unquote(segment) == name


def test_a_legacy_dot_dot_name_cannot_reach_another_account(
    admin: TestClient, web_db: Database
) -> None:
    """A name that is exactly ``..`` is a dot segment however it is encoded, so the
    browser drops it; the request then names no account (the CLI can remove it)."""
    legacy(web_db, "..")
    url = action(admin.get("/users").text, "..", "remove")
    response = admin.post(url, follow_redirects=False)
    assert response.status_code in (404, 405)
    with web_db.session() as s:
        assert get_user(s, "..") is not None and get_user(s, "editor") is not None


@given(st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_an_accepted_name_never_needs_encoding(name: str) -> None:
    """A name within the rule is safe as it is in a path (no dot segment, no separator)."""
    try:
        check_username(name)
    except InputError:
        return
    assert 1 <= len(name) <= 64 and name[0] not in "._-"
    assert url_part(name) == quote(name, safe="._-") and "/" not in name
