"""What the store's failures mean to the person who has to fix them.

A driver's exception says what broke in the driver's words (``OperationalError: database
or disk is full``, ``InterfaceError: network error``, a ``KeyError`` from a reply that was
no PostgreSQL at all). ``jianbao run`` works unattended for months, so when the store
fails the message must say what happened, to which store (its URL, password masked) and
what to do: a full disk, a server that does not answer, a statement that ran out of time.
Everything else is left as the driver raised it.
"""

from __future__ import annotations

import errno
import shutil
import socket
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import URL, ExceptionContext

from jianbao.errors import ConfigError, JianbaoError, StoreError, excerpt

#: PostgreSQL's SQLSTATE for a full disk (``could not extend file``), and for a cancelled
#: statement (the statement timeout, among others)
PG_DISK_FULL = "53100"
PG_QUERY_CANCELED = "57014"

#: what to do when the disk under the store is full
DISK_FULL_HINT = (
    "腾出磁盘空间（旧备份、日志、临时文件）后重新运行；已存入的数据完好，"
    "本轮未能存入的文章下一轮会重新采集"
)


def masked(url: URL) -> str:
    """The store's URL as it may be shown: the password replaced by ***."""
    return url.render_as_string(hide_password=True)


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it was raised from (``raise … from``), nearest first; not
    those it was merely raised during, which may be unrelated to the store."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__


def _server_fields(exc: BaseException) -> dict[str, str]:
    """The fields of a PostgreSQL error reply (C: SQLSTATE, M: message), as pg8000 gives
    them; empty for anything else."""
    for link in _chain(exc):
        args = getattr(link, "args", ())
        if args and isinstance(args[0], dict):
            return {str(key): str(value) for key, value in args[0].items()}
    return {}


def _timed_out(exc: BaseException) -> bool:
    return any(isinstance(link, TimeoutError) for link in _chain(exc))


def connect_failure(
    url: URL, exc: BaseException, timeout: float, *, outage: bool = False
) -> JianbaoError:
    """The error for a PostgreSQL connection that could not be opened: a ConfigError (the
    URL is likely wrong), or with ``outage`` (connections were opened before) a
    StoreError (the server went away)."""
    fields = _server_fields(exc)
    oserror = next((e for e in _chain(exc) if isinstance(e, OSError)), None)
    if _timed_out(exc):
        what = (
            f"{timeout:g} 秒内没有应答：该地址接受了连接，却没有按 PostgreSQL 协议回应登录"
            "（可能是别的服务的端口，或服务器已挂起）"
        )
        hint = "检查 JIANBAO_DATABASE_URL 的主机和端口（PostgreSQL 默认 5432）"
    elif fields:
        what = f"服务器拒绝：{excerpt(fields.get('M', ''))}"
        hint = "检查 JIANBAO_DATABASE_URL 里的用户名、密码和库名，以及服务器的访问权限"
    elif isinstance(oserror, ConnectionRefusedError):
        what = "连接被拒绝：该端口没有服务在监听"
        hint = "确认 PostgreSQL 已启动，并检查 JIANBAO_DATABASE_URL 的主机和端口"
    elif isinstance(oserror, socket.gaierror):
        what = "主机名无法解析"
        hint = "检查 JIANBAO_DATABASE_URL 的主机名和本机的 DNS"
    elif oserror is not None and not isinstance(oserror, ConnectionError):  # not a hang-up
        what = excerpt(oserror.strerror or str(oserror)) or type(oserror).__name__
        hint = "检查 JIANBAO_DATABASE_URL，并确认数据库服务已启动"
    else:
        what = "对方的应答不是 PostgreSQL 协议，随即断开（可能是 HTTP、Redis 等别的服务的端口）"
        hint = "检查 JIANBAO_DATABASE_URL 的主机和端口（PostgreSQL 默认 5432）"
    if outage:
        if _timed_out(exc):
            what = f"{timeout:g} 秒内没有应答"
        return StoreError(
            f"数据库服务器不再应答，重新连接失败：{what}",
            item=masked(url),
            hint="检查数据库服务器和网络；它恢复后 jianbao 会自动重新连接",
        )
    return ConfigError(f"无法打开数据库：{what}", item=masked(url), hint=hint)


