"""Sign-in (throttled), sign-out and the language switch."""

from __future__ import annotations

import logging
import math
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from jianbao.accounts import authenticate
from jianbao.records import SHANGHAI
from jianbao.web.routes import database, pages
from jianbao.web.security import LANG_COOKIE, csrf_protect, current_user, web_session
from jianbao.web.sessions import end_session, open_session
from jianbao.web.throttle import (
    account_key,
    address_key,
    clear_account,
    locked_until,
    record_failure,
)

router = APIRouter(dependencies=[Depends(csrf_protect)])
log = logging.getLogger("jianbao.web.auth")


def _safe_next(target: str) -> str:
    """Only local paths: a crafted ?next= must not send the user to another site."""
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/candidates"


@router.get("/", response_model=None)
def home(request: Request) -> Response:
    return RedirectResponse("/candidates" if current_user(request) else "/login", 303)


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/candidates") -> HTMLResponse:
    return pages(request).render(request, "login.html", next=_safe_next(next), failed=False)


@router.post("/login", response_model=None)
def login(
    request: Request,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    next: Annotated[str, Form()] = "/candidates",
) -> Response:
    state = request.app.state
    now: datetime = state.clock()
    address = request.client.host if request.client else "unknown"
    token = None
    with database(request).session() as s:
        until = locked_until(s, [account_key(username), address_key(address)], now)
        if until is not None:
            log.warning(
                "sign-in refused while locked until %s (account %r, address %s)",
                until.isoformat(timespec="seconds"),
                username[:100],
                address,
            )
            return _login_page(request, next, now, until, status=429)
        user = authenticate(s, username, password)
        if user is None:
            until = record_failure(s, username, address, now, state.throttle)
        else:
            clear_account(s, username)
            token = open_session(s, user, now, state.lifetimes)
    if token is None:
        return _login_page(request, next, now, until, status=401)
    web_session(request).sign_in(token)
    return RedirectResponse(_safe_next(next), status_code=303)


def _login_page(
    request: Request, next: str, now: datetime, until: datetime | None, status: int
) -> HTMLResponse:
    """The sign-in page again: 401 after a wrong password, 429 while locked; a lock
    says until when (Beijing time) and ``Retry-After`` says how long."""
    values: dict[str, Any] = {"failed": status == 401}
    headers = {}
    if until is not None:
        seconds = max(1, math.ceil((until - now).total_seconds()))
        headers["Retry-After"] = str(seconds)
        values["locked_until"] = until.astimezone(SHANGHAI).strftime("%H:%M:%S")
        values["locked_minutes"] = max(1, math.ceil(seconds / 60))
    return pages(request).render(
        request,
        "login.html",
        status_code=status,
        headers=headers,
        next=_safe_next(next),
        **values,
    )


@router.post("/logout", response_model=None)
def logout(request: Request) -> Response:
    session = web_session(request)
    if session.token is not None:
        with database(request).session() as s:
            end_session(s, session.token, request.app.state.clock())
    session.sign_out()
    return RedirectResponse("/login", status_code=303)


@router.post("/language", response_model=None)
def language(
    request: Request, lang: Annotated[str, Form()], back: Annotated[str, Form()] = "/"
) -> Response:
    response = RedirectResponse(_safe_next(back), status_code=303)
    if lang in ("zh", "en"):
        response.set_cookie(
            LANG_COOKIE, lang, max_age=365 * 24 * 3600, samesite="lax", httponly=True
        )
    return response
