"""Sessions, CSRF and roles for the web workstation.

The session lives in one signed cookie (itsdangerous, timestamped): the user's id, a
fingerprint of their password hash (so a password change ends old sessions) and the CSRF
token. It is HttpOnly and SameSite=Lax, and Secure when the deployment says so. Every
request that changes something must carry the token, in the ``csrf_token`` form field
or the ``X-CSRF-Token`` header htmx sends; sign-in rotates the token.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from jianbao.accounts import can, session_stamp
from jianbao.db.models import User

COOKIE = "jianbao_session"
LANG_COOKIE = "jianbao_lang"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_SECONDS = 14 * 24 * 3600


class NeedsLogin(Exception):
    """Raised by a route guard when nobody is signed in; answered with the sign-in page."""


class Forbidden(Exception):
    """Raised when the signed-in user's role does not allow the action, or CSRF fails."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


@dataclass
class WebSession:
    """The decoded session cookie; ``changed`` asks the middleware to write it back."""

    uid: int | None = None
    stamp: str = ""
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    changed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"u": self.uid, "s": self.stamp, "c": self.csrf}

    def sign_in(self, user: User) -> None:
        self.uid = user.id
        self.stamp = session_stamp(user)
        self.csrf = secrets.token_urlsafe(32)
        self.changed = True

    def sign_out(self) -> None:
        self.uid = None
        self.stamp = ""
        self.csrf = secrets.token_urlsafe(32)
        self.changed = True


class SessionCodec:
    """Signs and reads the session cookie."""

    def __init__(self, secret: str, *, secure: bool, max_age: int = SESSION_SECONDS):
        self.serializer = URLSafeTimedSerializer(secret, salt="jianbao.web.session")
        self.secure = secure
        self.max_age = max_age

    def load(self, raw: str | None) -> WebSession:
        if raw:
            try:
                data = self.serializer.loads(raw, max_age=self.max_age)
                return WebSession(uid=data.get("u"), stamp=data.get("s", ""), csrf=data["c"])
            except (BadSignature, KeyError, TypeError, AttributeError):
                pass
        return WebSession(changed=True)

    def dump(self, session: WebSession) -> str:
        return self.serializer.dumps(session.to_dict())


def load_secret(data_dir: Path) -> str:
    """The signing key, kept in data_dir/web-secret.key (created, owner-only, on first use)."""
    path = data_dir / "web-secret.key"
    if path.is_file():
        text = path.read_text(encoding="ascii").strip()
        if text:
            return text
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret, encoding="ascii")
    path.chmod(0o600)
    return secret


def web_session(request: Request) -> WebSession:
    session: WebSession = request.state.web_session
    return session


def current_user(request: Request) -> User | None:
    user: User | None = getattr(request.state, "user", None)
    return user


async def csrf_protect(request: Request) -> None:
    """Route dependency: an unsafe method must carry the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    expected = web_session(request).csrf
    given = request.headers.get("x-csrf-token", "")
    if not given:
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else ""
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Forbidden("err.csrf")


def require(role: str) -> Any:
    """A route dependency admitting users with at least ``role``."""

    def guard(request: Request) -> User:
        user = current_user(request)
        if user is None:
            raise NeedsLogin()
        if not can(user, role):
            raise Forbidden("err.readonly" if user.role == "reader" else "err.403")
        return user

    return guard


def client_is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"
