"""Sending an issue through channels: once per part, resumed, paced, retried — both backends.

The channel here is a small one of the test's own (``LoopbackChannel``) that speaks HTTP
to a loopback robot (``Robot``) answering as WeCom's robot does (HTTP 200, ``errcode``;
45009 when over the rate limit): it lets each test script the robot's answers. The
platforms' own channels are tested against their fakes in the sibling test modules, and
through the CLI in tests/test_cli_deliver.py.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator, Sequence
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select, update

from deliver.published import published_daily
from jianbao.config import Settings
from jianbao.db.models import Delivery, utcnow
from jianbao.db.session import Database
from jianbao.deliver import log
from jianbao.deliver.base import Message, Notice, SendResult
from jianbao.deliver.send import send_issue, send_notice
from jianbao.editions.issue_store import get_issue, publish_issue, revise_issue
from jianbao.errors import DeliveryError, NotConfigured
from jianbao.records import IssueView
from jianbao.testing import make_settings


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """On both backends (the package's conftest gives SQLite-only settings)."""
    return make_settings(tmp_path, database_url=database_url)


class Robot:
    """A loopback robot: records what it accepts; ``answers`` maps the n-th request
    (1-based) to the errcode it answers instead of 0; ``hold`` maps the n-th request to
    two events: the robot sets the first when the request arrives, then holds it (not yet
    posted) until the test sets the second — a request in flight, for as long as a test
    needs."""

    def __init__(self) -> None:
        self.accepted: list[dict[str, Any]] = []
        self.requests = 0
        self.answers: dict[int, int] = {}
        self.hold: dict[int, tuple[threading.Event, threading.Event]] = {}
        self.lock = threading.Lock()
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                return

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with robot.lock:
                    robot.requests += 1
                    n = robot.requests
                if n in robot.hold:
                    arrived, release = robot.hold[n]
                    arrived.set()
                    release.wait(30)
                code = robot.answers.get(n, 0)
                with robot.lock:
                    if code == 0:
                        robot.accepted.append(body)
                data = json.dumps({"errcode": code, "errmsg": "ok" if code == 0 else "no"})
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data.encode())

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"

    def texts(self) -> list[str]:
        return [body["text"] for body in self.accepted]


class LoopbackChannel:
    """Two items per part, the note heading the first; WeCom-style answers."""

    kind = "wecom"

    def __init__(self, name: str, url: str):
        self.name = name
        self.url = url

    def prepare(
        self, view: IssueView, files: Sequence[Path] = (), *, note: str = ""
    ) -> list[Message]:
        chunks = [view.items[k : k + 2] for k in range(0, len(view.items), 2)]
        texts = ["\n".join(item.title for item in chunk) for chunk in chunks]
        if note:
            texts[0] = note + "\n" + texts[0]
        n = len(texts)
        return [
            Message("text", {"text": f"({k}/{n}) {text}"}, part=k, total=n, text=text[:30])
            for k, text in enumerate(texts, 1)
        ]

    def prepare_notice(self, notice: Notice) -> list[Message]:
        return [Message("text", {"text": f"{notice.title}\n{notice.text}"}, text=notice.title)]

    async def send(self, message: Message) -> SendResult:
        async with aiohttp.ClientSession() as http, http.post(self.url, json=message.body) as r:
            data = await r.json()
        code = data["errcode"]
        if code == 0:
            return SendResult(ok=True, answer="errcode 0")
        if code == 45009:
            return SendResult(ok=False, retryable=True, retry_after=30.0, error="超过频率限制")
        return SendResult(ok=False, answer=f"errcode {code}", error="机器人 key 无效")

    def describe(self) -> str:
        return f"wecom {self.url}"


class Clock:
    """Time that passes only when the sender sleeps."""

    def __init__(self) -> None:
        self.now = utcnow().timestamp()
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def robots() -> Iterator[dict[str, Robot]]:
    made = {"处室群": Robot(), "领导群": Robot()}
    yield made
    for robot in made.values():
        robot.server.shutdown()
        robot.server.server_close()


def send(
    db: Database,
    settings: Settings,
    issue_id: int,
    robots: dict[str, Robot],
    clock: Clock | None = None,
    **options: Any,
):  # type: ignore[no-untyped-def]
    clock = clock or Clock()

    def build(name: str) -> LoopbackChannel:
        if name == "未配置群":
            raise NotConfigured("环境变量 ROBOT_KEY 未设置", item=f"channels.{name}")
        if name not in robots:
            raise NotConfigured("没有这个频道", item=f"channels.{name}")
        return LoopbackChannel(name, robots[name].url)

    options.setdefault("channels", list(robots))
    return send_issue(
        db, settings, issue_id, build=build, sleep=clock.sleep, clock=clock, **options
    )


