"""User accounts of the web workstation: admin, editor and reader.

Passwords are kept only as argon2id hashes (argon2-cffi's defaults, rehashed on sign-in
when those defaults grow). ``authenticate`` spends the same work whether or not the user
exists, so response times do not tell which usernames are taken. The CLI (``jianbao users
add|passwd|remove``) and the web sign-in both go through these functions.
"""

from __future__ import annotations

import contextlib
import hashlib
from datetime import UTC, datetime
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.db.models import User
from jianbao.errors import InputError, NotFound

ROLES: tuple[str, ...] = ("admin", "editor", "reader")
#: what each role may do, from least to most
ROLE_RANK = {"reader": 0, "editor": 1, "admin": 2}
MIN_PASSWORD = 8


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


def get_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username))


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def add_user(
    session: Session, username: str, password: str, role: str, display_name: str = ""
) -> User:
    """Create an account; a username already taken is an error, never an overwrite."""
    username = username.strip()
    if not username or len(username) > 100 or any(ch.isspace() for ch in username):
        raise InputError(
            "用户名不能为空、不能含空格，最长 100 个字符", item=username, hint="例如 zhangsan"
        )
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
    """Replace a user's password; their open web sessions end (see ``session_stamp``)."""
    user = _existing(session, username)
    user.password_hash = hash_password(password)
    session.flush()
    return user


def set_role(session: Session, username: str, role: str) -> User:
    _check_role(role)
    user = _existing(session, username)
    user.role = role
    session.flush()
    return user


def remove_user(session: Session, username: str) -> None:
    """Delete an account (its decisions keep the username as plain text)."""
    session.delete(_existing(session, username))
    session.flush()


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


def session_stamp(user: User) -> str:
    """A short fingerprint of the password hash, kept in the web session so that a
    password change (or a removed account) ends every session opened before it."""
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:16]


def can(user: User | None, role: str) -> bool:
    """Whether ``user`` has at least ``role``."""
    if user is None or not user.active:
        return False
    return ROLE_RANK.get(user.role, -1) >= ROLE_RANK[role]
