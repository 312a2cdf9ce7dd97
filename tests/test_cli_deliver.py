"""The delivery commands against a loopback WeCom robot (tests/deliver/fakes.py): channels
list and test, issue send with its report, the log — and a send killed with SIGKILL
mid-way, run again, delivering every part exactly once (counted at the robot)."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from deliver.fakes import FakeWeCom
from deliver.published import published_daily
from jianbao.cli import app
from jianbao.db.models import Delivery, utcnow
from jianbao.db.session import Database
from jianbao.deliver.log import IN_FLIGHT
from jianbao.errors import JianbaoError
from jianbao.testing import make_settings

PART = re.compile(r"（(\d+)/(\d+)）")


@pytest.fixture
def robot() -> Iterator[FakeWeCom]:
    with FakeWeCom(key="office-robot-key-0123456789") as fake:
        yield fake


def channels_env(robot: FakeWeCom) -> str:
    return json.dumps(
        {
            "处室群": {"kind": "wecom", "url": robot.url},
            "领导群": {"kind": "wecom", "url": robot.url, "message_type": "text"},
            "领导邮箱": {"kind": "email", "smtp_host": "127.0.0.1", "password_env": "NO_SUCH"},
        },
        ensure_ascii=False,
    )


@pytest.fixture
def env(
    tmp_path: Path, database_url: str, robot: FakeWeCom, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    values = {
        "JIANBAO_DATA_DIR": str(tmp_path / "data"),
        "JIANBAO_DATABASE_URL": database_url,
        "JIANBAO_SSRF_ALLOWLIST": '["127.0.0.1/32"]',
        "JIANBAO_CHANNELS": channels_env(robot),
    }
    monkeypatch.chdir(tmp_path)
    for key, value in values.items():
        monkeypatch.setenv(key, value)
    return values


def issue(tmp_path: Path, database_url: str, n: int, *, publish: bool = True) -> int:
    settings = make_settings(tmp_path / "data", database_url=database_url)
    db = Database.from_settings(settings)
    try:
        return published_daily(db, settings, n=n, publish=publish)
    finally:
        db.close()


def invoke(*args: str) -> tuple[int, str]:
    """Exit code and output; jianbao's errors as ``jianbao.cli.main`` prints them."""
    result = CliRunner().invoke(app, list(args))
    if isinstance(result.exception, JianbaoError):
        return 1, result.output + str(result.exception)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


def test_channels_list_masks_the_key_and_says_why_a_channel_is_off(
    env: dict[str, str], robot: FakeWeCom
) -> None:
    code, out = invoke("channels", "list")
    assert code == 0
    assert "处室群" in out and "****6789" in out and robot.key not in out
    assert "领导邮箱" in out and "停用" in out


def test_channels_test_sends_a_short_test_message(env: dict[str, str], robot: FakeWeCom) -> None:
    code, out = invoke("channels", "test", "处室群")
    assert code == 0 and "已发送测试消息" in out
    (body,) = robot.accepted
    assert "测试" in json.dumps(body, ensure_ascii=False)
    code, out = invoke("deliveries")
    assert code == 0 and "通知" in out and "已发送" in out


def test_issue_send_reports_each_channel_and_sends_nothing_twice(
    env: dict[str, str], robot: FakeWeCom, tmp_path: Path, database_url: str
) -> None:
    issue_id = issue(tmp_path, database_url, 3)
    code, out = invoke(
        "issue", "send", str(issue_id), "--channel", "处室群", "--channel", "领导邮箱"
    )
    assert code == 1  # the mailbox is off: said, not hidden
    assert "处室群：已发送 1/1 部分" in out
    assert "领导邮箱：未发送" in out and "channels.领导邮箱.sender" in out
    code, out = invoke("issue", "send", str(issue_id), "--channel", "处室群")
    assert code == 0 and "此前已发送" in out
    assert len(robot.accepted) == 1
    code, out = invoke("deliveries", str(issue_id))
    assert code == 0 and "处室群" in out and "1/1" in out


