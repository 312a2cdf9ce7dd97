"""User accounts of the web workstation: admin, editor and reader.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, rehashed on sign-in
when those defaults grow). ``authenticate`` spends the same work whether or not the user
exists, so response times do not tell which usernames are taken. The CLI (``jianbao users
add|passwd|remove``) and the web sign-in both go through these functions, so a password
change, a role change or a removal ends the user's workstation sessions wherever it is
made (``end_sessions``).

Usernames follow one rule (``check_username``): ASCII letters and digits, Chinese
characters and ``._-``, 1–64 characters, starting with a letter, digit or Chinese
character. They appear in the workstation's URLs, and a name with ``/``, ``?`` or
``..`` once addressed another account; names stored before the rule still sign in.
"""

from __future__ import annotations

import contextlib
import re
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from jianbao.db.models import SignInSession, User
from jianbao.errors import InputError, NotFound

ROLES: tuple[str, ...] = ("admin", "editor", "reader")
#: what each role may do, from least to most
ROLE_RANK = {"reader": 0, "editor": 1, "admin": 2}
MIN_PASSWORD = 8
MAX_USERNAME = 64
_NAME_START = r"A-Za-z0-9\u3400-\u4dbf\u4e00-\u9fff"  # letters, digits, CJK ideographs
_USERNAME = re.compile(f"[{_NAME_START}][{_NAME_START}._-]{{0,{MAX_USERNAME - 1}}}")


@cache
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@cache
def _dummy_hash() -> str:
    return _hasher().hash("jianbao-timing-equalizer")


def hash_password(password: str) -> str:
    _check_password(password)
    return _hasher().hash(password)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(
            f"密码太短：至少 {MIN_PASSWORD} 个字符",
            hint="换一个更长的密码（可以用一句话）",
        )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise InputError(f"未知角色 {role!r}", item=role, hint="角色只能是 admin、editor 或 reader")


def check_username(username: str) -> str:
    """``username`` when it follows the rule, else an InputError that states the rule."""
    if not _USERNAME.fullmatch(username):
        raise InputError(
            f"用户名只能由字母、数字、汉字和 . _ - 组成，以字母、数字或汉字开头，"
            f"长 1–{MAX_USERNAME} 个字符",
            item=username[:80],
            hint="例如 zhangsan、zhang.san 或 张三",
        )
    return username


def get_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def add_user(
    session: Session, username: str, password: str, role: str, display_name: str = ""
) -> User:
    """Create an account; a username already taken is an error, never an overwrite."""
    username = check_username(username.strip())
    _check_role(role)
    if get_user(session, username) is not None:
        raise InputError("该用户名已存在", item=username, hint="换一个用户名，或用 passwd 改密码")
    user = User(
        username=username,
        display_name=display_name.strip() or username,
        password_hash=hash_password(password),
        role=role,
        active=True,
    )
    session.add(user)
    session.flush()
    return user


def _existing(session: Session, username: str) -> User:
    user = get_user(session, username)
    if user is None:
        raise NotFound("没有这个用户", item=username, hint="用 jianbao users add 创建")
    return user


def set_password(session: Session, username: str, password: str) -> User:
    """Replace a user's password; their open web sessions end."""
    user = _existing(session, username)
    user.password_hash = hash_password(password)
    end_sessions(session, user, "password")
    session.flush()
    return user


def set_role(session: Session, username: str, role: str) -> User:
    """Change a user's role; their open web sessions end when it changes (a session
    opened as admin must not carry on as one)."""
    _check_role(role)
    user = _existing(session, username)
    if user.role != role:
        user.role = role
        end_sessions(session, user, "role")
    session.flush()
    return user


def remove_user(session: Session, username: str) -> None:
    """Delete an account and its web sessions (its decisions keep the username as plain
    text)."""
    user = _existing(session, username)
    session.execute(delete(SignInSession).where(SignInSession.user_id == user.id))
    session.delete(user)
    session.flush()


def end_sessions(session: Session, user: User, reason: str) -> None:
    """End every open web session of ``user`` (jianbao.web.sessions reads them)."""
    session.execute(
        update(SignInSession)
        .where(SignInSession.user_id == user.id, SignInSession.ended_at.is_(None))
        .values(ended_at=datetime.now(UTC), end_reason=reason)
    )


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with this username and password, or None; records the sign-in."""
    user = get_user(session, username.strip())
    if user is None or not user.active:
        with contextlib.suppress(VerificationError):
            _hasher().verify(_dummy_hash(), password)
        return None
    try:
        _hasher().verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = _hasher().hash(password)
    user.last_login_at = datetime.now(UTC)
    session.flush()
    return user


def can(user: User | None, role: str) -> bool:
    """Whether ``user`` has at least ``role``."""
    if user is None or not user.active:
        return False
    return ROLE_RANK.get(user.role, -1) >= ROLE_RANK[role]
