"""Channel names the schedule will send to are checked at start-up and by the health
check, not at 08:00: a publication's ``channels``, ``admin_channel``, ``alert_channels``
and the duty roster's people, each named with the place that refers to it, the missing
name and the channels configured; a channel switched off because its ``secret_env``
variable is not set is reported with that reason. Real store (both backends), a real
loopback robot for the admins."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from deliver.fakes import FakeWeCom
from jianbao.channel_settings import ChannelConfig
from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.jobs.roster import PersonRow, import_roster
from jianbao.jobs.runner import schedule_problems
from jianbao.jobs.work import notice_sender
from jobs.conftest import MakeRunner, shanghai

UNSET = "JIANBAO_TEST_CHANNEL_CHECK_UNSET_SECRET"


def configured(settings: Settings, tmp_path: Path, admins_url: str, **update: object) -> Settings:
    """The daily names 处室 群 (a typo of 处室群) and 钉钉群, whose signing secret's
    variable is not set; the alerts go to 处室群 (fine); 张三's own channel is missing."""
    path = tmp_path / "publications.toml"
    path.write_text(
        '[publications.daily]\ntitle = "每日学习播报"\nkind = "daily"\n'
        'channels = ["处室 群", "钉钉群"]\nformats = ["md"]\n',
        encoding="utf-8",
    )
    return settings.model_copy(
        update={
            "publications_file": path,
            "channels": {
                "处室群": ChannelConfig(kind="wecom", url=admins_url),
                "钉钉群": ChannelConfig(
                    kind="dingtalk",
                    url="https://oapi.dingtalk.com/robot/send?access_token=abcdef123456",
                    secret_env=UNSET,
                ),
                "管理员群": ChannelConfig(kind="wecom", url=admins_url),
            },
            "admin_channel": "管理员群",
            "alert_channels": ["处室群"],
            **update,
        }
    )


def roster(db: Database) -> None:
    with db.session() as session:
        import_roster(
            session,
            [PersonRow(name="张三", channel="张三"), PersonRow(name="李四")],
            unit="week",
            start=date(2026, 11, 16),
        )


@pytest.fixture(autouse=True)
def unset(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(UNSET, raising=False)


def test_the_health_check_names_each_channel_that_cannot_be_sent_to(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    roster(db)
    settings = configured(
        settings, tmp_path, "http://127.0.0.1:9/cgi-bin/webhook/send?key=k1234567"
    )
    problems = schedule_problems(db, settings, shanghai(2026, 11, 20, 7, 0))
    assert len(problems) == 3, problems
    typo, off, person = problems
    assert "刊物 daily（每日学习播报）的 channels" in typo and "“处室 群”不存在" in typo
    assert "已配置的频道：处室群，钉钉群，管理员群" in typo and "[channels.处室 群]" in typo
    assert "“钉钉群”已停用" in off and UNSET in off
    assert "值班表中 张三 的通知渠道" in person and "“张三”不存在" in person
    # a wrong admin_channel: said too (nobody would be told of the rest)
    wrong = settings.model_copy(update={"admin_channel": "管理员", "alert_channels": ["预警群"]})
    found = schedule_problems(db, wrong, shanghai(2026, 11, 20, 7, 0))
    assert any("admin_channel（管理员通知）指向的频道“管理员”不存在" in p for p in found)
    assert any("alert_channels（预警）指向的频道“预警群”不存在" in p for p in found)
    english = schedule_problems(
        db, wrong.model_copy(update={"language": "en"}), shanghai(2026, 11, 20, 7, 0)
    )
    assert any(
        "The channels of publication daily (每日学习播报) names the channel “处室 群”, which is "
        "not configured (configured channels: 处室群, 钉钉群, 管理员群)" in p
        for p in english
    )
    # every name right and the secret set: nothing to say
    fixed = tmp_path / "fixed.toml"
    fixed.write_text(
        '[publications.daily]\ntitle = "每日学习播报"\nkind = "daily"\n'
        'channels = ["处室群", "钉钉群"]\nformats = ["md"]\n',
        encoding="utf-8",
    )
    channels = {**settings.channels, "张三": settings.channels["处室群"]}
    right = settings.model_copy(update={"publications_file": fixed, "channels": channels})
    with pytest.MonkeyPatch.context() as env:
        env.setenv(UNSET, "SEC0123456789")
        assert schedule_problems(db, right, shanghai(2026, 11, 20, 7, 0)) == []


def test_jianbao_run_says_it_at_start_up_to_the_log_and_the_admins(
    db: Database,
    settings: Settings,
    tmp_path: Path,
    make_runner: MakeRunner,
    caplog: pytest.LogCaptureFixture,
) -> None:
    roster(db)
    with FakeWeCom(key="admins-key-03") as admins:
        settings = configured(settings, tmp_path, admins.url)
        runner, _clock = make_runner(
            shanghai(2026, 11, 20, 6, 59),
            shanghai(2026, 11, 20, 7, 0, 5),
            notify=notice_sender(db, settings),
            settings_=settings,
        )
        runner.stop.set()  # start, say what it finds, stop before the first tick
        with caplog.at_level("ERROR", logger="jianbao.jobs"):
            runner.run(interval=0.01)
        told = [json.dumps(body, ensure_ascii=False) for body in admins.accepted]
    assert len(told) == 1 and "3 处频道名称无法发送" in told[0]
    assert "处室 群" in told[0] and UNSET in told[0] and "张三" in told[0]
    logged = [r.getMessage() for r in caplog.records if r.getMessage().startswith("频道配置：")]
    assert len(logged) == 3 and "“处室 群”不存在" in logged[0]
