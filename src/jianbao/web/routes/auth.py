"""Sign-in, sign-out and the language switch."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from jianbao.accounts import authenticate
from jianbao.web.routes import database, pages
from jianbao.web.security import LANG_COOKIE, csrf_protect, current_user, web_session

router = APIRouter(dependencies=[Depends(csrf_protect)])


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
    with database(request).session() as s:
        user = authenticate(s, username, password)
    if user is None:
        return pages(request).render(
            request, "login.html", status_code=401, next=_safe_next(next), failed=True
        )
    web_session(request).sign_in(user)
    return RedirectResponse(_safe_next(next), status_code=303)


@router.post("/logout", response_model=None)
def logout(request: Request) -> Response:
    web_session(request).sign_out()
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
