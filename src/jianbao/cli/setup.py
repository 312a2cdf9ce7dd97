"""``jianbao init``: the data folder, the store and the first administrator."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from jianbao.cli.common import (
    app,
    ask_password,
    console,
    open_db,
    state,
    t,
)

if TYPE_CHECKING:
    pass


# -- setup ---------------------------------------------------------------------------------


@app.command()
def init(
    admin: Annotated[
        str | None, typer.Option(help="同时创建第一个管理员账号 (create the first admin)")
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            envvar="JIANBAO_ADMIN_PASSWORD", help="管理员密码（不给则交互输入）", show_default=False
        ),
    ] = None,
) -> None:
    """初始化数据目录与数据库，可同时创建管理员 (create the data folder, database, admin)."""
    from jianbao.accounts import add_user
    from jianbao.editions.issue_store import ensure_publications

    settings = state.get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open_db() as db, db.session() as session:
        ensure_publications(session, settings)
        if admin:
            add_user(session, admin, password or ask_password(), "admin")
    console.print(t("init.done", db=settings.resolved_database_url))
    if admin:
        console.print(t("users.added", name=admin, role="admin"))
