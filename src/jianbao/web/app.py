"""The application factory: settings in, a FastAPI app out; nothing global.

Every request passes the session middleware (decode the signed cookie, look the
session up in the store, write the cookie back when it changed, add security headers)
and ``bounded_ids`` (an integer in the URL beyond the store's range is a 404). Errors become pages
in the user's language (Chinese by default), never a traceback; htmx requests get the
same message as a fragment for the page's notice area.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from jianbao.config import Settings
from jianbao.db.models import User
from jianbao.db.session import Database
from jianbao.errors import (
    AddressRefused,
    FetchError,
    InputError,
    IssueConflict,
    IssueError,
    JianbaoError,
    NotFound,
)
from jianbao.learning import attach_retrainer
from jianbao.web.cache import RevisionCache
from jianbao.web.i18n import WebMessages
from jianbao.web.ids import bounded_ids
from jianbao.web.rendering import STATIC, Pages
from jianbao.web.security import (
    COOKIE,
    SAFE_METHODS,
    Forbidden,
    NeedsLogin,
    SessionCodec,
    WebSession,
    client_is_htmx,
    load_secret,
)
from jianbao.web.sessions import Lifetimes, SessionLookups, session_user
from jianbao.web.throttle import ThrottlePolicy

log = logging.getLogger("jianbao.web")

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; frame-src 'self'; frame-ancestors 'self'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)


class CachedStatic(StaticFiles):
    """Static files with long cache lifetimes (their URLs carry a content hash)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response


def create_app(
    settings: Settings,
    *,
    database: Database | None = None,
    secure_cookies: bool | None = None,
    secret_key: str | None = None,
    clock: Callable[[], datetime] | None = None,
) -> FastAPI:
    """The workstation for ``settings``' store.

    ``secure_cookies`` marks the session cookie Secure (use behind HTTPS; default off so
    http://127.0.0.1 works); ``secret_key`` signs sessions (default: a key kept in
    data_dir/web-secret.key); ``clock`` (aware datetimes; tests move it) times sessions
    and sign-in locks, read from ``app.state.clock`` on every request.
    """
    db = database or Database.from_settings(settings)
    attach_retrainer(db, settings)  # accepting and rejecting retrain the models in time
    app = FastAPI(
        title="jianbao",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(bounded_ids)],
        lifespan=_lifespan,
    )
    app.state.settings = settings
    app.state.db = db
    app.state.pages = Pages(settings.language)
    app.state.cache = RevisionCache()
    app.state.clock = clock or _utcnow
    app.state.lifetimes = Lifetimes(
        idle=timedelta(minutes=settings.web_session_idle_minutes),
        absolute=timedelta(days=settings.web_session_days),
    )
    app.state.lookups = SessionLookups(db, settings)
    app.state.throttle = ThrottlePolicy.from_settings(settings)
    secure = bool(secure_cookies if secure_cookies is not None else False)
    app.state.codec = SessionCodec(
        secret_key or load_secret(settings.data_dir),
        secure=secure,
        max_age=int(app.state.lifetimes.absolute.total_seconds()),
    )
    app.mount("/static", CachedStatic(directory=STATIC), name="static")

    from jianbao.web.routes import (
        alerts,
        archive,
        articles,
        auth,
        candidates,
        dashboard,
        delivery,
        issues,
        sources,
        stories,
        today,
        users,
    )

    for module in (
        auth,
        candidates,
        issues,
        articles,
        sources,
        archive,
        dashboard,
        users,
        delivery,
        stories,
        today,
        alerts,
    ):
        app.include_router(module.router)

    app.add_middleware(SessionMiddleware, app=app)
    _install_error_handlers(app)
    return app


def _utcnow() -> datetime:
    return datetime.now(UTC)


@asynccontextmanager
async def _lifespan(_app: FastAPI) -> AsyncIterator[None]:
    """On shutdown, stop the 立即采集 cycles this process started: each finishes the
    article in hand and is recorded as interrupted, rather than dying with the process
    and showing 运行中 until the next click closes it (review finding 7)."""
    yield
    from jianbao.jobs.work import stop_manual_collections

    await run_in_threadpool(stop_manual_collections)


