"""What every command group shares: the Typer app and its sub-apps, the console, the
settings read once per invocation, the message catalogue, tables and the store.

Thin edges: each command parses its input, calls one function of the middle layer and
prints the result. Errors are one clear line and a non-zero exit (``jianbao.cli.main``);
``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from jianbao.config import Settings, load_settings
from jianbao.db.session import Database
from jianbao.errors import InputError
from jianbao.i18n import Messages
from jianbao.records import SHANGHAI

if TYPE_CHECKING:
    pass

app = typer.Typer(
    help="简报 jianbao：卫生健康信息化新闻监测与简报生成 (news monitoring and reports).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
sources_app = typer.Typer(help="管理采集来源 (manage sources).", no_args_is_help=True)
issue_app = typer.Typer(
    help="编排与生成各期简报 (compose and render issues).", no_args_is_help=True
)
app.add_typer(sources_app, name="sources")
users_app = typer.Typer(help="管理工作台账号 (manage web accounts).", no_args_is_help=True)
app.add_typer(issue_app, name="issue")
app.add_typer(users_app, name="users")
model_app = typer.Typer(
    help="相关性与类别模型 (the learned relevance and category models).", no_args_is_help=True
)
app.add_typer(model_app, name="model")

# Piped output (scripts, logs) gets wide tables instead of wrapped 80-column cells.
console = Console(width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True)


@dataclass
class State:
    debug: bool = False
    settings: Settings | None = None

    def get_settings(self) -> Settings:
        if self.settings is None:
            self.settings = load_settings()
        return self.settings


state = State()


def t(key: str, **values: object) -> str:
    return Messages(state.get_settings().language)(key, **values)


def make_table(*column_keys: str) -> Table:
    """A table whose column headings are the catalogue's words for ``column_keys``."""
    table = Table()
    for key in column_keys:
        table.add_column(t(key))
    return table


@contextmanager
def open_db() -> Iterator[Database]:
    from jianbao.learning import attach_retrainer

    settings = state.get_settings()
    db = Database.from_settings(settings)
    attach_retrainer(db, settings)  # decisions recorded here may retrain the models
    try:
        yield db
    finally:
        db.close()


def parse_day(value: str | None, *, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{name} 不是日期：{value!r}", hint="日期写作 YYYY-MM-DD，例如 2026-11-20"
        ) from None


def today() -> date:
    from datetime import datetime

    return datetime.now(SHANGHAI).date()


@app.callback()
def main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示完整回溯 (show tracebacks).")
    ] = False,
) -> None:
    state.debug = debug
    state.settings = None  # read afresh for every invocation


def ask_password() -> str:
    first = typer.prompt(t("users.password"), hide_input=True)
    second = typer.prompt(t("users.password_again"), hide_input=True)
    if first != second:
        raise InputError("两次输入的密码不一致", hint="请输入两次相同的密码")
    return str(first)
