"""Helpers of the delivery tests: issue views and channels built as the registry builds
them (the fixtures in conftest.py use these; tests of other areas may import them)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from jianbao.config import Settings
from jianbao.deliver.base import Channel, ChannelConfig, Message, SendResult
from jianbao.deliver.registry import build_channel
from jianbao.editions.compose import build_issue_view
from jianbao.records import IssueItemView, IssueKind, IssueView

T0 = 1_780_000_000.0  # a fixed moment for frozen clocks (2026-05-28)


def make_items(n: int, *, summary_len: int = 40) -> list[IssueItemView]:
    return [
        IssueItemView(
            position=0,
            title=f"第{i + 1}号：某省推进智慧医院与电子病历建设进展",
            url=f"https://news.example.cn/a/{i + 1}.html?x=1&y=2",
            source=["新华网", "人民网", "健康报"][i % 3],
            published_at=date(2026, 5, 20) + timedelta(days=i % 7),
            summary=("摘要内容" * summary_len)[:summary_len] + "。",
            paragraphs=[f"第{i + 1}条正文：数据互联互通。"],
            category=["国家政策", "卫生健康信息化"][i % 2],
        )
        for i in range(n)
    ]


def make_view(
    kind: IssueKind = "daily", n: int = 5, *, categories: bool = False, **kw: Any
) -> IssueView:
    titles = {"weekly": "全国卫生信息化舆情监测周报", "monthly": "舆情监测月报"}
    return build_issue_view(
        kind,
        publication_title=titles.get(kind, "每日学习播报"),
        issue_date=date(2026, 5, 28),
        number=None if kind == "daily" else 546,
        items=make_items(n, **kw),
        publisher="某市卫生健康委信息中心",
        topic_phrase="卫生健康信息化",
        scope="全国",
        categories=["国家政策", "卫生健康信息化"] if categories else None,
    )


def channel(settings: Settings, name: str = "test", **table: Any) -> Any:
    """A channel built as the registry builds it from a ``[channels.<name>]`` table."""
    return build_channel(name, ChannelConfig(**table), settings)


async def send_all(ch: Channel, messages: list[Message]) -> list[SendResult]:
    return [await ch.send(m) for m in messages]
