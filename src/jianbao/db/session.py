"""Engines, sessions and schema upgrades.

SQLite is the embedded default: WAL journal so readers never block the writer, foreign
keys on, a busy timeout so a second process waits rather than fails. PostgreSQL is used
when the database URL names one, with time limits: an address that accepts connections
but never answers (a silent socket, an HTTP or Redis port) fails after the connect
timeout instead of hanging for minutes, a statement that runs or waits for a lock longer
than the statement timeout is cancelled by the server, and a server that goes silent in
the middle of a statement is given up after both. The store's failures (a full disk, a
timeout) become errors saying what happened and what to do (``jianbao.db.failures``).
The schema is always brought to the newest Alembic revision before use, so an old data
folder upgrades itself.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.orm import Session, sessionmaker

from jianbao.config import Settings
from jianbao.db import pg8000_times
from jianbao.db import revision as _revision  # noqa: F401  (installs the change counter)
from jianbao.db.failures import connect_failure, masked, translate_failures
from jianbao.errors import ConfigError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"

#: how a store's URL is written, for the errors about one
URL_FORMS = (
    "写作 sqlite:///路径/文件.db 或 postgresql+pg8000://用户:密码@主机:5432/库名"
    "（密码中的 @ : / 写作 %40 %3A %2F）"
    " (write sqlite:///path/file.db or postgresql+pg8000://user:password@host:5432/db;"
    " URL-encode @ : / in the password)"
)


def shown_url(url: str) -> str:
    """``url`` as it may be shown in an error or a log: everything between the user
    name and the last ``@`` replaced by ***. Works on a string no parser accepts (a
    forgotten scheme, an unencoded ``@`` in the password), where SQLAlchemy's own
    masking cannot be used or would show the part of the password after the ``@``;
    masks too much rather than too little."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        scheme, rest = "", url
    if "@" not in rest:
        return url
    userinfo, _, after = rest.rpartition("@")
    if ":" not in userinfo:
        return url
    user = userinfo.split(":", 1)[0]
    return f"{scheme}{sep}{user}:***@{after}"


def _bad_url(message: str, url: str) -> ConfigError:
    return ConfigError(message, item=shown_url(url), hint=URL_FORMS)


#: the defaults of the time limits, as the settings declare them
DEFAULT_CONNECT_TIMEOUT: float = Settings.model_fields["database_connect_timeout"].default
DEFAULT_STATEMENT_TIMEOUT: float = Settings.model_fields["database_statement_timeout"].default
DEFAULT_BUSY_TIMEOUT: float = Settings.model_fields["database_busy_timeout"].default


def _sqlite_pragmas(busy_timeout: float) -> Callable[[Any, Any], None]:
    """What each new SQLite connection is set to (the busy timeout first: setting WAL
    may already have to wait for another process)."""

    def set_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={round(busy_timeout * 1000)}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    return set_pragmas


def make_engine(
    url: str,
    *,
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
    statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    pre_ping: bool = True,
    autocommit: bool = False,
    pool_size: int | None = None,
) -> Engine:
    """An engine for ``url``; a SQLite file's folder is created when missing.

    ``connect_timeout`` and ``statement_timeout`` (seconds, 0: no limit) bound PostgreSQL
    connections and statements (see the module's docstring); ``busy_timeout`` is how long
    a SQLite write waits for another process's write. ``pre_ping=False`` and
    ``autocommit=True`` make an engine for single-statement reads: no ping before each
    use, no BEGIN and COMMIT around it (three round trips fewer on PostgreSQL; the web's
    per-request session check, ``jianbao.web.sessions``). ``pool_size``: connections kept
    open (and as many more opened when busy), for as many threads as use the engine at
    once: a connection opened beyond the pool is closed after each use, and opening one
    to PostgreSQL costs more than most requests."""
    options: dict[str, Any] = {"isolation_level": "AUTOCOMMIT"} if autocommit else {}
    pool: dict[str, Any] = {}  # (a SQLite connection is cheap to open: its default pool)
    if pool_size is not None:
        pool = {"pool_size": pool_size, "max_overflow": pool_size}
    parsed = parse_store_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, **options)
        event.listen(engine, "connect", _sqlite_pragmas(busy_timeout))
    else:
        try:
            engine = create_engine(url, pool_pre_ping=pre_ping, **options, **pool)
        except (NoSuchModuleError, ImportError):  # postgres://, a driver not installed
            raise _bad_url(
                f"数据库类型或驱动 {parsed.drivername} 不可用（not supported）", url
            ) from None
        if parsed.get_backend_name() == "postgresql":
            _limit_postgres(engine, parsed, connect_timeout, statement_timeout)
    translate_failures(engine, statement_timeout, busy_timeout)
    return engine


def parse_store_url(url: str) -> URL:
    """``url`` parsed, or a ConfigError saying how a store's URL is written (the password
    never shown): no scheme, a port that is not a number, an ``@`` of the password not
    URL-encoded (the host would be the password's tail), PostgreSQL without the pg8000
    driver (the only one installed; ``postgres://`` is no SQLAlchemy name at all)."""
    try:
        parsed = make_url(url)
        parsed.port  # noqa: B018  (a port that is no number raises here)
    except (ArgumentError, ValueError):
        raise _bad_url("数据库地址无法识别（cannot be parsed）", url) from None
    if "@" in (parsed.host or ""):
        raise _bad_url("数据库地址的密码含未编码的 @（an @ in the password）", url)
    backend = parsed.get_backend_name()
    driver = parsed.drivername.partition("+")[2]  # (get_driver_name loads the dialect)
    if backend in ("postgres", "postgresql") and driver != "pg8000":
        raise _bad_url(f"PostgreSQL 请用 pg8000 驱动（not {parsed.drivername}）", url)
    return parsed


