"""An 08:00 send the platform did not accept for now is tried again within the grace.

Real loopback WeCom robots (tests/deliver/fakes.py) answer the rate-limit code 45009 with
``Retry-After: 0`` (so the sender's own tries within a run take no time), a real store on
both backends, the runner's clock moved by the test: the run stays open and later ticks
send again after a growing wait, what one robot took is never sent to it again, the admins
are told once when it first fails, and again when it went through or was given up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from deliver.fakes import FakeWeCom
from deliver.published import published_daily
from jianbao.channel_settings import ChannelConfig
from jianbao.config import Settings
from jianbao.db.models import JobRun
from jianbao.db.session import Database
from jianbao.jobs.work import notice_sender
from jobs.conftest import MakeRunner, shanghai

#: WeCom's "api freq out of limit": the message was not taken, waiting helps
NOT_NOW = {"errcode": 45009, "errmsg": "api freq out of limit"}


@dataclass
class Robots:
    group: FakeWeCom
    leaders: FakeWeCom
    admins: FakeWeCom


@pytest.fixture
def robots() -> Iterator[Robots]:
    with (
        FakeWeCom(key="group-key-01") as group,
        FakeWeCom(key="leaders-key-02") as leaders,
        FakeWeCom(key="admins-key-03") as admins,
    ):
        yield Robots(group, leaders, admins)


@pytest.fixture
def sending(settings: Settings, robots: Robots, tmp_path: Path) -> Settings:
    """The daily to 处室群 and 领导群 at 08:00 with a 10-minute grace; admins on a third."""
    path = tmp_path / "publications.toml"
    path.write_text(
        "[publications.daily]\n"
        'title = "每日学习播报"\n'
        'kind = "daily"\n'
        'channels = ["处室群", "领导群"]\n'
        'formats = ["md"]\n'
        'draft_at = "07:00"\n'
        'send_at = "08:00"\n'
        "send_grace_minutes = 10\n",
        encoding="utf-8",
    )
    return settings.model_copy(
        update={
            "publications_file": path,
            "channels": {
                "处室群": ChannelConfig(kind="wecom", url=robots.group.url),
                "领导群": ChannelConfig(kind="wecom", url=robots.leaders.url),
                "管理员群": ChannelConfig(kind="wecom", url=robots.admins.url),
            },
            "admin_channel": "管理员群",
        }
    )


def published(db: Database, settings: Settings) -> int:
    """The day's daily, three items, published before 08:00."""
    return published_daily(db, settings, 3)


def not_now(robot: FakeWeCom, *requests: int) -> None:
    for n in requests:
        robot.fail_nth(n, 200, NOT_NOW, {"Retry-After": "0"})


def send_run(db: Database) -> JobRun:
    with db.session() as session:
        [run] = session.scalars(select(JobRun).where(JobRun.job == "send"))
        session.expunge(run)
        return run


def told(robot: FakeWeCom) -> list[str]:
    return [json.dumps(body, ensure_ascii=False) for body in robot.accepted]


def test_a_send_not_accepted_for_now_is_tried_again_and_delivered_once(
    db: Database, sending: Settings, robots: Robots, make_runner: MakeRunner
) -> None:
    published(db, sending)
    # 领导群's robot turns the first eight requests away: the 08:00 run's four tries and
    # the first retry's four; the second retry goes through
    not_now(robots.leaders, *range(1, 9))
    runner, clock = make_runner(
        shanghai(2026, 11, 20, 7, 59, 30),
        shanghai(2026, 11, 20, 8, 0, 5),
        notify=notice_sender(db, sending),
        settings_=sending,
    )
    runner.tick()
    run = send_run(db)
    assert run.outcome == "late" and run.detail["sent"] is False, run.error
    assert run.detail["retry_at"] == shanghai(2026, 11, 20, 8, 1, 5).isoformat()
    assert "45009" in (run.error or "") and "08:01 自动重试" in (run.error or "")
    assert len(robots.group.accepted) == 1 and len(robots.leaders.requests) == 4
    [first] = told(robots.admins)
    assert "暂未发出，将自动重试" in first and "08:10" in first
    clock.set(2026, 11, 20, 8, 0, 35)  # not yet its time
    runner.tick()
    assert len(robots.leaders.requests) == 4
    clock.set(2026, 11, 20, 8, 1, 10)  # the first retry: turned away again
    runner.tick()
    run = send_run(db)
    assert len(robots.leaders.requests) == 8 and run.outcome == "late"
    assert run.detail["tries"] == 2
    assert run.detail["retry_at"] == shanghai(2026, 11, 20, 8, 3, 10).isoformat()
    assert len(told(robots.admins)) == 1  # told once, not at every retry
    clock.set(2026, 11, 20, 8, 3, 15)  # the second retry goes through
    runner.tick()
    run = send_run(db)
    assert run.outcome == "late" and run.detail["sent"] is True and not run.detail["retry_at"]
    assert len(robots.leaders.accepted) == 1
    assert len(robots.group.accepted) == 1  # what 处室群 took at 08:00 is not sent again
    assert len(told(robots.admins)) == 2 and "已在重试时发出" in told(robots.admins)[1]
    for minute in (4, 6, 9):
        clock.set(2026, 11, 20, 8, minute, 30)
        runner.tick()
    assert len(robots.leaders.accepted) == 1 and len(robots.group.accepted) == 1
    assert len(told(robots.admins)) == 2


