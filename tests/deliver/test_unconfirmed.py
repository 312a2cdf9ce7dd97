"""A request that left without an answer is unconfirmed (未确认), never sent again by itself.

A robot posts a message on receipt and answers after: when its answer is slow, lost or a
gateway's 502, the group most likely has the message, and sending it again would post it
twice (review rev1 finding 1: four copies). Only a request that provably never left — a
refused connection, a 429/503 that says it was not taken — is retried. The robot here is
a real HTTP server on 127.0.0.1 that records every request it receives (each one would be
in the group) and then answers as the test scripts it.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from deliver.published import published_daily
from deliver.support import make_view
from jianbao.channel_settings import ChannelConfig
from jianbao.config import Settings
from jianbao.db.models import Delivery
from jianbao.db.session import Database
from jianbao.deliver import log
from jianbao.deliver.registry import build_channel
from jianbao.deliver.send import send_issue
from jianbao.testing import make_settings

Behave = Callable[[int, BaseHTTPRequestHandler], None]


def _answer(handler: BaseHTTPRequestHandler, status: int = 200, code: int = 0) -> None:
    data = json.dumps({"errcode": code, "errmsg": "ok" if code == 0 else "no"}).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


class Robot:
    """A loopback WeCom-like robot: ``posts`` counts what reached it (what the group would
    show); ``behave(n, handler)`` answers the n-th request (default: at once, errcode 0)."""

    def __init__(self) -> None:
        self.posts: list[bytes] = []
        self.behave: Behave = lambda n, handler: _answer(handler)
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                robot.posts.append(body)
                with contextlib.suppress(OSError):  # the client gave up first
                    robot.behave(len(robot.posts), self)

            def log_message(self, *args: Any) -> None:
                return

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.02,), daemon=True).start()
        port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=abcdefgh12345678"


@pytest.fixture
def robot() -> Iterator[Robot]:
    made = Robot()
    yield made
    made.server.shutdown()
    made.server.server_close()


def _settings(tmp_path: Path, url: str) -> Settings:
    return make_settings(
        tmp_path, channels={"处室群": ChannelConfig(kind="wecom", url=url, timeout=0.5)}
    )


def _rows(db: Database, issue_id: int) -> list[Delivery]:
    with db.session() as session:
        return list(session.scalars(select(Delivery).where(Delivery.issue_id == issue_id)))


def _send(db: Database, settings: Settings, issue_id: int, **options: Any):  # type: ignore[no-untyped-def]
    slept: list[float] = []

    async def sleep(seconds: float) -> None:  # the retries' waits are not taken
        slept.append(seconds)

    options.setdefault("channels", ["处室群"])
    return send_issue(db, settings, issue_id, sleep=sleep, **options)


def _slow(seconds: float) -> Behave:
    def behave(n: int, handler: BaseHTTPRequestHandler) -> None:
        if n == 1:
            time.sleep(seconds)
        _answer(handler)

    return behave


def test_a_slow_answer_is_posted_once_and_left_unconfirmed_until_the_editor_resends(
    tmp_path: Path, robot: Robot
) -> None:
    settings = _settings(tmp_path, robot.url)
    db = Database.from_settings(settings)
    issue_id = published_daily(db, settings, n=3)
    robot.behave = _slow(1.2)  # the robot posts, then answers after the 0.5 s timeout

    report = _send(db, settings, issue_id)
    office = report.channels[0]
    assert len(robot.posts) == 1  # not four copies in the group
    assert office.unconfirmed == [1] and office.failed == {} and not office.complete
    [row] = _rows(db, issue_id)
    assert row.state == "sending" and row.attempts == 1 and row.finished_at is not None
    assert row.error.startswith("推送：未确认") and "没有应答" in row.error
    with db.session() as session:
        [state] = log.channel_states(session, issue_id)
    assert (state.unconfirmed, state.in_flight, state.failed) == (1, 0, 0)

    again = _send(db, settings, issue_id)  # a later run does not send it by itself
    assert again.channels[0].unconfirmed == [1] and len(robot.posts) == 1
    # the editor looked at the group and asks: it goes at once (not in flight any more)
    asked = _send(db, settings, issue_id, resend_unconfirmed=True)
    assert asked.ok and len(robot.posts) == 2
    db.close()


def test_a_connection_dropped_after_the_request_is_unconfirmed_not_retried(
    tmp_path: Path, robot: Robot
) -> None:
    settings = _settings(tmp_path, robot.url)
    db = Database.from_settings(settings)
    issue_id = published_daily(db, settings, n=3)

    def drop(n: int, handler: BaseHTTPRequestHandler) -> None:
        handler.connection.shutdown(socket.SHUT_RDWR)  # read, posted, no answer

    robot.behave = drop
    office = _send(db, settings, issue_id).channels[0]
    assert len(robot.posts) == 1 and office.unconfirmed == [1] and office.failed == {}
    db.close()


@pytest.mark.parametrize(
    ("status", "posts", "outcome"),
    [(502, 1, "unconfirmed"), (504, 1, "unconfirmed"), (503, 2, "sent")],
)
def test_only_a_503_is_taken_as_not_accepted_and_retried(
    tmp_path: Path, robot: Robot, status: int, posts: int, outcome: str
) -> None:
    """A gateway's 502/504 may come after the robot posted: unconfirmed. 503 (and 429)
    says the request was not taken (HTTP's meaning; the platforms document no other)."""
    settings = _settings(tmp_path, robot.url)
    db = Database.from_settings(settings)
    issue_id = published_daily(db, settings, n=3)
    robot.behave = lambda n, handler: _answer(handler, status if n == 1 else 200)
    office = _send(db, settings, issue_id).channels[0]
    assert len(robot.posts) == posts
    if outcome == "sent":
        assert office.complete
    else:
        assert office.unconfirmed == [1] and f"HTTP {status}" in _rows(db, issue_id)[0].error
    db.close()


def test_a_request_that_never_left_is_retried(tmp_path: Path) -> None:
    """Nothing listens on the port: the connection is refused, nothing was posted, so the
    part is tried again (four times in all) and then failed — not unconfirmed."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    settings = _settings(tmp_path, f"http://127.0.0.1:{port}/cgi-bin/webhook/send?key=k1234567")
    db = Database.from_settings(settings)
    issue_id = published_daily(db, settings, n=3)
    office = _send(db, settings, issue_id).channels[0]
    assert office.unconfirmed == [] and list(office.failed) == [1]
    assert "无法连接" in office.failed[1] and "稍后自动重试" in office.failed[1]
    [row] = _rows(db, issue_id)
    assert (row.state, row.attempts) == ("failed", 4)
    db.close()


def test_an_answer_arriving_in_pieces_is_read_to_its_end(tmp_path: Path, robot: Robot) -> None:
    """Review finding 4: ``{"errcode":0,…}`` in three pieces, 50 ms apart (a proxy, a slow
    link), was read in part and the posted message recorded as failed."""

    def pieces(n: int, handler: BaseHTTPRequestHandler) -> None:
        data = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
        handler.send_response(200)
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        for k in range(0, len(data), 10):
            handler.wfile.write(data[k : k + 10])
            handler.wfile.flush()
            time.sleep(0.05)

    robot.behave = pieces
    settings = _settings(tmp_path, robot.url)
    channel = build_channel("处室群", ChannelConfig(kind="wecom", url=robot.url), settings)
    [message] = channel.prepare(make_view("daily", 2))
    result = asyncio.run(channel.send(message))
    assert result.ok, result.error