def test_a_draft_goes_only_as_a_preview(
    env: dict[str, str], robot: FakeWeCom, tmp_path: Path, database_url: str
) -> None:
    issue_id = issue(tmp_path, database_url, 2, publish=False)
    code, out = invoke("issue", "send", str(issue_id), "--channel", "处室群")
    assert code == 1 and "草稿不能发给受众" in out and robot.accepted == []
    code, out = invoke("issue", "send", str(issue_id), "--preview", "处室群")
    assert code == 0 and "预览" in out
    assert "预览" in robot.accepted[0]["markdown"]["content"]


def part_states(database_url: str) -> list[tuple[int, int, str]]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            rows = conn.execute(sa.text("select part, total, state from deliveries order by part"))
            return [(int(p), int(t), str(s)) for p, t, s in rows]
    finally:
        engine.dispose()


def wait_for(condition, what: str, timeout: float = 30.0) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


def test_a_send_killed_mid_way_and_run_again_delivers_every_part_exactly_once(
    env: dict[str, str], robot: FakeWeCom, tmp_path: Path, database_url: str
) -> None:
    issue_id = issue(tmp_path, database_url, 40)
    robot.delay_nth(3, 3.0)  # the robot holds its answer to part 3
    command = [sys.executable, "-m", "jianbao", "issue", "send", str(issue_id)]
    command += ["--channel", "处室群"]
    child_env = {**os.environ, **env}
    proc = subprocess.Popen(command, env=child_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        # part 3 claimed and its request held at the robot (parts 1 and 2 answered)
        wait_for(lambda: len(robot.requests) == 2 and (3, "sending") in _parts(database_url), "3")
        time.sleep(0.5)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
    finally:
        if proc.poll() is None:
            proc.kill()
    states = part_states(database_url)
    total = states[0][1]
    assert total >= 4, "the issue should come in several parts"
    assert [s for _, _, s in states[:3]] == ["sent", "sent", "sending"]
    assert all(s == "pending" for _, _, s in states[3:])
    wait_for(lambda: len(robot.requests) == 3, "the held request")  # the robot posts it
    # run again at once: part 3 may still be in another process's hands, so it and the
    # later parts are left alone — never sent ahead of it (review finding 1)
    early = subprocess.run(command, env=child_env, capture_output=True, text=True, timeout=60)
    assert early.returncode == 1, early.stderr
    assert "第 3 部分正由另一进程发送" in early.stdout and len(robot.requests) == 3
    age_sending_parts(database_url)  # five minutes on, nobody is sending it any more
    again = subprocess.run(command, env=child_env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 1, again.stderr  # one part unconfirmed: said so
    assert (
        f"已发送 {total - 1}/{total}" in again.stdout and "第 3 部分发出后未得到平台确认" in again.stdout
    )
    # each part at the robot exactly once: (k/n) read from each accepted message's title
    found = [PART.search(body["markdown"]["content"]) for body in robot.accepted]
    parts = sorted(int(m.group(1)) for m in found if m and int(m.group(2)) == total)
    assert parts == list(range(1, total + 1)) and len(robot.accepted) == total
    assert [s for _, _, s in part_states(database_url)].count("sent") == total - 1


def age_sending_parts(database_url: str) -> None:
    """Move the last attempt of parts left ``sending`` past ``log.IN_FLIGHT``, as time
    passing after the killed run would."""
    engine = sa.create_engine(database_url)
    try:
        with Session(engine) as session, session.begin():
            session.execute(
                sa.update(Delivery)
                .where(Delivery.state == "sending")
                .values(attempted_at=utcnow() - IN_FLIGHT - timedelta(seconds=1))
                .execution_options(synchronize_session=False)
            )
    finally:
        engine.dispose()


def _parts(database_url: str) -> list[tuple[int, str]]:
    return [(p, s) for p, _, s in part_states(database_url)]