def rows(db: Database, issue_id: int) -> list[Delivery]:
    with db.session() as session:
        return list(
            session.scalars(
                select(Delivery)
                .where(Delivery.issue_id == issue_id)
                .order_by(Delivery.channel, Delivery.round, Delivery.part)
            )
        )


def test_a_published_issue_goes_once_to_each_channel_and_a_second_run_sends_nothing(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=5)
    report = send(db, settings, issue_id, robots)
    assert report.ok
    assert [(c.channel, c.sent, c.total, c.sent_now) for c in report.channels] == [
        ("处室群", 3, 3, 3),
        ("领导群", 3, 3, 3),
    ]
    assert [t[:5] for t in robots["处室群"].texts()] == ["(1/3)", "(2/3)", "(3/3)"]
    again = send(db, settings, issue_id, robots)
    assert again.ok and [c.sent_now for c in again.channels] == [0, 0]
    assert len(robots["处室群"].accepted) == 3 and len(robots["领导群"].accepted) == 3
    logged = rows(db, issue_id)
    assert {(r.state, r.attempts, r.round) for r in logged} == {("sent", 1, 1)}
    assert all(r.finished_at is not None and r.answer == "errcode 0" for r in logged)


def test_a_draft_goes_to_no_audience_and_only_as_a_marked_preview_to_one_channel(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=2, publish=False)
    with pytest.raises(DeliveryError, match="草稿不能发给受众"):
        send(db, settings, issue_id, robots)
    assert robots["处室群"].accepted == []
    for _ in range(2):  # each preview shows the draft as it is now: sent every time
        report = send(db, settings, issue_id, robots, preview="处室群", channels=None)
        assert report.preview and report.ok and [c.channel for c in report.channels] == ["处室群"]
    texts = robots["处室群"].texts()
    assert len(texts) == 2 and all("【预览】" in text for text in texts)
    assert robots["领导群"].accepted == []
    assert {(r.purpose, r.round) for r in rows(db, issue_id)} == {("preview", 1), ("preview", 2)}


def test_again_sends_every_part_anew_in_a_new_round_and_keeps_the_history(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=3)
    send(db, settings, issue_id, robots, channels=["处室群"])
    report = send(db, settings, issue_id, robots, channels=["处室群"], again=True)
    assert report.channels[0].round == 2 and report.channels[0].sent_now == 2
    assert len(robots["处室群"].accepted) == 4
    assert [(r.round, r.part, r.state) for r in rows(db, issue_id)] == [
        (1, 1, "sent"),
        (1, 2, "sent"),
        (2, 1, "sent"),
        (2, 2, "sent"),
    ]


def test_a_refused_part_fails_with_the_reason_its_later_parts_wait_the_other_channel_goes_on(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=6)
    robots["处室群"].answers[2] = 93000  # part 2: "invalid webhook key", not retryable
    report = send(db, settings, issue_id, robots)
    office, leaders = report.channels
    assert (office.sent, office.total, office.waiting) == (1, 3, 1)
    assert office.failed == {2: "机器人 key 无效"} and not office.complete
    assert leaders.complete and len(robots["领导群"].accepted) == 3
    failed = [r for r in rows(db, issue_id) if r.state == "failed"]
    assert [(r.channel, r.part, r.answer) for r in failed] == [("处室群", 2, "errcode 93000")]
    # run again (the key fixed): the failed and waiting parts go, the sent one does not
    resumed = send(db, settings, issue_id, robots)
    assert resumed.ok and resumed.channels[0].sent_now == 2
    assert [t[:5] for t in robots["处室群"].texts()] == ["(1/3)", "(2/3)", "(3/3)"]
    assert [r.attempts for r in rows(db, issue_id) if r.channel == "处室群"] == [1, 2, 1]


def test_a_rate_limited_part_waits_as_the_platform_says_and_is_tried_again(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=2)
    robots["处室群"].answers[1] = 45009
    clock = Clock()
    report = send(db, settings, issue_id, robots, clock, channels=["处室群"])
    assert report.ok and robots["处室群"].requests == 2
    assert 30.0 in clock.slept
    assert rows(db, issue_id)[0].attempts == 2