class SessionMiddleware:
    """Pure ASGI (no BaseHTTPMiddleware: it costs a task and a stream per request):
    decodes the session cookie into ``request.state``, loads the session's user from the
    store, and on the way out writes the cookie back when it changed and adds the
    security headers.

    A request without a valid cookie gets a fresh anonymous one only when it reads
    (GET, HEAD): a cross-site POST arrives without the SameSite=Lax cookie, and the
    anonymous cookie of its 403 used to replace — sign out — the victim's session."""

    def __init__(self, asgi: ASGIApp, app: FastAPI):
        self.asgi = asgi
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.asgi(scope, receive, send)
            return
        codec: SessionCodec = self.app.state.codec
        request = Request(scope)
        session = codec.load(request.cookies.get(COOKIE))
        static = scope["path"].startswith("/static/")
        user = None
        revision = None
        if session.token is not None and not static:
            user, revision = await run_in_threadpool(_load_user, self.app, session.token)
            if user is None:  # ended or expired: the browser forgets the token
                session.token = None
                session.changed = True
        # a fresh anonymous cookie goes out with pages only (not with static files)
        writes_fresh = scope["method"] in SAFE_METHODS and not static
        state = scope.setdefault("state", {})
        state["web_session"] = session
        state["user"] = user
        state["revision"] = revision  # read with the session: see routes.store_revision

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                if session.changed and (writes_fresh or not session.fresh):
                    headers.append("set-cookie", _cookie_header(codec, session))
                if not static:
                    if "content-security-policy" not in headers:
                        headers["Content-Security-Policy"] = CSP
                    if "cache-control" not in headers:
                        headers["Cache-Control"] = "no-store"
                headers["X-Content-Type-Options"] = "nosniff"
                headers["Referrer-Policy"] = "same-origin"
                if "x-frame-options" not in headers:
                    headers["X-Frame-Options"] = "SAMEORIGIN"
            await send(message)

        await self.asgi(scope, receive, send_with_headers)


def _cookie_header(codec: SessionCodec, session: WebSession) -> str:
    carrier = Response()
    carrier.set_cookie(
        COOKIE,
        codec.dump(session),
        max_age=codec.max_age,
        httponly=True,
        samesite="lax",
        secure=codec.secure,
        path="/",
    )
    return carrier.headers["set-cookie"]


def _load_user(app: FastAPI, token: str) -> tuple[User | None, int | None]:
    """The session's user and the store's revision: one read (``look_up``), and a
    transaction only when the session must be written (ended, or touched)."""
    now = app.state.clock()
    found = app.state.lookups.look_up(token, now, app.state.lifetimes)
    if not found.write:
        return found.user, found.revision
    with app.state.db.session() as s:
        user = session_user(s, token, now, app.state.lifetimes)
        if user is not None:
            s.expunge(user)
        return user, found.revision


def error_response(
    request: Request, status: int, message: str, detail: str = "", hint: str = ""
) -> HTMLResponse:
    pages: Pages = request.app.state.pages
    headers = {}
    if client_is_htmx(request):
        headers = {"HX-Retarget": "#notice", "HX-Reswap": "innerHTML"}
    return pages.render(
        request,
        "error.html",
        partial="_error.html",
        status_code=status,
        headers=headers,
        status=status,
        message=message,
        detail=detail,
        hint=hint,
    )


def _error_title(exc: JianbaoError) -> str:
    """The catalogue key of an error's title: an address the SSRF guard refused is a
    security refusal, a site that failed is a fetch failure and a draft another request
    published first is a conflict, not the user's bad input."""
    if isinstance(exc, AddressRefused):
        return "err.refused"
    if isinstance(exc, FetchError):
        return "err.fetch"
    if isinstance(exc, IssueConflict):
        return "err.conflict"
    if isinstance(exc, InputError | IssueError | NotFound):
        return "err.input"
    return "err.failed"


def _install_error_handlers(app: FastAPI) -> None:
    def t(request: Request) -> WebMessages:
        return WebMessages(app.state.pages.language(request))

    @app.exception_handler(NeedsLogin)
    async def needs_login(request: Request, exc: NeedsLogin) -> Response:
        target = "/login?next=" + quote(request.url.path, safe="/")
        if client_is_htmx(request):
            return Response(status_code=204, headers={"HX-Redirect": target})
        if request.method != "GET":
            return error_response(request, 401, t(request)("login.title"))
        return RedirectResponse(target, status_code=303)

    @app.exception_handler(Forbidden)
    async def forbidden(request: Request, exc: Forbidden) -> Response:
        return error_response(request, 403, t(request)(exc.key))

    @app.exception_handler(JianbaoError)
    async def jianbao_error(request: Request, exc: JianbaoError) -> Response:
        status = 404 if isinstance(exc, NotFound) else 400
        if isinstance(exc, IssueConflict):  # done already by another request: not bad input
            status = 409
        if not isinstance(exc, InputError | IssueError | NotFound):
            status = 422
        message = exc.message + (f"（{exc.item}）" if exc.item else "")
        title = t(request)(_error_title(exc))
        return error_response(request, status, title, message, exc.hint or "")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        fields = "、".join(
            str(e.get("loc", ["?"])[-1]) for e in exc.errors() if isinstance(e, dict)
        )
        return error_response(request, 400, t(request)("err.input"), fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        key = {404: "err.404", 403: "err.403"}.get(exc.status_code, "err.title")
        return error_response(request, exc.status_code, t(request)(key))

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return error_response(request, 500, t(request)("err.500"))
