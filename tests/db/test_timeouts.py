"""A store that does not answer fails fast and says why (issue 14, item 6).

A PostgreSQL URL pointing at something that accepts connections but never answers (a
silent socket, Redis's port, an HTTP server) used to hang for minutes with no output.
Now the connect timeout ends it with an error naming the URL (password masked), what
happened and what to do; a statement over the statement timeout is cancelled by the
server; a server that goes silent mid-statement is given up. Every case here is a real
socket: loopback listeners, the Redis and PostgreSQL servers of the machine, and a TCP
relay to PostgreSQL that can be frozen.
"""

from __future__ import annotations

import socket
import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from conftest import drop_postgres, fresh_postgres_url
from jianbao.db.models import Source
from jianbao.db.session import Database
from jianbao.errors import ConfigError, StoreError
from jianbao.testing import make_settings

#: the connect timeout of these tests, and the most any failure here may take
CONNECT = 0.3
BOUND = 3.0


class Listener:
    """A loopback TCP server handing each connection to ``serve`` in a thread."""

    def __init__(self, serve: Callable[[socket.socket], None]):
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.serve = serve
        self.done = threading.Event()
        self.connections: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while not self.done.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections.append(conn)
            threading.Thread(target=self.serve, args=(conn,), daemon=True).start()

    def close(self) -> None:
        self.done.set()
        self.sock.close()
        for conn in self.connections:
            conn.close()


@pytest.fixture
def listen() -> Iterator[Callable[[Callable[[socket.socket], None]], Listener]]:
    started: list[Listener] = []

    def start(serve: Callable[[socket.socket], None]) -> Listener:
        listener = Listener(serve)
        started.append(listener)
        return listener

    yield start
    for listener in started:
        listener.close()


def _silent(conn: socket.socket) -> None:
    """Accept, read, never answer."""
    conn.settimeout(BOUND * 2)
    try:
        while conn.recv(65536):
            pass
    except OSError:
        pass


