"""Sessions, CSRF, same-origin checks, roles and safe links for the web workstation.

The session cookie is signed (itsdangerous, timestamped) and holds the CSRF token and,
once signed in, a random session token whose hash the store keeps
(``jianbao.web.sessions``): signing out, a password or role change, a removed account,
the idle timeout and the absolute lifetime end the session in the store, and the cookie
then opens nothing. The cookie is HttpOnly and SameSite=Lax, and Secure when the
deployment says so.

Every request that changes something must carry the token, in the ``csrf_token`` form
field or the ``X-CSRF-Token`` header htmx sends; sign-in rotates it. Behind the token,
a mutation whose ``Origin`` (or, without it, ``Referer``) names another site is refused;
with neither header the token decides. A fresh anonymous cookie is only handed out with
pages (safe methods), so a refused cross-site POST — which arrives without the Lax
cookie — cannot replace a signed-in user's cookie with an anonymous one.
"""

from __future__ import annotations

import contextlib
import hmac
import os
import secrets
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer

from jianbao.accounts import can
from jianbao.db.models import User

COOKIE = "jianbao_session"
LANG_COOKIE = "jianbao_lang"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
SESSION_SECONDS = 14 * 24 * 3600
#: characters browsers drop from a URL before reading its scheme (WHATWG URL parsing)
_URL_INVISIBLE = dict.fromkeys(range(0x21), None) | {0x7F: None}
_DEFAULT_PORTS = {"http": 80, "https": 443}


class NeedsLogin(Exception):
    """Raised by a route guard when nobody is signed in; answered with the sign-in page."""


class Forbidden(Exception):
    """Raised when the signed-in user's role does not allow the action, or CSRF fails."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


@dataclass
class WebSession:
    """The decoded session cookie. ``token`` is the signed-in session's random token
    (None: anonymous); ``changed`` asks the middleware to write the cookie back, and
    ``fresh`` marks a session made for a request that brought no valid cookie."""

    token: str | None = None
    csrf: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    changed: bool = False
    fresh: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {"t": self.token, "c": self.csrf}

    def sign_in(self, token: str) -> None:
        """Hold the token of a session just opened in the store; a new CSRF token."""
        self.token = token
        self.csrf = secrets.token_urlsafe(32)
        self.changed = True
        self.fresh = False

    def sign_out(self) -> None:
        self.token = None
        self.csrf = secrets.token_urlsafe(32)
        self.changed = True
        self.fresh = False


class SessionCodec:
    """Signs and reads the session cookie.

    A browser sends the same cookie with every request, and checking its signature (an
    HMAC, base64 and JSON) was a tenth of a cached page's time: the cookies read lately
    are kept with what they hold and when they were signed, so a cookie seen before is
    only checked for its age (:data:`SEEN_COOKIES` of them, then the record starts
    afresh). Only a cookie that passed the full check is kept."""

    #: how many recently read cookies are remembered
    SEEN_COOKIES = 4096

    def __init__(self, secret: str, *, secure: bool, max_age: int = SESSION_SECONDS):
        self.serializer = URLSafeTimedSerializer(secret, salt="jianbao.web.session")
        self.secure = secure
        self.max_age = max_age
        self._seen: dict[str, tuple[str | None, str, float]] = {}

    def load(self, raw: str | None) -> WebSession:
        if raw:
            seen = self._seen.get(raw)
            if seen is not None:
                token, csrf, signed = seen
                if 0 <= time.time() - signed <= self.max_age:
                    return WebSession(token=token, csrf=csrf)
                self._seen.pop(raw, None)
            try:
                data, when = self.serializer.loads(raw, max_age=self.max_age, return_timestamp=True)
                token = data.get("t")
                token = token if isinstance(token, str) else None
                csrf = data["c"]
                if isinstance(csrf, str):
                    if len(self._seen) >= self.SEEN_COOKIES:
                        self._seen.clear()
                    self._seen[raw] = (token, csrf, when.timestamp())
                return WebSession(token=token, csrf=csrf)
            except (BadSignature, KeyError, TypeError, AttributeError):
                pass
        return WebSession(changed=True, fresh=True)

    def dump(self, session: WebSession) -> str:
        return self.serializer.dumps(session.to_dict())


def load_secret(data_dir: Path) -> str:
    """The signing key, kept in data_dir/web-secret.key (created, owner-only, on first use).

    ``serve --workers`` starts its processes together, and each used to write a key of
    its own: the cookies of one were forgeries to the others. The key is now written
    aside and linked into place, which fails when another process got there first; every
    process then reads the one key on disk, and never a half-written one."""
    path = data_dir / "web-secret.key"
    existing = _read_secret(path)
    if existing:
        return existing
    data_dir.mkdir(parents=True, exist_ok=True)
    handle, aside = tempfile.mkstemp(dir=data_dir, prefix=".web-secret-")  # owner-only
    try:
        with os.fdopen(handle, "w", encoding="ascii") as out:
            out.write(secrets.token_urlsafe(48))
        try:
            os.link(aside, path)
        except FileExistsError:
            if not _read_secret(path):  # an empty file left by an older version
                os.replace(aside, path)
        except OSError:  # a file system without hard links: last writer wins
            os.replace(aside, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(aside)
    return _read_secret(path)


def _read_secret(path: Path) -> str:
    try:
        return path.read_text(encoding="ascii").strip()
    except FileNotFoundError:
        return ""


def web_session(request: Request) -> WebSession:
    session: WebSession = request.state.web_session
    return session


def current_user(request: Request) -> User | None:
    user: User | None = getattr(request.state, "user", None)
    return user


async def csrf_protect(request: Request) -> None:
    """Route dependency: an unsafe method must come from this site (``Origin`` or
    ``Referer``, when sent) and carry the session's CSRF token."""
    if request.method in SAFE_METHODS:
        return
    settings = getattr(request.app.state, "settings", None)
    if not same_origin(request, getattr(settings, "web_url", "")):
        raise Forbidden("err.origin")
    expected = web_session(request).csrf
    given = request.headers.get("x-csrf-token", "")
    if not given:
        form = await request.form()
        value = form.get("csrf_token")
        given = value if isinstance(value, str) else ""
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise Forbidden("err.csrf")


