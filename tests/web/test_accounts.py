"""Accounts: argon2 hashes, roles, add/passwd/remove/authenticate."""

from __future__ import annotations

import pytest

from jianbao.accounts import (
    add_user,
    authenticate,
    can,
    get_user,
    remove_user,
    set_password,
    set_role,
)
from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.errors import InputError, NotFound


@pytest.fixture
def store(sqlite_settings: Settings):  # type: ignore[no-untyped-def]
    db = Database.from_settings(sqlite_settings)
    yield db
    db.close()


def test_account_lifecycle(store: Database) -> None:
    with store.session() as s:
        user = add_user(s, "zhangsan", "long-enough-pw", "editor", display_name="张三")
        assert user.password_hash.startswith("$argon2id$")
        assert "long-enough-pw" not in user.password_hash
    with store.session() as s:
        found = authenticate(s, "zhangsan", "long-enough-pw")
        assert found is not None and found.display_name == "张三" and found.last_login_at
        assert authenticate(s, "zhangsan", "wrong-password") is None
        assert authenticate(s, "nobody", "long-enough-pw") is None
        set_password(s, "zhangsan", "another-long-pw")
        assert authenticate(s, "zhangsan", "long-enough-pw") is None
        assert authenticate(s, "zhangsan", "another-long-pw") is not None
        set_role(s, "zhangsan", "reader")
        assert not can(get_user(s, "zhangsan"), "editor")
        assert can(get_user(s, "zhangsan"), "reader")
        remove_user(s, "zhangsan")
        assert get_user(s, "zhangsan") is None


def test_inactive_user_cannot_sign_in(store: Database) -> None:
    with store.session() as s:
        add_user(s, "lisi", "long-enough-pw", "reader").active = False
    with store.session() as s:
        assert authenticate(s, "lisi", "long-enough-pw") is None


def test_bad_input(store: Database) -> None:
    with store.session() as s:
        with pytest.raises(InputError, match="密码太短"):
            add_user(s, "wangwu", "short", "editor")
        with pytest.raises(InputError, match="未知角色"):
            add_user(s, "wangwu", "long-enough-pw", "boss")
        with pytest.raises(InputError):
            add_user(s, "wang wu", "long-enough-pw", "editor")
        add_user(s, "wangwu", "long-enough-pw", "admin")
        with pytest.raises(InputError, match="已存在"):
            add_user(s, "wangwu", "long-enough-pw", "admin")
        with pytest.raises(NotFound):
            set_password(s, "ghost", "long-enough-pw")
        with pytest.raises(NotFound):
            remove_user(s, "ghost")
