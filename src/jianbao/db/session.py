"""Engines, sessions and schema upgrades.

SQLite is the embedded default: WAL journal so readers never block the writer, foreign
keys on, a busy timeout so a second process waits rather than fails. PostgreSQL is used
when the database URL names one. The schema is always brought to the newest Alembic
revision before use, so an old data folder upgrades itself.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from jianbao.config import Settings
from jianbao.db import revision as _revision  # noqa: F401  (installs the change counter)
from jianbao.errors import ConfigError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise ConfigError(
            "数据库地址无法识别",
            item=url,
            hint="写作 sqlite:///路径/文件.db 或 postgresql+pg8000://用户@主机/库名",
        ) from None
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(url, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent)."""
    from alembic import command

    try:
        command.upgrade(alembic_config(engine), "head")
    except DBAPIError as exc:
        raise ConfigError(
            f"无法打开数据库：{exc.orig}",
            item=engine.url.render_as_string(hide_password=True),
            hint="检查 JIANBAO_DATABASE_URL，并确认数据库服务已启动",
        ) from None


class Background(Protocol):
    """Work running beside the store's users that must end before the store closes."""

    def wait(self, timeout: float | None = None) -> object: ...


class Database:
    """The store: an engine and a session factory, schema upgraded on open."""

    def __init__(self, url: str, *, migrate: bool = True):
        self.url = url
        self.engine = make_engine(url)
        if migrate:
            upgrade(self.engine)
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        #: background work on this store that closing waits for: the model retrainer
        #: that jianbao.learning.attach_retrainer sets (the CLI and the web attach one)
        self.retrainer: Background | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(settings.resolved_database_url)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back whole on error."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        if self.retrainer is not None:
            self.retrainer.wait()  # a retraining still reads the store
        self.engine.dispose()
