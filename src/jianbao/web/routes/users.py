"""账号: the admin's page — list accounts, add one, change a role, remove one.

A username travels in the path encoded as one segment (the ``url_part`` filter) and is
read back whole (``:path``), so a name stored before the username rule — one holding
``/``, ``..`` or ``?`` — addresses its own account and never another's.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request, Response
from fastapi.responses import HTMLResponse, RedirectResponse

from jianbao.accounts import ROLES, add_user, list_users, remove_user, set_role
from jianbao.db.models import User
from jianbao.errors import InputError
from jianbao.web.routes import database, pages
from jianbao.web.security import client_is_htmx, csrf_protect, require

router = APIRouter(prefix="/users", dependencies=[Depends(csrf_protect)])
Admin = Annotated[User, Depends(require("admin"))]


def _page(request: Request) -> HTMLResponse:
    with database(request).session() as s:
        return pages(request).render(
            request, "users.html", partial="_users_table.html", users=list_users(s), roles=ROLES
        )


def _done(request: Request) -> Response:
    if client_is_htmx(request):
        return _page(request)
    return RedirectResponse("/users", status_code=303)


@router.get("", response_class=HTMLResponse)
def users_page(request: Request, user: Admin) -> HTMLResponse:
    return _page(request)


@router.post("", response_model=None)
def create_user(
    request: Request,
    user: Admin,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()] = "editor",
    display_name: Annotated[str, Form()] = "",
) -> Response:
    with database(request).session() as s:
        add_user(s, username, password, role, display_name)
    return _done(request)


@router.post("/{username:path}/role", response_model=None)
def change_role(
    request: Request, username: str, user: Admin, role: Annotated[str, Form()]
) -> Response:
    if username == user.username and role != "admin":
        raise InputError("不能降低自己的权限", item=username, hint="请另一位管理员操作")
    with database(request).session() as s:
        set_role(s, username, role)
    return _done(request)


@router.post("/{username:path}/remove", response_model=None)
def delete_user(request: Request, username: str, user: Admin) -> Response:
    if username == user.username:
        raise InputError("不能删除自己的账号", item=username, hint="请另一位管理员操作")
    with database(request).session() as s:
        remove_user(s, username)
    return _done(request)