def _http_answer(conn: socket.socket) -> None:
    """Answer whatever comes as a web server would: with HTTP, then hang up."""
    with conn:
        conn.recv(65536)
        conn.sendall(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")


def _url(port: int) -> str:
    return f"postgresql+pg8000://editor:s3cret@127.0.0.1:{port}/jianbao"


def _open_fails(url: str, **limits: float) -> ConfigError:
    started = time.monotonic()
    with pytest.raises(ConfigError, match="无法打开数据库") as caught:
        Database(url, connect_timeout=CONNECT, **limits)
    assert time.monotonic() - started < BOUND
    message = str(caught.value)
    assert make_url(url).render_as_string(hide_password=True) in message
    assert "s3cret" not in message
    assert "JIANBAO_DATABASE_URL" in message
    return caught.value


def test_a_silent_socket_fails_after_the_connect_timeout(listen: Callable) -> None:
    listener = listen(_silent)
    error = _open_fails(_url(listener.port))
    assert "0.3 秒内没有应答" in error.message
    assert "editor:***@127.0.0.1" in str(error)


def test_redis_port_fails_after_the_connect_timeout() -> None:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    error = _open_fails(_url(6379))
    assert "没有应答" in error.message or "不是 PostgreSQL" in error.message


def test_an_http_port_is_named_as_not_postgresql(listen: Callable) -> None:
    listener = listen(_http_answer)
    error = _open_fails(_url(listener.port))
    assert "不是 PostgreSQL 协议" in error.message


def test_a_closed_port_is_refused_at_once() -> None:
    probe = socket.create_server(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    error = _open_fails(_url(port))
    assert "连接被拒绝" in error.message


def test_the_settings_carry_the_connect_timeout(listen: Callable, tmp_path: Path) -> None:
    listener = listen(_silent)
    settings = make_settings(
        tmp_path, database_url=_url(listener.port), database_connect_timeout=CONNECT
    )
    started = time.monotonic()
    with pytest.raises(ConfigError, match=r"0\.3 秒内没有应答"):
        Database.from_settings(settings)
    assert time.monotonic() - started < BOUND


# -- against the real PostgreSQL ------------------------------------------------------


@pytest.fixture
def postgres_url(postgres_admin: sa.Engine | None) -> Iterator[str]:
    if postgres_admin is None:
        pytest.skip("PostgreSQL not reachable")
    url = fresh_postgres_url(postgres_admin)
    try:
        yield url
    finally:
        drop_postgres(postgres_admin, url)


def test_a_refused_sign_in_quotes_the_server(postgres_url: str) -> None:
    missing = make_url(postgres_url).set(database="jianbao_no_such_database")
    error = _open_fails(missing.render_as_string(hide_password=False))
    assert "服务器拒绝" in error.message and "jianbao_no_such_database" in error.message


def test_a_statement_over_the_timeout_is_cancelled(postgres_url: str) -> None:
    db = Database(postgres_url, connect_timeout=CONNECT, statement_timeout=0.3)
    try:
        started = time.monotonic()
        with (
            pytest.raises(StoreError, match=r"0\.3 秒内没有完成") as caught,
            db.session() as session,
        ):
            session.execute(sa.text("SELECT pg_sleep(5)"))
        assert time.monotonic() - started < BOUND
        assert "JIANBAO_DATABASE_STATEMENT_TIMEOUT" in str(caught.value)
        with db.session() as session:  # the store goes on working
            assert session.execute(sa.text("SELECT 1")).scalar() == 1
    finally:
        db.close()


def test_migrations_are_not_cut_by_the_statement_timeout(postgres_url: str) -> None:
    # a statement timeout of one millisecond cancels nearly anything, yet the schema is made
    Database(postgres_url, connect_timeout=2, statement_timeout=0.001).close()
    plain = sa.create_engine(postgres_url)
    try:
        with plain.connect() as conn:
            assert "articles" in sa.inspect(conn).get_table_names()
    finally:
        plain.dispose()


def test_each_connection_has_the_statement_timeout(postgres_url: str) -> None:
    db = Database(postgres_url, connect_timeout=2, statement_timeout=90)
    try:
        with db.session() as session:
            assert session.execute(sa.text("SHOW statement_timeout")).scalar() == "90s"
    finally:
        db.close()


def test_a_store_error_raised_while_handling_a_timeout_keeps_its_kind(postgres_url: str) -> None:
    """A fetch timed out, and then a write failed for its own reason: not an outage."""
    db = Database(postgres_url, connect_timeout=2)
    try:
        with db.session() as session:
            session.add(Source(name="东川日报", url="https://news.example/rss.xml"))
        try:
            raise TimeoutError("the fetch timed out")
        except TimeoutError:
            with pytest.raises(IntegrityError), db.session() as session:
                session.add(Source(name="东川日报", url="https://news.example/rss.xml"))
    finally:
        db.close()


class FreezingRelay:
    """A TCP relay to PostgreSQL that stops passing bytes on when frozen: a server that
    went silent in the middle of a conversation."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.frozen = threading.Event()
        self.listener = Listener(self._relay)
        self.port = self.listener.port

    def _relay(self, client: socket.socket) -> None:
        server = socket.create_connection(self.target)
        self.listener.connections.append(server)
        threading.Thread(target=self._pump, args=(server, client), daemon=True).start()
        self._pump(client, server)

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                while self.frozen.is_set() and not self.listener.done.is_set():
                    time.sleep(0.01)
                sink.sendall(data)
        except OSError:
            pass


@pytest.fixture
def relayed(postgres_url: str) -> Iterator[tuple[Database, FreezingRelay]]:
    """A store reached through a FreezingRelay, its schema made."""
    url = make_url(postgres_url)
    relay = FreezingRelay((url.host or "127.0.0.1", url.port or 5432))
    through = url.set(host="127.0.0.1", port=relay.port).render_as_string(hide_password=False)
    db = Database(through, connect_timeout=CONNECT, statement_timeout=0.5)
    try:
        yield db, relay
    finally:
        relay.frozen.clear()
        db.close()
        relay.listener.close()


def test_a_server_silent_mid_transaction_is_given_up(
    relayed: tuple[Database, FreezingRelay],
) -> None:
    db, relay = relayed
    started = 0.0
    with pytest.raises(StoreError, match="不再应答"), db.session() as session:
        assert session.execute(sa.text("SELECT 1")).scalar() == 1
        relay.frozen.set()
        started = time.monotonic()
        session.execute(sa.text("SELECT 2"))
    assert time.monotonic() - started < BOUND
    relay.frozen.clear()
    with db.session() as session:  # a fresh connection once the server answers again
        assert session.execute(sa.text("SELECT 3")).scalar() == 3


def test_a_server_silent_between_transactions_is_given_up(
    relayed: tuple[Database, FreezingRelay],
) -> None:
    db, relay = relayed
    with db.session() as session:
        assert session.execute(sa.text("SELECT 1")).scalar() == 1
    relay.frozen.set()  # the pooled connection's ping goes unanswered, so does a new one
    started = time.monotonic()
    with pytest.raises(StoreError, match="不再应答") as caught, db.session() as session:
        session.execute(sa.text("SELECT 2"))
    assert time.monotonic() - started < BOUND
    assert "0.3 秒内没有应答" in str(caught.value)
    relay.frozen.clear()
    with db.session() as session:
        assert session.execute(sa.text("SELECT 3")).scalar() == 3


# -- SQLite's busy timeout ------------------------------------------------------------


def test_a_sqlite_store_busy_past_the_busy_timeout_says_so(tmp_path: Path) -> None:
    path = tmp_path / "jianbao.db"
    db = Database(f"sqlite:///{path}", busy_timeout=0.2)
    holder = sqlite3.connect(path, isolation_level=None)
    try:
        holder.execute("BEGIN IMMEDIATE")  # another writer holds the store
        started = time.monotonic()
        with pytest.raises(StoreError, match="另一个进程占用") as caught, db.session() as session:
            session.add(Source(name="东川日报", url="https://news.example/rss.xml"))
        assert 0.15 < time.monotonic() - started < BOUND
        assert "JIANBAO_DATABASE_BUSY_TIMEOUT" in str(caught.value)
        holder.execute("ROLLBACK")
        with db.session() as session:  # the writer is done: the store takes the write
            session.add(Source(name="东川日报", url="https://news.example/rss.xml"))
    finally:
        holder.close()
        db.close()


def test_the_settings_carry_the_busy_timeout(tmp_path: Path) -> None:
    db = Database.from_settings(make_settings(tmp_path, database_busy_timeout=2.5))
    try:
        with db.engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 2500
    finally:
        db.close()
