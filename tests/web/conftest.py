"""Fixtures for the web workstation: a demo database collected once, copied per test,
with one account of each role, and TestClients signed in as each of them."""

from __future__ import annotations

import asyncio
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from jianbao.accounts import add_user, get_user, session_stamp
from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.demo.site import DEMO_ISSUE_DATE, demo_sources, serve_demo
from jianbao.pipeline import Pipeline
from jianbao.testing import make_settings
from jianbao.web.app import create_app
from jianbao.web.security import COOKIE, WebSession

PASSWORDS = {"admin": "admin-pass-1", "editor": "editor-pass-1", "reader": "reader-pass-1"}
DEMO_DAY = DEMO_ISSUE_DATE


@pytest.fixture(scope="session")
def passwords() -> dict[str, str]:
    return dict(PASSWORDS)


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo site collected once into a SQLite file, with admin, editor and reader."""
    folder = tmp_path_factory.mktemp("web-demo")
    settings = make_settings(folder, database_url=f"sqlite:///{folder / 'demo.db'}")
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
    return folder / "demo.db"


@pytest.fixture
def web_settings(tmp_path: Path, demo_db_file: Path) -> Settings:
    target = tmp_path / "jianbao.db"
    shutil.copyfile(demo_db_file, target)
    return make_settings(tmp_path, database_url=f"sqlite:///{target}")


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
    """A client holding a session cookie for ``username``, made with the app's own codec
    (signing in through the form costs an argon2 verification, ~0.5 s; test_security
    covers the form itself)."""
    with web_db.session() as s:
        user = get_user(s, username)
        assert user is not None
        session = WebSession(uid=user.id, stamp=session_stamp(user))
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