def test_a_part_still_rate_limited_after_the_bounded_retries_is_failed(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=2)
    robots["处室群"].answers.update({k: 45009 for k in range(1, 10)})
    report = send(db, settings, issue_id, robots, channels=["处室群"])
    assert report.channels[0].failed == {1: "超过频率限制"}
    assert robots["处室群"].requests == 4 and rows(db, issue_id)[0].attempts == 4


def test_a_part_left_sending_by_a_killed_run_is_not_resent_unless_the_editor_asks(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=6)
    send(db, settings, issue_id, robots, channels=["处室群"])
    with db.session() as session:  # as a run killed with part 2 in flight leaves it
        session.execute(
            update(Delivery)
            .where(Delivery.part >= 2)
            .values(state="pending", finished_at=None)
            .execution_options(synchronize_session=False)
        )
        session.execute(
            update(Delivery)
            .where(Delivery.part == 2)
            .values(state="sending", attempted_at=utcnow())
            .execution_options(synchronize_session=False)
        )
    robots["处室群"].accepted.clear()
    # at once: the part may still be in flight in another process, so it and the
    # later parts are left alone, asked or not (review finding 1)
    for asked in (False, True):
        early = send(db, settings, issue_id, robots, channels=["处室群"], resend_unconfirmed=asked)
        office = early.channels[0]
        assert (office.in_flight, office.unconfirmed, office.waiting) == ([2], [], 1)
        assert robots["处室群"].accepted == []
    with db.session() as session:  # five minutes later, nobody is sending it any more
        session.execute(
            update(Delivery)
            .where(Delivery.part == 2)
            .values(attempted_at=utcnow() - log.IN_FLIGHT - timedelta(seconds=1))
            .execution_options(synchronize_session=False)
        )
    report = send(db, settings, issue_id, robots, channels=["处室群"])
    office = report.channels[0]
    assert office.unconfirmed == [2] and office.sent_now == 1 and not office.complete
    assert office.in_flight == [] and [t[:5] for t in robots["处室群"].texts()] == ["(3/3)"]
    asked = send(db, settings, issue_id, robots, channels=["处室群"], resend_unconfirmed=True)
    assert asked.ok and [t[:5] for t in robots["处室群"].texts()] == ["(3/3)", "(2/3)"]