def test_a_send_still_not_accepted_when_the_grace_ends_fails_and_the_admins_are_told(
    db: Database, sending: Settings, robots: Robots, make_runner: MakeRunner
) -> None:
    published(db, sending)
    not_now(robots.group, *range(1, 13))
    runner, clock = make_runner(
        shanghai(2026, 11, 20, 7, 59, 30),
        shanghai(2026, 11, 20, 8, 0, 5),
        notify=notice_sender(db, sending),
        settings_=sending,
    )
    runner.tick()
    assert send_run(db).outcome == "late"
    # 处室群 failed: its channel's later parts wait, 领导群 has its copy
    assert len(robots.leaders.accepted) == 1
    clock.set(2026, 11, 20, 8, 8, 30)  # the wait would pass the grace: the last try at 08:09
    runner.tick()
    run = send_run(db)
    assert run.outcome == "late" and len(robots.group.requests) == 8
    assert run.detail["retry_at"] == shanghai(2026, 11, 20, 8, 9).isoformat()
    clock.set(2026, 11, 20, 8, 9, 5)
    runner.tick()
    run = send_run(db)
    assert run.outcome == "failed" and len(robots.group.requests) == 12
    assert "共发送 3 次仍未成功" in (run.error or "")
    admins = told(robots.admins)
    assert len(admins) == 2 and "每日学习播报发送失败" in admins[1] and "重发" in admins[1]
    clock.set(2026, 11, 20, 8, 9, 40)
    runner.tick()
    assert len(robots.group.requests) == 12 and len(robots.leaders.accepted) == 1
    assert len(told(robots.admins)) == 2


def test_a_retry_the_runner_was_down_for_is_given_up_when_the_grace_is_over(
    db: Database, sending: Settings, robots: Robots, make_runner: MakeRunner
) -> None:
    published(db, sending)
    not_now(robots.group, *range(1, 5))
    runner, clock = make_runner(
        shanghai(2026, 11, 20, 7, 59, 30),
        shanghai(2026, 11, 20, 8, 0, 5),
        notify=notice_sender(db, sending),
        settings_=sending,
    )
    runner.tick()
    assert send_run(db).outcome == "late"
    clock.set(2026, 11, 20, 8, 12)  # down from 08:00 to 08:12: past the 10-minute grace
    runner.tick()
    run = send_run(db)
    assert run.outcome == "failed" and "仍未成功" in (run.error or "")
    assert len(robots.group.requests) == 4 and robots.group.accepted == []
    assert len(told(robots.admins)) == 2


def test_a_refusal_waiting_will_not_cure_is_not_tried_again(
    db: Database, sending: Settings, robots: Robots, make_runner: MakeRunner
) -> None:
    published(db, sending)
    robots.group.fail_nth(1, 200, {"errcode": 93000, "errmsg": "invalid webhook url"})
    runner, clock = make_runner(
        shanghai(2026, 11, 20, 7, 59, 30),
        shanghai(2026, 11, 20, 8, 0, 5),
        notify=notice_sender(db, sending),
        settings_=sending,
    )
    runner.tick()
    run = send_run(db)
    assert run.outcome == "failed" and "93000" in (run.error or "")
    for minute in (2, 5):
        clock.set(2026, 11, 20, 8, minute)
        runner.tick()
    assert len(robots.group.requests) == 1 and len(told(robots.admins)) == 1