def _disk_space(url: URL) -> str:
    """'（剩余 12.5 MB）' for the disk under a SQLite file, when it can be measured."""
    if not url.database or url.database == ":memory:":
        return ""
    try:
        free = shutil.disk_usage(Path(url.database).resolve().parent).free
    except OSError:
        return ""
    return f"（磁盘剩余 {free / 1024 / 1024:.1f} MB）"


def _sqlite_code(exc: BaseException) -> int | None:
    """SQLite's primary result code of the failure (SQLITE_FULL, SQLITE_BUSY…), if any."""
    for link in _chain(exc):
        code = getattr(link, "sqlite_errorcode", None) if isinstance(link, sqlite3.Error) else None
        if isinstance(code, int):
            return code & 0xFF
    return None


def _sqlite_full(exc: BaseException) -> bool:
    if _sqlite_code(exc) == sqlite3.SQLITE_FULL:
        return True
    return any(isinstance(e, OSError) and e.errno == errno.ENOSPC for e in _chain(exc))


def store_failure(
    url: URL, exc: BaseException, statement_timeout: float, busy_timeout: float = 0.0
) -> StoreError | None:
    """The StoreError for a failure of a working store, or None to leave it as it is."""
    if url.get_backend_name() == "sqlite":
        if _sqlite_full(exc):
            folder = Path(url.database or ".").resolve().parent
            return StoreError(
                f"数据库或其所在的磁盘已满{_disk_space(url)}，这次写入没有完成",
                item=str(folder),
                hint=DISK_FULL_HINT,
            )
        if _sqlite_code(exc) == sqlite3.SQLITE_BUSY:
            return StoreError(
                f"数据库被另一个进程占用，等了 {busy_timeout:g} 秒仍未轮到，这次操作没有完成",
                item=masked(url),
                hint=(
                    "稍后重试；若一直如此，查找长时间写数据库的进程"
                    "，或调大 JIANBAO_DATABASE_BUSY_TIMEOUT"
                ),
            )
        return None
    fields = _server_fields(exc)
    code = fields.get("C", "")
    if code == PG_DISK_FULL:
        return StoreError(
            f"数据库服务器的磁盘已满，这次写入没有完成：{excerpt(fields.get('M', ''))}",
            item=masked(url),
            hint="在数据库服务器上" + DISK_FULL_HINT,
        )
    if code == PG_QUERY_CANCELED and "statement timeout" in fields.get("M", ""):
        return StoreError(
            f"数据库语句 {statement_timeout:g} 秒内没有完成，已被取消",
            item=masked(url),
            hint=(
                "可能有别的进程长时间锁住了数据（查看 pg_stat_activity）；"
                "确需更长时间时调大 JIANBAO_DATABASE_STATEMENT_TIMEOUT"
            ),
        )
    if _timed_out(exc):
        return StoreError(
            "数据库服务器不再应答，连接已断开",
            item=masked(url),
            hint="检查数据库服务器和网络；恢复后 jianbao 会自动重新连接",
        )
    return None


def translate_failures(engine: Engine, statement_timeout: float, busy_timeout: float = 0.0) -> None:
    """Have ``engine`` raise StoreError for the failures ``store_failure`` knows."""
    from sqlalchemy import event

    def handle(context: ExceptionContext) -> None:
        if context.is_pre_ping:
            return  # the pool tests a pooled connection and reconnects on its own
        failure = store_failure(
            engine.url, context.original_exception, statement_timeout, busy_timeout
        )
        if failure is None:
            return
        if _timed_out(context.original_exception):
            context.is_disconnect = True  # the connection is unusable: never pool it again
        raise failure

    event.listen(engine, "handle_error", handle)
