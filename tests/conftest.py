"""Shared fixtures: settings in a private folder, and a fresh database on every backend.

``db`` runs each test on a fresh SQLite file and, when a PostgreSQL server is reachable,
again on a PostgreSQL database created for the test and dropped after it. The tests never
touch a database they did not create. With JIANBAO_REQUIRE_POSTGRES=1 (CI), an
unreachable server fails the PostgreSQL runs instead of skipping them.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa

from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.testing import make_settings

if os.environ.get("PYTEST_XDIST_WORKER"):
    # An xdist worker starts with COLUMNS=80 and LINES=24 in its environment (a serial run
    # has neither). The CLI's module-level rich consoles would freeze that width when
    # imported, and the tests that set COLUMNS for one command would see 80 columns.
    for _name in ("COLUMNS", "LINES"):
        os.environ.pop(_name, None)

POSTGRES_ADMIN_URL = os.environ.get(
    "JIANBAO_TEST_POSTGRES_URL", "postgresql+pg8000://postgres@127.0.0.1:5432/postgres"
)


def _postgres_admin() -> sa.Engine | None:
    engine = sa.create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect():
            return engine
    except Exception as exc:
        engine.dispose()
        if os.environ.get("JIANBAO_REQUIRE_POSTGRES") == "1":
            pytest.fail(f"PostgreSQL required but not reachable at {POSTGRES_ADMIN_URL}: {exc}")
        return None


@pytest.fixture(scope="session")
def postgres_admin() -> Iterator[sa.Engine | None]:
    engine = _postgres_admin()
    yield engine
    if engine is not None:
        engine.dispose()


def fresh_postgres_url(admin: sa.Engine) -> str:
    """Create an empty database with a unique name and return its URL."""
    name = f"jianbao_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    return admin.url.set(database=name).render_as_string(hide_password=False)


def copy_postgres(admin: sa.Engine, template_url: str) -> str:
    """A new database with a unique name, a copy of ``template_url``'s (which must have no
    open connections); returns its URL."""
    template = sa.engine.make_url(template_url).database
    name = f"jianbao_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    return admin.url.set(database=name).render_as_string(hide_password=False)


def drop_postgres(admin: sa.Engine, url: str) -> None:
    name = sa.engine.make_url(url).database
    assert name and name.startswith("jianbao_test_")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def migrated_postgres(postgres_admin: sa.Engine | None) -> Iterator[str | None]:
    """A PostgreSQL database at the newest schema, made once per test process, that each
    test's database copies (``CREATE DATABASE … TEMPLATE``: about 0.3 s, where a new
    database migrated from nothing took about 1.5 s — for some 400 tests)."""
    if postgres_admin is None:
        yield None
        return
    from jianbao.db.session import make_engine, upgrade

    url = fresh_postgres_url(postgres_admin)
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()  # a template must have no connection open
    yield url
    drop_postgres(postgres_admin, url)


@pytest.fixture(params=["sqlite", "postgres"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A new database on each backend (PostgreSQL skipped when unreachable): on
    PostgreSQL a copy of the session's migrated one (opening it finds the schema at the
    newest revision), empty for a test marked ``empty_database`` (the migrations' own
    tests, which build older schemas)."""
    if request.param == "sqlite":
        yield f"sqlite:///{(tmp_path / 'test.db').as_posix()}"
        return
    admin = request.getfixturevalue("postgres_admin")
    if admin is None:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}")
    if request.node.get_closest_marker("empty_database"):
        url = fresh_postgres_url(admin)
    else:
        url = copy_postgres(admin, request.getfixturevalue("migrated_postgres"))
    try:
        yield url
    finally:
        drop_postgres(admin, url)


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return make_settings(tmp_path, database_url=database_url)


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database.from_settings(settings)
    yield database
    database.close()


@pytest.fixture
def sqlite_settings(tmp_path: Path) -> Settings:
    """Settings on a fresh SQLite file only, for tests that need no second backend."""
    return make_settings(tmp_path)


class SharedRiskSeed(dict[str, Path]):
    """``jianbao.risk_file._seed_files`` for the test session: the risk classifier of the
    shipped pages alone (every store without ⚠ marks has it) is written once a session,
    when a test first needs it, from this process's ``seeded_classifier()`` — the training
    the child process runs for such a store, giving the same numbers — and each fresh
    store's models folder gets a copy, as a process copies the file it trained once. The
    child process itself is tested where a test empties this
    (tests/test_judged_at_collection.py)."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        super().__init__()
        self._factory = factory

    def file(self) -> Path:
        from jianbao import risk_file
        from jianbao.alerts.learn import seeded_classifier
        from jianbao.whole_file import copy_whole

        name = risk_file.seed_file_name()
        if name not in self:
            numbers = seeded_classifier().numbers
            assert numbers is not None
            path = self._factory.mktemp("risk-seed") / name
            numbers.save(path)
            self[name] = path
            cached = risk_file.cache_dir() / name  # for the processes the tests start
            if not cached.is_file():
                cached.parent.mkdir(parents=True, exist_ok=True)
                copy_whole(path, cached)
        return self[name]

    def get(self, name: str, default: Path | None = None) -> Path | None:  # type: ignore[override]
        from jianbao.risk_file import seed_file_name

        return self.file() if name == seed_file_name() else super().get(name, default)


@pytest.fixture(scope="session", autouse=True)
def shared_risk_seed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SharedRiskSeed]:
    """One trained risk-classifier file of the shipped pages per test session (lazy), and
    one machine cache (``XDG_CACHE_HOME``) for the session's processes: the ``jianbao``
    commands and Celery workers the tests start copy the classifier from it instead of
    each training it (the xdist workers share it; never the user's own ~/.cache)."""
    from jianbao import risk_file

    base = tmp_path_factory.getbasetemp()
    cache = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "xdg-cache"
    cache.mkdir(exist_ok=True)
    saved_cache = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(cache)
    shared, saved = SharedRiskSeed(tmp_path_factory), risk_file._seed_files
    risk_file._seed_files = shared
    yield shared
    risk_file._seed_files = saved
    if saved_cache is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = saved_cache
