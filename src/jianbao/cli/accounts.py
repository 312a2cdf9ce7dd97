"""``jianbao users …`` and ``serve``: the workstation's accounts and its web server."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jianbao.cli.common import (
    app,
    ask_password,
    console,
    make_table,
    open_db,
    state,
    t,
    users_app,
)

if TYPE_CHECKING:
    pass


# -- accounts and the web workstation -------------------------------------------------------


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Option(help="admin | editor | reader")] = "editor",
    name: Annotated[str, typer.Option("--name", help="显示名称")] = "",
    password: Annotated[
        str | None,
        typer.Option(
            envvar="JIANBAO_USER_PASSWORD", help="密码（不给则交互输入）", show_default=False
        ),
    ] = None,
) -> None:
    """添加账号 (add an account)."""
    from jianbao.accounts import add_user

    with open_db() as db, db.session() as session:
        add_user(session, username, password or ask_password(), role, name)
    console.print(t("users.added", name=username, role=role))


@users_app.command("passwd")
def users_passwd(
    username: Annotated[str, typer.Argument(help="用户名")],
    password: Annotated[
        str | None,
        typer.Option(
            envvar="JIANBAO_USER_PASSWORD", help="新密码（不给则交互输入）", show_default=False
        ),
    ] = None,
) -> None:
    """修改密码，该用户已登录的会话随之失效 (change a password)."""
    from jianbao.accounts import set_password

    with open_db() as db, db.session() as session:
        set_password(session, username, password or ask_password())
    console.print(t("users.passwd", name=username))


@users_app.command("remove")
def users_remove(username: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """删除账号（其编辑记录保留）(remove an account)."""
    from jianbao.accounts import remove_user

    with open_db() as db, db.session() as session:
        remove_user(session, username)
    console.print(t("users.removed", name=username))


@users_app.command("list")
def users_list() -> None:
    """列出账号 (list accounts)."""
    from jianbao.accounts import list_users

    with open_db() as db, db.session() as session:
        table = make_table("col.user", "col.name", "col.role", "col.enabled")
        for user in list_users(session):
            table.add_row(user.username, user.display_name, user.role, "✓" if user.active else "✗")
    console.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies", help="仅经 HTTPS 发送会话 Cookie（部署在 HTTPS 后时打开）"
        ),
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, help="工作进程数（多人同时使用时设为 CPU 核数）")
    ] = 1,
) -> None:
    """启动编辑工作台网站 (run the web workstation)."""
    from jianbao.web import serve as run_server

    settings = state.get_settings()
    with open_db():  # create or upgrade the store before the first request
        pass
    console.print(t("serve.at", url=f"http://{host}:{port}/"))
    run_server(settings, host, port, secure_cookies=secure_cookies, workers=workers)
