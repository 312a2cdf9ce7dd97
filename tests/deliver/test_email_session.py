"""An SMTP conversation always ends within its deadline, and a message handed over without
an answer is unconfirmed, never sent again by itself (review rev1 findings 3 and 1).

The servers are real, on 127.0.0.1: aiosmtpd for the one that answers DATA late, and a
small scripted one that speaks just enough SMTP to trickle its answers a line at a time
(a tarpit, a middlebox on the wrong port): smtplib's timeout is per socket operation, and
a line every 0.2 s never reaches it.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from deliver.support import channel
from jianbao.config import Settings
from jianbao.deliver.base import Notice
from jianbao.deliver.email import SESSION_STEPS, EmailChannel
from jianbao.deliver.pacing import send_with_retry
from jianbao.deliver.send import MAX_RETRY_WAIT

TIMEOUT = 0.5


class Trickler:
    """A scripted SMTP server: answers at once until ``trickle_at`` ("greeting" or "data":
    after the message's final dot), then sends ``220-``/``250-`` continuation lines every
    0.2 s for ever. ``messages`` counts the messages it read whole (queued for delivery)."""

    def __init__(self, trickle_at: str):
        self.trickle_at = trickle_at
        self.messages = 0
        self.stop = threading.Event()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        with contextlib.suppress(OSError):
            while not self.stop.is_set():
                conn, _ = self.listener.accept()
                threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _drip(self, conn: socket.socket, line: bytes) -> None:
        while not self.stop.is_set():
            conn.sendall(line)
            time.sleep(0.2)

    def _serve(self, conn: socket.socket) -> None:
        with contextlib.suppress(OSError), conn, conn.makefile("rb") as lines:
            if self.trickle_at == "greeting":
                self._drip(conn, b"220-still greeting\r\n")
                return
            conn.sendall(b"220 trickler ESMTP\r\n")
            while line := lines.readline():
                verb = line[:4].upper()
                if verb in (b"EHLO", b"HELO"):
                    conn.sendall(b"250-trickler\r\n250 8BITMIME\r\n")
                elif verb == b"DATA":
                    conn.sendall(b"354 go ahead\r\n")
                    while lines.readline() not in (b".\r\n", b""):
                        pass
                    self.messages += 1
                    self._drip(conn, b"250-still thinking\r\n")
                    return
                else:
                    conn.sendall(b"250 OK\r\n")

    def close(self) -> None:
        self.stop.set()
        self.listener.close()


@pytest.fixture
def trickler(request: pytest.FixtureRequest) -> Iterator[Trickler]:
    server = Trickler(request.param)
    yield server
    server.close()


def _mailbox(settings: Settings, port: int) -> EmailChannel:
    ch = channel(
        settings,
        "领导邮箱",
        kind="email",
        smtp_host="127.0.0.1",
        smtp_port=port,
        smtp_security="none",
        sender="jianbao@wsjkw.example.cn",
        to=["leader@wsjkw.example.cn"],
        timeout=TIMEOUT,
    )
    assert isinstance(ch, EmailChannel)
    return ch


def _send(ch: EmailChannel) -> tuple[Any, float]:
    started = time.monotonic()
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "内容"))[0]))
    return result, time.monotonic() - started


@pytest.mark.parametrize("trickler", ["greeting"], indirect=True)
def test_a_server_trickling_its_greeting_is_cut_off_at_the_deadline(
    settings: Settings, trickler: Trickler
) -> None:
    """Before: still running after 30 s with a 1 s timeout (the scheduler's tick held)."""
    ch = _mailbox(settings, trickler.port)
    result, took = _send(ch)
    assert SESSION_STEPS * TIMEOUT <= took < SESSION_STEPS * TIMEOUT + 2
    assert not result.ok and result.retryable and not result.unconfirmed  # nothing handed over
    # and not again within this run: the scheduler's later run tries it (rev1 finding 7)
    assert result.retry_after is not None and result.retry_after > MAX_RETRY_WAIT
    assert f"整个会话超过 {SESSION_STEPS * TIMEOUT:g} 秒" in result.error


@pytest.mark.parametrize("trickler", ["data"], indirect=True)
def test_a_server_trickling_after_the_message_ends_unconfirmed_at_the_deadline(
    settings: Settings, trickler: Trickler
) -> None:
    ch = _mailbox(settings, trickler.port)
    result, took = _send(ch)
    assert took < SESSION_STEPS * TIMEOUT + 2 and trickler.messages == 1
    assert not result.ok and result.unconfirmed and not result.retryable
    assert result.error.startswith("推送：未确认") and "会话超过" in result.error


class SlowData:
    """Takes the message (queued: the recipient will get it), answers DATA after 1.5 s."""

    def __init__(self) -> None:
        self.mails = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.mails += 1
        await asyncio.sleep(1.5)
        return "250 OK queued"


def test_a_message_handed_over_without_an_answer_is_sent_once_and_unconfirmed(
    settings: Settings, tmp_path: Path
) -> None:
    """Before: retried as a network fault, four copies in the leadership's mailbox."""
    with socket.socket() as free:
        free.bind(("127.0.0.1", 0))
        port = free.getsockname()[1]
    handler = SlowData()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        ch = _mailbox(settings, port)
        message = ch.prepare_notice(Notice("测试", "内容"))[0]

        async def never(seconds: float) -> None:
            return None

        result = asyncio.run(send_with_retry(lambda: ch.send(message), sleep=never))
    finally:
        controller.stop()
    assert handler.mails == 1
    assert not result.ok and result.unconfirmed and "服务器可能已收下" in result.error
