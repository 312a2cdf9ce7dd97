"""DingTalk markdown payloads: JSON, titles linked, parts within the limit."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import cast

from jianbao.records import IssueView
from jianbao.render.chat import utf8_len
from jianbao.render.dingtalk import dingtalk_payloads, render_dingtalk_markdown


def test_payload_shape(weekly: IssueView) -> None:
    payloads = json.loads(json.dumps(dingtalk_payloads(weekly), ensure_ascii=False))
    assert len(payloads) == 1
    body = payloads[0]
    assert body["msgtype"] == "markdown"
    # the chat list shows the title: it names the issue with its number (issue 15, item 25)
    assert body["markdown"]["title"] == "全国卫生信息化舆情监测周报（第五四六期）"
    text = body["markdown"]["text"]
    assert text.startswith("#### 全国卫生信息化舆情监测周报（第五四六期）")
    assert f"> {weekly.lead}" in text
    assert "\n\n1. [衡水“1+2+2+6+4”智慧医疗架构建设内容基本完成](https://" in text
    assert "（衡水新闻网）" in text


def test_split_keeps_items_whole(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("daily", 80, summary_len=200)
    parts = render_dingtalk_markdown(view, limit=6000)
    assert len(parts) > 2
    assert all(utf8_len(p) <= 6000 for p in parts)
    numbers = [int(n) for p in parts for n in re.findall(r"^(\d+)\. \[", p, re.M)]
    assert numbers == list(range(1, 81))
    payloads = dingtalk_payloads(view, limit=6000)
    assert [
        cast(dict[str, str], p["markdown"])["title"].endswith(f"（{i}/{len(parts)}）")
        for i, p in enumerate(payloads, 1)
    ] == [True] * len(parts)


def test_a_monthlys_title_carries_its_number(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("monthly", 3)
    view.number_text = "（第十二期）"
    (body,) = dingtalk_payloads(view)
    markdown = cast(dict[str, str], body["markdown"])
    assert markdown["title"] == "舆情监测月报（第十二期）"
    assert markdown["text"].startswith("#### 舆情监测月报（第十二期）\n\n")
