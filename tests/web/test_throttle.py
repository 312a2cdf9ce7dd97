"""Issue 14, item 12: sign-in is throttled per account and per address. After the allowed
failures the account (or address) is locked, for a time that doubles with every further
failure; while locked even the right password is refused, with a Chinese message saying
when to try again, and the lock is logged. The counts live in the store, so every
``serve --workers`` process (here: a second app on its own connection pool) sees them."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from jianbao.config import Settings
from jianbao.db.models import SignInFailures
from jianbao.db.session import Database
from jianbao.web.app import create_app
from jianbao.web.throttle import ThrottlePolicy, account_key, address_key, record_failure
from web.conftest import PASSWORDS, csrf_of


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Beijing

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock(app) -> Clock:  # type: ignore[no-untyped-def]
    app.state.clock = Clock()
    return app.state.clock  # type: ignore[no-any-return]


def attempt(client: TestClient, username: str, password: str) -> int:
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"username": username, "password": password, "csrf_token": token},
        follow_redirects=False,
    )
    client.last = response  # type: ignore[attr-defined]
    return response.status_code


def browser(app, address: str = "203.0.113.7") -> TestClient:  # type: ignore[no-untyped-def]
    return TestClient(app, raise_server_exceptions=False, client=(address, 40000))


def fail(client: TestClient, username: str, times: int) -> None:
    for _ in range(times):
        assert attempt(client, username, "wrong-password") == 401


def test_the_right_password_is_refused_after_five_failures(app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    client = browser(app)
    fail(client, "editor", 5)
    assert attempt(client, "editor", PASSWORDS["editor"]) == 429
    text = client.last.text  # type: ignore[attr-defined]
    assert "登录失败次数过多" in text and "10:01" in text and "再试" in text
    assert client.last.headers["retry-after"] == "60"  # type: ignore[attr-defined]
    assert client.get("/issues", follow_redirects=False).status_code == 303
    clock.advance(seconds=61)
    assert attempt(client, "editor", PASSWORDS["editor"]) == 303


def test_the_lock_doubles_with_each_further_failure(app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    client = browser(app)
    fail(client, "editor", 5)
    clock.advance(seconds=61)
    fail(client, "editor", 1)  # the sixth: two minutes
    clock.advance(seconds=118)
    assert attempt(client, "editor", PASSWORDS["editor"]) == 429
    clock.advance(seconds=3)
    fail(client, "editor", 1)  # the seventh: four minutes
    clock.advance(seconds=239)
    assert attempt(client, "editor", PASSWORDS["editor"]) == 429
    clock.advance(seconds=2)
    assert attempt(client, "editor", PASSWORDS["editor"]) == 303


def test_a_locked_account_is_locked_from_every_address(app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    fail(browser(app, "203.0.113.7"), "editor", 5)
    assert attempt(browser(app, "198.51.100.9"), "editor", PASSWORDS["editor"]) == 429
    assert attempt(browser(app, "198.51.100.9"), "reader", PASSWORDS["reader"]) == 303


def test_unknown_usernames_are_throttled_alike(app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    client = browser(app)
    fail(client, "ghost", 5)
    assert attempt(client, "ghost", "anything-at-all") == 429


def test_one_address_trying_many_accounts_is_throttled(
    web_settings: Settings, web_db: Database
) -> None:
    settings = web_settings.model_copy(update={"web_signin_address_attempts": 3})
    app = create_app(settings, database=web_db, secret_key="test-secret")
    app.state.clock = Clock()
    sprayer = browser(app, "203.0.113.50")
    for name in ("ghost1", "ghost2", "ghost3"):
        assert attempt(sprayer, name, "Summer2026!") == 401
    assert attempt(sprayer, "admin", PASSWORDS["admin"]) == 429
    assert attempt(browser(app, "203.0.113.51"), "admin", PASSWORDS["admin"]) == 303


def test_a_success_clears_the_accounts_count(app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    client = browser(app)
    fail(client, "editor", 4)
    assert attempt(client, "editor", PASSWORDS["editor"]) == 303
    fail(browser(app), "editor", 4)
    assert attempt(browser(app), "editor", PASSWORDS["editor"]) == 303


def test_failures_are_forgotten_after_a_day(app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    fail(browser(app), "editor", 4)
    clock.advance(hours=25)
    fail(browser(app), "editor", 4)
    assert attempt(browser(app), "editor", PASSWORDS["editor"]) == 303


def test_the_count_is_shared_by_every_worker_process(
    app, clock: Clock, web_settings: Settings
) -> None:  # type: ignore[no-untyped-def]
    other_db = Database.from_settings(web_settings)  # its own engine and pool, as a worker
    try:
        other = create_app(web_settings, database=other_db, secret_key="test-secret")
        other.state.clock = clock
        fail(browser(app), "editor", 3)
        fail(browser(other), "editor", 2)
        assert attempt(browser(app), "editor", PASSWORDS["editor"]) == 429
    finally:
        other_db.close()


def test_a_lock_is_logged(app, clock: Clock, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO, logger="jianbao.web")
    client = browser(app, "203.0.113.7")
    fail(client, "editor", 5)
    attempt(client, "editor", PASSWORDS["editor"])
    logged = [r.getMessage() for r in caplog.records if r.name.startswith("jianbao.web")]
    assert any("editor" in m and "203.0.113.7" in m and "locked" in m for m in logged)
    assert not any(PASSWORDS["editor"] in m or "wrong-password" in m for m in logged)


def test_english_message(app, clock: Clock) -> None:  # type: ignore[no-untyped-def]
    client = browser(app)
    client.cookies.set("jianbao_lang", "en")
    fail(client, "editor", 5)
    attempt(client, "editor", PASSWORDS["editor"])
    assert "Too many failed sign-ins" in client.last.text  # type: ignore[attr-defined]


def test_an_ipv6_subscriber_counts_as_one_address() -> None:
    """Rotating through one /64 (what a single subscriber holds) keeps one count."""
    assert address_key("2001:db8:1:2::1") == address_key("2001:db8:1:2:ffff::9")
    assert address_key("2001:db8:1:2::1") != address_key("2001:db8:1:3::1")
    assert address_key("::ffff:203.0.113.7") == address_key("203.0.113.7")
    assert address_key("203.0.113.7") != address_key("203.0.113.8")


def test_concurrent_failures_are_all_counted(db: Database) -> None:
    """Worker processes failing at once each add one: the count is an UPDATE in the
    store (or the INSERT of a new key), never a read-then-write that loses one."""
    now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
    policy = ThrottlePolicy(account_attempts=100, address_attempts=100)
    start = threading.Barrier(8)

    def one(n: int) -> None:
        start.wait()
        with db.session() as s:
            record_failure(s, "editor", f"198.51.100.{n}", now, policy)

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(one, range(8)))
    with db.session() as s:
        row = s.get(SignInFailures, account_key("editor"))
        assert row is not None and row.failures == 8


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serve_processes(settings: Settings, count: int, folder: Path) -> Iterator[list[str]]:
    """``count`` separate ``jianbao serve`` processes on one store; yields their URLs."""
    env = dict(
        os.environ,
        JIANBAO_DATA_DIR=str(settings.data_dir),
        JIANBAO_DATABASE_URL=settings.resolved_database_url,
    )
    ports = [free_port() for _ in range(count)]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "jianbao", "serve", "--port", str(port)],
            cwd=folder,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for port in ports
    ]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        deadline = time.monotonic() + 60
        for url in urls:
            while True:
                try:
                    if httpx.get(url + "/login", timeout=2).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                assert time.monotonic() < deadline, "jianbao serve did not start"
                time.sleep(0.1)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=10)


def http_attempt(url: str, username: str, password: str) -> int:
    """A sign-in through real HTTP, as a browser would (its own cookie jar)."""
    with httpx.Client(base_url=url, timeout=10) as client:
        token = csrf_of(client.get("/login").text)
        data = {"username": username, "password": password, "csrf_token": token}
        return client.post("/login", data=data).status_code


def test_separate_serve_processes_share_the_count(web_settings: Settings, tmp_path: Path) -> None:
    with serve_processes(web_settings, 2, tmp_path) as (first, second):
        for url in (first, first, first, second, second):
            assert http_attempt(url, "editor", "wrong-password") == 401
        assert http_attempt(first, "editor", PASSWORDS["editor"]) == 429
        assert http_attempt(second, "editor", PASSWORDS["editor"]) == 429
        assert http_attempt(second, "reader", PASSWORDS["reader"]) == 303
