"""Issue 14, item 11: sessions live in the store and end for real — at sign-out, password
change, role change and account removal (from the workstation and from the CLI), after
the idle timeout and at the absolute lifetime; the old cookie then neither reads nor
writes. The browser holds only a random id, stored hashed."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from typer.testing import CliRunner

from jianbao.cli import app as cli
from jianbao.config import Settings
from jianbao.db.models import Decision, SignInSession
from jianbao.db.session import Database
from jianbao.web.app import create_app
from jianbao.web.security import COOKIE
from web.conftest import sign_in


class Clock:
    """A clock the test moves by hand (the app reads ``app.state.clock``)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(app) -> Clock:  # type: ignore[no-untyped-def]
    app.state.clock = Clock()
    return app.state.clock  # type: ignore[no-any-return]


def form_sign_in(app, username: str = "editor") -> TestClient:  # type: ignore[no-untyped-def]
    """A browser signed in through the form; its CSRF token is in X-CSRF-Token."""
    client = TestClient(app, raise_server_exceptions=False)
    client.headers["X-CSRF-Token"] = sign_in(client, username)
    return client


def replay(app, original: TestClient) -> TestClient:  # type: ignore[no-untyped-def]
    """A second browser holding a copy of ``original``'s cookie and token (a stolen or
    kept cookie)."""
    copy = TestClient(app, raise_server_exceptions=False)
    copy.cookies.set(COOKIE, original.cookies[COOKIE])
    copy.headers["X-CSRF-Token"] = original.headers["X-CSRF-Token"]
    return copy


def decisions(db: Database) -> int:
    with db.session() as s:
        return s.scalar(select(func.count()).select_from(Decision)) or 0


def signed_in(client: TestClient) -> bool:
    return client.get("/issues", follow_redirects=False).status_code == 200


def cannot_write(client: TestClient, db: Database) -> bool:
    before = decisions(db)
    response = client.post("/candidates/1/reject", follow_redirects=False)
    return response.status_code in (401, 403) and decisions(db) == before


def test_a_signed_out_cookie_no_longer_reads_or_writes(app, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    browser = form_sign_in(app)
    reader, writer = replay(app, browser), replay(app, browser)
    assert signed_in(reader)
    browser.post("/logout")
    assert not signed_in(reader)
    assert cannot_write(writer, web_db)


def test_signing_out_ends_only_that_session(app) -> None:  # type: ignore[no-untyped-def]
    office, home = form_sign_in(app), form_sign_in(app)
    office.post("/logout")
    assert not signed_in(office) and signed_in(home)


def test_the_browser_holds_a_random_id_stored_hashed(app, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    browser = form_sign_in(app)
    raw = browser.cookies[COOKIE]
    token = app.state.codec.load(raw).token
    assert token and len(token) >= 32
    with web_db.session() as s:
        row = s.scalars(select(SignInSession).order_by(SignInSession.id.desc())).first()
        assert row is not None and row.ended_at is None
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in row.token_hash


def test_a_password_change_from_the_cli_ends_sessions(
    app, web_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    browser = form_sign_in(app)
    other = form_sign_in(app, "reader")
    cli_env(monkeypatch, tmp_path, web_settings)
    result = CliRunner().invoke(cli, ["users", "passwd", "editor", "--password", "new-pass-long"])
    assert result.exit_code == 0, result.output
    assert not signed_in(browser)
    assert signed_in(other)


def test_removing_an_account_from_the_cli_ends_its_sessions(
    app, web_db: Database, web_settings: Settings, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    browser = form_sign_in(app)
    cli_env(monkeypatch, tmp_path, web_settings)
    result = CliRunner().invoke(cli, ["users", "remove", "editor"])
    assert result.exit_code == 0, result.output
    assert not signed_in(browser)
    with web_db.session() as s:
        assert s.scalar(select(func.count()).select_from(SignInSession)) == 0


def cli_env(monkeypatch: pytest.MonkeyPatch, folder: Path, settings: Settings) -> None:
    monkeypatch.chdir(folder)
    monkeypatch.setenv("JIANBAO_DATA_DIR", str(settings.data_dir))
    monkeypatch.setenv("JIANBAO_DATABASE_URL", settings.resolved_database_url)


def test_a_role_change_ends_the_users_sessions(app, admin: TestClient) -> None:  # type: ignore[no-untyped-def]
    browser = form_sign_in(app)
    response = admin.post("/users/editor/role", data={"role": "reader"}, follow_redirects=False)
    assert response.status_code == 303
    assert not signed_in(browser)
    assert signed_in(admin)


def test_removing_an_account_in_the_workstation_ends_its_sessions(app, admin: TestClient) -> None:  # type: ignore[no-untyped-def]
    browser = form_sign_in(app)
    assert admin.post("/users/editor/remove", follow_redirects=False).status_code == 303
    assert not signed_in(browser)


def test_the_idle_timeout_ends_a_session(app, clock: Clock, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    browser = form_sign_in(app)
    clock.advance(hours=7, minutes=59)
    assert signed_in(browser)  # in use: the idle clock restarts
    clock.advance(hours=7, minutes=59)
    assert signed_in(browser)
    kept = replay(app, browser)
    clock.advance(hours=8, minutes=1)
    assert not signed_in(browser)
    assert cannot_write(kept, web_db)


def test_the_absolute_lifetime_ends_a_busy_session(app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    browser = form_sign_in(app)
    for _ in range(14 * 24 // 6 - 1):
        clock.advance(hours=6)
        assert signed_in(browser)
    clock.advance(hours=6, minutes=1)
    assert not signed_in(browser)


def test_the_lifetimes_are_settings(web_settings: Settings, web_db: Database) -> None:
    settings = web_settings.model_copy(
        update={"web_session_idle_minutes": 5, "web_session_days": 1}
    )
    app = create_app(settings, database=web_db, secret_key="test-secret")
    clock = app.state.clock = Clock()
    browser = form_sign_in(app)
    clock.advance(minutes=4)
    assert signed_in(browser)
    clock.advance(minutes=6)
    assert not signed_in(browser)
    assert "Max-Age=86400" in TestClient(app).get("/login").headers["set-cookie"]


def test_last_seen_is_written_at_most_once_a_minute(app, clock: Clock, web_db: Database) -> None:  # type: ignore[no-untyped-def]
    browser = form_sign_in(app)

    def last_seen() -> datetime:
        with web_db.session() as s:
            row = s.scalars(select(SignInSession).where(SignInSession.ended_at.is_(None))).one()
            return row.last_seen_at

    first = last_seen()
    clock.advance(seconds=30)
    assert signed_in(browser) and last_seen() == first
    clock.advance(seconds=31)
    assert signed_in(browser) and last_seen() == clock.now


def test_a_one_minute_idle_timeout_keeps_a_busy_session(
    web_settings: Settings, web_db: Database
) -> None:
    """last_seen is written more often than the idle timeout can pass unnoticed."""
    settings = web_settings.model_copy(update={"web_session_idle_minutes": 1})
    app = create_app(settings, database=web_db, secret_key="test-secret")
    clock = app.state.clock = Clock()
    browser = form_sign_in(app)
    for _ in range(4):
        clock.advance(seconds=50)
        assert signed_in(browser)
    clock.advance(seconds=61)
    assert not signed_in(browser)
