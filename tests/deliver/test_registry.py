"""Channels from ``[channels.<name>]`` tables: built, or switched off with the reason;
a wrong value stops the configuration with the setting named."""

from __future__ import annotations

from pathlib import Path

import pytest

from jianbao.config import load_settings
from jianbao.deliver.base import Notice
from jianbao.deliver.registry import configured_channels
from jianbao.errors import ConfigError, NotConfigured

TOML = """
data_dir = "{data}"

[channels."处室群"]
kind = "wecom"
url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7aoc-4bc4-97a0-0ec2sifa5aaa"
message_type = "news"

[channels."预警群"]
kind = "dingtalk"
url = "https://oapi.dingtalk.com/robot/send?access_token=0123456789abcdef0123"
secret_env = "JIANBAO_TEST_DINGTALK_SECRET"
keyword = "简报"

[channels."领导邮箱"]
kind = "email"
smtp_host = "smtp.example.cn"
sender = "jianbao@example.cn"
"""


def _settings(tmp_path: Path, text: str, monkeypatch: pytest.MonkeyPatch):
    path = tmp_path / "jianbao.toml"
    path.write_text(text.format(data=tmp_path.as_posix()), encoding="utf-8")
    monkeypatch.setenv("JIANBAO_CONFIG", str(path))
    return load_settings()


def test_each_channel_is_built_or_switched_off_with_its_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("JIANBAO_TEST_DINGTALK_SECRET", raising=False)
    channels = configured_channels(_settings(tmp_path, TOML, monkeypatch))
    wecom = channels["处室群"]
    assert not isinstance(wecom, NotConfigured)
    assert wecom.describe() == (
        "wecom https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****5aaa（消息类型 news）"
    )
    assert (
        wecom.prepare_notice(Notice("测试", "x", "https://a.example.cn/"))[0].body["msgtype"]
        == "news"
    )
    dingtalk = channels["预警群"]
    assert isinstance(dingtalk, NotConfigured) and "JIANBAO_TEST_DINGTALK_SECRET" in str(dingtalk)
    mail = channels["领导邮箱"]
    assert isinstance(mail, NotConfigured) and "channels.领导邮箱.to" in str(mail)

    monkeypatch.setenv("JIANBAO_TEST_DINGTALK_SECRET", "SEC0123456789abcdef")
    dingtalk = configured_channels(_settings(tmp_path, TOML, monkeypatch))["预警群"]
    assert not isinstance(dingtalk, NotConfigured)
    described = dingtalk.describe()
    assert "0123456789abcdef0123" not in described and "SEC0123456789abcdef" not in described
    assert "加签" in described and "关键词 简报" in described


@pytest.mark.parametrize(
    ("table", "named"),
    [
        ('kind = "wecom"\nsmtp_port = "abc"', "channels.坏频道.smtp_port"),
        ('kind = "weixin"', "channels.坏频道.kind"),
        ('kind = "dingtalk"\nmessage_type = "news"', "message_type"),
        ('kind = "email"\nattach = ["exe"]', "channels.坏频道.attach"),
        ('kind = "feishu"\nwebhook = "https://x"', "channels.坏频道.webhook"),
    ],
)
def test_a_wrong_value_names_the_setting(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, table: str, named: str
) -> None:
    text = 'data_dir = "{data}"\n\n[channels."坏频道"]\n' + table + "\n"
    with pytest.raises(ConfigError) as caught:
        _settings(tmp_path, text, monkeypatch)
    assert named in str(caught.value)


def test_the_readme_example_builds_a_channel_of_every_kind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Delivery channels", 1)[1]
    example = section.split("```toml\n", 1)[1].split("```", 1)[0]
    for name in (
        "WECOM_KEY",
        "DINGTALK_SECRET",
        "FEISHU_SECRET",
        "SMTP_PASSWORD",
        "WEBHOOK_SECRET",
    ):
        monkeypatch.setenv(f"JIANBAO_{name}", f"test-{name.lower()}-0123456789")
    settings = _settings(tmp_path, 'data_dir = "{data}"\n' + example, monkeypatch)
    channels = configured_channels(settings)
    assert sorted(ch.kind for ch in channels.values() if not isinstance(ch, NotConfigured)) == [
        "dingtalk",
        "email",
        "feishu",
        "webhook",
        "wecom",
    ]
    listed = "\n".join(ch.describe() for ch in channels.values())  # type: ignore[union-attr]
    assert "0123456789" not in listed


def test_a_wecom_key_from_the_environment_is_not_called_signing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """WeCom robots have no signing: a key kept in secret_env is the robot's key."""
    monkeypatch.setenv("JIANBAO_TEST_WECOM_KEY", "wecom-key-abcdef123456")
    toml = (
        '[channels."处室群"]\nkind = "wecom"\n'
        'url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send"\n'
        'secret_env = "JIANBAO_TEST_WECOM_KEY"\n'
    )
    described = configured_channels(_settings(tmp_path, toml, monkeypatch))["处室群"].describe()
    assert "加签" not in described and "key 来自配置" in described
    assert "abcdef123456" not in described
