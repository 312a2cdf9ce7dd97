"""Fixtures for the web workstation: a demo database collected once, copied per test,
with one account of each role, and TestClients signed in as each of them."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from conftest import POSTGRES_ADMIN_URL, copy_postgres, drop_postgres, fresh_postgres_url
from jianbao.accounts import add_user, get_user
from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.demo.site import DEMO_ISSUE_DATE, demo_sources, serve_demo
from jianbao.pipeline import Pipeline
from jianbao.testing import make_settings
from jianbao.web.app import create_app
from jianbao.web.security import COOKIE, WebSession
from jianbao.web.sessions import open_session

PASSWORDS = {"admin": "admin-pass-1", "editor": "editor-pass-1", "reader": "reader-pass-1"}
DEMO_DAY = DEMO_ISSUE_DATE


@pytest.fixture(scope="session")
def passwords() -> dict[str, str]:
    return dict(PASSWORDS)


def collect_demo(folder: Path, database_url: str) -> None:
    """The demo site collected into ``database_url``, with admin, editor and reader."""
    settings = make_settings(folder, database_url=database_url)
    db = Database.from_settings(settings)
    with serve_demo() as site:
        with db.session() as session:
            for spec in demo_sources(site.base_url):
                add_source(session, spec)
        asyncio.run(Pipeline(settings, db).run_cycle())
    with db.session() as session:
        for role, password in PASSWORDS.items():
            add_user(session, role, password, role, display_name=f"{role} 用户")
    db.close()


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo store collected once into a SQLite file (each test gets a copy)."""
    folder = tmp_path_factory.mktemp("web-demo")
    collect_demo(folder, f"sqlite:///{folder / 'demo.db'}")
    return folder / "demo.db"


@pytest.fixture(scope="session")
def demo_postgres_template(
    tmp_path_factory: pytest.TempPathFactory, postgres_admin: sa.Engine | None
) -> Iterator[str | None]:
    """The demo store collected once into a PostgreSQL database that each test's
    database is created from (``CREATE DATABASE … TEMPLATE``); None when unreachable."""
    if postgres_admin is None:
        yield None
        return
    url = fresh_postgres_url(postgres_admin)
    try:
        collect_demo(tmp_path_factory.mktemp("web-demo-pg"), url)
        yield url
    finally:
        drop_postgres(postgres_admin, url)


@pytest.fixture(params=["sqlite", "postgres"])
def web_settings(
    request: pytest.FixtureRequest, tmp_path: Path, demo_db_file: Path
) -> Iterator[Settings]:
    """Settings on a fresh copy of the demo store, on each backend."""
    if request.param == "sqlite":
        target = tmp_path / "jianbao.db"
        shutil.copyfile(demo_db_file, target)
        yield make_settings(tmp_path, database_url=f"sqlite:///{target}")
        return
    template = request.getfixturevalue("demo_postgres_template")
    if template is None:
        pytest.skip(f"PostgreSQL not reachable at {POSTGRES_ADMIN_URL}")
    admin: sa.Engine = request.getfixturevalue("postgres_admin")
    url = copy_postgres(admin, template)
    try:
        yield make_settings(tmp_path, database_url=url)
    finally:
        drop_postgres(admin, url)


@pytest.fixture
def web_db(web_settings: Settings) -> Iterator[Database]:
    db = Database.from_settings(web_settings)
    yield db
    db.close()


@pytest.fixture
def app(web_settings: Settings, web_db: Database):  # type: ignore[no-untyped-def]
    return create_app(web_settings, database=web_db, secret_key="test-secret")


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client: TestClient, role: str) -> str:
    """Sign in as the account named ``role``; returns the session's CSRF token."""
    page = client.get("/login")
    response = client.post(
        "/login",
        data={"username": role, "password": PASSWORDS[role], "csrf_token": csrf_of(page.text)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return csrf_of(client.get("/issues").text)


@pytest.fixture
def anon(app) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(app, raise_server_exceptions=False) as client:
        yield client


def signed_in(app, web_db: Database, username: str) -> TestClient:  # type: ignore[no-untyped-def]
    """A client holding a session opened in the store for ``username`` and its cookie,
    made with the app's own codec (signing in through the form costs an argon2
    verification, ~0.5 s; test_security and test_sessions cover the form itself)."""
    with web_db.session() as s:
        user = get_user(s, username)
        assert user is not None
        token = open_session(s, user, app.state.clock(), app.state.lifetimes)
    session = WebSession(token=token)
    client = TestClient(app, raise_server_exceptions=False)
    client.cookies.set(COOKIE, app.state.codec.dump(session))
    client.headers["X-CSRF-Token"] = session.csrf
    return client


@pytest.fixture
def editor(app, web_db: Database) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with signed_in(app, web_db, "editor") as client:
        yield client


@pytest.fixture
def reader(app, web_db: Database) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with signed_in(app, web_db, "reader") as client:
        yield client


@pytest.fixture
def admin(app, web_db: Database) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with signed_in(app, web_db, "admin") as client:
        yield client