def _limit_postgres(
    engine: Engine, url: URL, connect_timeout: float, statement_timeout: float
) -> None:
    """Connect with a time limit, turning any failure into one clear error; then set the
    statement timeout and let a socket read wait as long as a statement may run."""
    pg8000 = url.get_driver_name() == "pg8000"
    # after the connect timeout the socket waits for a statement's answer: as long as the
    # server may let it run, and then a connect timeout more for the cancellation to come
    read_timeout = statement_timeout + connect_timeout if statement_timeout > 0 else None
    statement_ms = max(1, round(statement_timeout * 1000)) if statement_timeout > 0 else 0
    # once a connection was opened, a failure to open another is an outage, not a wrong URL
    opened = False

    @event.listens_for(engine, "do_connect")
    def connect(dialect: Any, _record: Any, cargs: Any, cparams: dict[str, Any]) -> Any:
        nonlocal opened
        if pg8000 and "timeout" not in url.query:
            cparams["timeout"] = connect_timeout
        try:
            connection = dialect.connect(*cargs, **cparams)
        except Exception as exc:
            raise connect_failure(url, exc, connect_timeout, outage=opened) from exc
        try:
            cursor = connection.cursor()
            cursor.execute(f"SET statement_timeout = {statement_ms}")
            cursor.close()
            connection.commit()  # a SET rolled back with its transaction would not hold
        except Exception as exc:
            connection.close()
            raise connect_failure(url, exc, connect_timeout, outage=opened) from exc
        sock = getattr(connection, "_usock", None)  # pg8000 keeps the connect timeout on it
        if pg8000 and sock is not None:
            sock.settimeout(read_timeout)
        if pg8000:
            pg8000_times.install(connection)
        opened = True
        return connection

    # pg8000 raises a bare TimeoutError when the server does not answer the pool's ping,
    # which the pool does not take for a dead connection: say so, and it reconnects
    ping = engine.dialect.do_ping

    def do_ping(dbapi_connection: Any) -> bool:
        try:
            return ping(dbapi_connection)
        except TimeoutError:
            return False

    engine.dialect.do_ping = do_ping  # type: ignore[method-assign]


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["engine"] = engine
    return cfg


#: the PostgreSQL advisory lock held while the schema is upgraded (any fixed number)
MIGRATION_LOCK = 0x6A69616E  # "jian"


@contextmanager
def _upgrading_alone(engine: Engine) -> Iterator[None]:
    """Hold a lock while the schema is upgraded, so that processes opening a new (or
    just upgraded) store at once — ``jianbao run`` and ``jianbao serve`` started together,
    two beats — run the migrations one after the other (the later ones find the schema
    at head and do nothing): SQLite's DDL is not transactional, and each would create the
    same tables and fail with "table … already exists". SQLite: an ``flock`` on
    ``<file>.migrate.lock`` beside the store; PostgreSQL: a session advisory lock on a
    connection of its own (the migration runs on another)."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                yield
            finally:
                conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
                conn.commit()
        return
    database = engine.url.database
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock (one process opens a new store at a time)
        fcntl = None  # type: ignore[assignment]
    if engine.dialect.name != "sqlite" or not database or database == ":memory:" or not fcntl:
        yield
        return
    with open(f"{database}.migrate.lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (idempotent; one process at a time)."""
    from alembic import command

    try:
        with _upgrading_alone(engine):
            command.upgrade(alembic_config(engine), "head")
    except DBAPIError as exc:
        raise ConfigError(
            f"无法打开数据库：{exc.orig}",
            item=masked(engine.url),
            hint="检查 JIANBAO_DATABASE_URL，并确认数据库服务已启动",
        ) from None


class Background(Protocol):
    """Work running beside the store's users that must end before the store closes."""

    def wait(self, timeout: float | None = None) -> object: ...


class Database:
    """The store: an engine and a session factory, schema upgraded on open."""

    def __init__(
        self,
        url: str,
        *,
        migrate: bool = True,
        connect_timeout: float = DEFAULT_CONNECT_TIMEOUT,
        statement_timeout: float = DEFAULT_STATEMENT_TIMEOUT,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    ):
        self.url = url
        self.engine = make_engine(
            url,
            connect_timeout=connect_timeout,
            statement_timeout=statement_timeout,
            busy_timeout=busy_timeout,
        )
        if migrate:
            if self.engine.dialect.name == "sqlite":
                upgrade(self.engine)
            else:  # a migration of a big store may take longer than a statement may
                migrator = make_engine(url, connect_timeout=connect_timeout, statement_timeout=0)
                try:
                    upgrade(migrator)
                finally:
                    migrator.dispose()
        self.sessions = sessionmaker(self.engine, expire_on_commit=False)
        #: background work on this store that closing waits for: the model retrainer
        #: that jianbao.learning.attach_retrainer sets (the CLI and the web attach one)
        self.retrainer: Background | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Database:
        return cls(
            settings.resolved_database_url,
            connect_timeout=settings.database_connect_timeout,
            statement_timeout=settings.database_statement_timeout,
            busy_timeout=settings.database_busy_timeout,
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back whole on error."""
        with self.sessions() as session, session.begin():
            yield session

    def close(self) -> None:
        if self.retrainer is not None:
            self.retrainer.wait()  # a retraining still reads the store
        self.engine.dispose()