def test_a_part_another_process_is_sending_holds_back_the_later_parts(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    """Review finding 1: the scheduler sends the issue late while the editor clicks 发送.
    The second sender finds part 1 claimed, its request at the robot: it must not call it
    unconfirmed nor send parts 2 and 3 ahead of it."""
    issue_id = published_daily(db, settings, n=6)
    robot = robots["处室群"]
    arrived, release = threading.Event(), threading.Event()
    robot.hold[1] = (arrived, release)
    first: list[Any] = []
    scheduler = threading.Thread(
        target=lambda: first.append(send(db, settings, issue_id, robots, channels=["处室群"]))
    )
    scheduler.start()
    try:
        assert arrived.wait(30), "part 1 never reached the robot"
        editor = send(db, settings, issue_id, robots, channels=["处室群"])
    finally:
        release.set()
        scheduler.join(60)
    office = editor.channels[0]
    assert (office.in_flight, office.unconfirmed, office.waiting) == ([1], [], 2)
    assert office.sent_now == 0 and office.failed == {}
    assert len(first) == 1 and first[0].ok and first[0].channels[0].sent_now == 3
    assert [t[:5] for t in robot.texts()] == ["(1/3)", "(2/3)", "(3/3)"]
    assert {(r.round, r.state, r.attempts) for r in rows(db, issue_id)} == {(1, "sent", 1)}


def test_pacing_counts_the_attempts_other_processes_logged(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=4)
    now = utcnow()
    with db.session() as session:  # another process sent 20 messages to this robot
        for k in range(20):
            session.add(
                Delivery(
                    channel="处室群",
                    kind="wecom",
                    purpose="notice",
                    part=k + 1,
                    total=20,
                    state="sent",
                    attempted_at=now - timedelta(seconds=50 - k),
                )
            )
    clock = Clock()
    clock.now = now.timestamp()
    assert send(db, settings, issue_id, robots, clock, channels=["处室群"]).ok
    first, second = clock.slept  # until the oldest, then the next, leave the minute
    assert 9.0 <= first <= 12.0 and 0.5 <= second <= 1.5
    # the log keeps when each request left (after its wait), the time others pace from
    sent = [r for r in rows(db, issue_id) if r.channel == "处室群"]
    assert [r.part for r in sent] == [1, 2]
    assert sent[0].attempted_at is not None and sent[1].attempted_at is not None
    assert sent[0].attempted_at.timestamp() == pytest.approx(now.timestamp() + first, abs=0.01)
    assert sent[1].attempted_at.timestamp() == pytest.approx(
        now.timestamp() + first + second, abs=0.01
    )
    assert len(send(db, settings, issue_id, robots, Clock(), channels=["领导群"]).channels) == 1


def test_a_revision_goes_with_the_correction_note_heading_its_first_part(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=3)
    with db.session() as session:
        revision = revise_issue(session, get_issue(session, issue_id))
        publish_issue(session, settings, revision, override_reason="测试")
        revision_id = revision.id
    report = send(db, settings, revision_id, robots, channels=["处室群"])
    assert report.ok
    first, second = robots["处室群"].texts()
    assert "【更正】" in first and "第 2 版" in first and "【更正】" not in second


def test_channels_not_configured_are_skipped_with_the_reason(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=2)
    report = send(db, settings, issue_id, robots, channels=["处室群", "未配置群", "无此群"])
    skipped = {c.channel: c.skipped for c in report.channels if c.skipped}
    assert "ROBOT_KEY" in skipped["未配置群"] and "没有这个频道" in skipped["无此群"]
    assert not report.ok and report.channels[0].complete


def test_an_issue_without_channels_says_where_to_name_them(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=1)
    with pytest.raises(DeliveryError, match="没有可发送的频道") as raised:
        send(db, settings, issue_id, robots, channels=None)
    assert "publications.daily" in str(raised.value)


def test_a_notice_is_sent_and_logged(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    results = send_notice(
        db,
        settings,
        "处室群",
        Notice("今日播报待发布", "请在 8 点前发布", url="http://ws/issues/1"),
        build=lambda name: LoopbackChannel(name, robots[name].url),
        sleep=Clock().sleep,
    )
    assert [r.ok for r in results] == [True]
    assert robots["处室群"].texts() == ["今日播报待发布\n请在 8 点前发布"]
    with db.session() as session:
        row = session.scalars(select(Delivery)).one()
    assert (row.purpose, row.issue_id, row.state, row.summary) == (
        "notice",
        None,
        "sent",
        "今日播报待发布",
    )


def test_two_senders_at_once_deliver_each_part_once(
    db: Database, settings: Settings, robots: dict[str, Robot]
) -> None:
    issue_id = published_daily(db, settings, n=6)
    reports: list[Any] = []
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def sender() -> None:
        try:
            start.wait()
            reports.append(send(db, settings, issue_id, robots))
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=sender) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    for robot in robots.values():  # each part once, and in order (review finding 1)
        assert [t[:5] for t in robot.texts()] == ["(1/3)", "(2/3)", "(3/3)"]
    for k in range(2):
        assert sum(r.channels[k].sent_now for r in reports) == 3
        assert all(r.channels[k].unconfirmed == [] for r in reports)
    assert {(r.round, r.state) for r in rows(db, issue_id)} == {(1, "sent")}


class BrokenChannel(LoopbackChannel):
    """A channel with a bug in its body builder, whose error text carries the robot's
    URL with its key (as aiohttp's InvalidURL does)."""

    secret = "SECsigning-secret-0123456789"

    async def send(self, message: Message) -> SendResult:
        return self.body_for(message)

    def body_for(self, message: Message) -> SendResult:
        raise TypeError(f"cannot build a body for {self.url} ({self.secret})")


def test_a_bug_in_a_channel_fails_the_part_and_logs_its_traceback_without_secrets(
    db: Database,
    settings: Settings,
    robots: dict[str, Robot],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Review finding 8: the row says only 内部错误：TypeError; the traceback is in the
    log for a maintainer, the robot's key and the signing secret masked."""
    issue_id = published_daily(db, settings, n=2)
    url = robots["处室群"].url + "?key=robot-key-abcdef0123456789"
    caplog.set_level("ERROR", logger="jianbao.deliver")
    report = send_issue(
        db,
        settings,
        issue_id,
        channels=["处室群"],
        build=lambda name: BrokenChannel(name, url),
        sleep=Clock().sleep,
    )
    assert report.channels[0].failed == {1: "内部错误：TypeError"}
    assert robots["处室群"].requests == 0
    [record] = [r for r in caplog.records if r.name == "jianbao.deliver"]
    text = record.getMessage()
    assert record.levelname == "ERROR" and "处室群" in text and "第 1/1 部分" in text
    assert "Traceback" in text and "in body_for" in text and "TypeError" in text
    assert "****6789" in text and "abcdef0123456789" not in text
    assert "signing-secret" not in text
    assert rows(db, issue_id)[0].error == "内部错误：TypeError"