def same_origin(request: Request, public_url: str = "") -> bool:
    """Whether the request's ``Origin`` (else ``Referer``) names this site's host and
    port; True when it sends neither (the CSRF token then decides alone).

    The host and port are compared with the ``Host`` header the browser sent for that
    origin (default ports filled in from the origin's scheme), not with the scheme the
    app sees: behind a proxy that ends TLS, the app is reached over http for an https
    page. ``public_url`` (the ``web_url`` setting) is accepted too, for a proxy that
    does not pass the browser's ``Host`` on."""
    claimed = request.headers.get("origin")
    if claimed is None:
        claimed = request.headers.get("referer")
        if not claimed:
            return True
    try:
        parts = urlsplit(claimed.strip())
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme not in _DEFAULT_PORTS:
        return False  # "null" (a sandboxed or privacy-redirected page) or junk
    theirs = _host_port(parts.netloc, scheme)
    if theirs is None:
        return False
    if theirs == _host_port(request.headers.get("host", ""), scheme):
        return True
    if public_url:
        public = urlsplit(public_url)
        return (scheme, theirs) == (public.scheme, _host_port(public.netloc, public.scheme))
    return False


def _host_port(netloc: str, scheme: str) -> tuple[str, int] | None:
    """``host[:port]`` as (lower-case host, port), the scheme's default port filled in."""
    if not netloc or "@" in netloc:
        return None
    try:
        parts = urlsplit(f"//{netloc}")
        port = parts.port
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if not host:
        return None
    return host, port if port is not None else _DEFAULT_PORTS.get(scheme, 80)


def require(role: str) -> Any:
    """A route dependency admitting users with at least ``role``."""

    async def guard(request: Request) -> User:  # no I/O: on the event loop, no thread
        user = current_user(request)
        if user is None:
            raise NeedsLogin()
        if not can(user, role):
            raise Forbidden("err.readonly" if user.role == "reader" else "err.403")
        return user

    return guard


def client_is_htmx(request: Request) -> bool:
    return request.headers.get("hx-request") == "true"


def safe_href(url: str | None) -> str:
    """``url`` when it is an absolute http or https address, else ``#``: a stored URL
    (an article's, another outlet's) becomes a link only to the web, never to
    ``javascript:`` or ``data:``, however it is spelled (case, spaces, control
    characters, tabs inside the scheme, all of which browsers ignore)."""
    if not url:
        return "#"
    seen = url.translate(_URL_INVISIBLE)
    try:
        parts = urlsplit(seen)
    except ValueError:
        return "#"
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return "#"
    if not url.startswith(seen[: len(parts.scheme) + 3]):
        return "#"  # something a browser drops hid inside the scheme or before it
    return url


def url_part(value: object) -> str:
    """``value`` encoded as one URL path segment (``/``, ``?``, ``#``, ``%`` and spaces
    escaped), for usernames and other stored text put into a path."""
    return quote(str(value), safe="")
