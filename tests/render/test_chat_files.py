"""The chat files hold exactly what delivery sends (issue 15, item 24).

``.wecom.jsonl``, ``.dingtalk.jsonl`` and ``.feishu.jsonl`` were JSON arrays of request
bodies, which no webhook takes, and DingTalk's differed from what its channel sent (the
title without the issue number, other blank lines). Each file is now JSON Lines: one
request body per line, the very bytes a channel with default settings POSTs for each
part. Held to it two ways: against the channels' prepare() on issues of every shape, and
against the bytes the loopback fakes of the platforms received from a real send.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from deliver.fakes import FakeDingTalk, FakeFeishu, FakeServer, FakeWeCom
from jianbao.config import Settings
from jianbao.deliver.base import ChannelConfig
from jianbao.deliver.registry import build_channel
from jianbao.records import IssueView
from jianbao.render import render
from jianbao.testing import make_settings

ROBOT_URLS = {
    "wecom": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY",
    "dingtalk": "https://oapi.dingtalk.com/robot/send?access_token=TOKEN",
    "feishu": "https://open.feishu.cn/open-apis/bot/v2/hook/TOKEN",
}

#: issues of every shape: short and long, grouped, a daily whose Feishu posts fill to
#: within delivery's signing room, and one item too long for any message
SHAPES: dict[str, tuple[str, int, dict[str, Any]]] = {
    "weekly": ("weekly", 5, {}),
    "daily": ("daily", 5, {}),
    "monthly-grouped": ("monthly", 80, {"categories": ["国家政策", "卫生健康信息化"]}),
    "daily-near-the-feishu-limit": ("daily", 35, {"summary_len": 120}),
    "daily-many-parts": ("daily", 200, {"summary_len": 200}),
    "daily-huge-item": ("daily", 2, {"summary_len": 20000}),
}


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


def file_lines(view: IssueView, fmt: str, out: Path) -> list[str]:
    text = render(view, fmt, out).read_text(encoding="utf-8")
    assert text.endswith("\n")
    return text.splitlines()


@pytest.mark.parametrize("fmt", sorted(ROBOT_URLS))
@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_each_line_is_the_body_a_default_channel_sends(
    fmt: str,
    shape: str,
    settings: Settings,
    view_factory: Callable[..., IssueView],
    tmp_path: Path,
) -> None:
    kind, n, kw = SHAPES[shape]
    view = view_factory(kind, n, **kw)
    channel = build_channel("群", ChannelConfig(kind=fmt, url=ROBOT_URLS[fmt]), settings)
    sent = [json.dumps(m.body, ensure_ascii=False) for m in channel.prepare(view)]
    lines = file_lines(view, fmt, tmp_path)
    assert lines == sent
    for line in lines:
        assert isinstance(json.loads(line), dict)  # a body, never an array of them


def test_the_files_are_json_lines(weekly: IssueView, tmp_path: Path) -> None:
    for fmt in ROBOT_URLS:
        path = render(weekly, fmt, tmp_path)
        assert path.name == f"weekly-2023-10-20-546.{fmt}.jsonl"


@pytest.fixture
def fakes() -> Iterator[dict[str, FakeServer]]:
    with FakeWeCom() as wecom, FakeDingTalk() as dingtalk, FakeFeishu() as feishu:
        yield {"wecom": wecom, "dingtalk": dingtalk, "feishu": feishu}


def test_the_file_holds_the_bytes_the_platform_receives(
    settings: Settings,
    fakes: dict[str, FakeServer],
    view_factory: Callable[..., IssueView],
    tmp_path: Path,
) -> None:
    # a daily of several parts on every platform, sent for real over loopback
    view = view_factory("daily", 45, summary_len=200)
    for fmt, fake in fakes.items():
        channel = build_channel("群", ChannelConfig(kind=fmt, url=fake.url), settings)
        messages = channel.prepare(view)
        results = [asyncio.run(channel.send(m)) for m in messages]
        assert all(r.ok for r in results), (fmt, [r.error for r in results])
        received = [r.body for r in fake.requests]
        assert len(received) > 1, fmt
        expected = render(view, fmt, tmp_path).read_bytes().splitlines()
        assert received == expected, fmt
