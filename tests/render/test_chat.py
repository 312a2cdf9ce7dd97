"""Chat payloads: plain WeChat text and WeCom markdown split within 4,096 bytes."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from jianbao.records import IssueView
from jianbao.render.chat import (
    WECOM_MARKDOWN_LIMIT,
    render_chat_text,
    render_wecom_markdown,
    split_parts,
    truncate_bytes,
    utf8_len,
)


def test_plain_daily_puts_links_on_their_own_line(daily: IssueView) -> None:
    lines = render_chat_text(daily).splitlines()
    assert lines[0] == "2020年7月16日（周四）今日入伏"
    for item in daily.items:
        at = lines.index(f"{item.position}. {item.title}")
        assert lines[at + 1] == item.url
        assert lines[at + 2] == item.summary
    assert "](" not in "\n".join(lines)


def test_plain_weekly_is_the_whole_report(weekly: IssueView) -> None:
    text = render_chat_text(weekly)
    lines = text.splitlines()
    assert lines[:4] == [
        weekly.publication_title,
        "（第五四六期）",
        weekly.publisher,
        "2023年10月20日",
    ]
    toc = lines[lines.index("一、信息目录") + 1 : lines.index("二、具体内容") - 1]
    assert toc == [f"{i.position}. {i.title}（{i.source}）" for i in weekly.items]
    assert [line for line in lines if line.startswith("链接：")] == [
        f"链接：{i.url}" for i in weekly.items
    ]


def test_wecom_small_issue_is_one_message(daily: IssueView) -> None:
    parts = render_wecom_markdown(daily)
    assert len(parts) == 1
    assert parts[0].startswith("**2020年7月16日（周四）今日入伏**\n")
    assert "（1/1）" not in parts[0]
    assert (
        "1. [衡水“1+2+2+6+4”智慧医疗架构建设内容基本完成](https://news.example.cn/a/1.html"
        in (parts[0])
    )
    # brackets in a title cannot close the link early
    assert "【链接】" in parts[0]


def _items_in(parts: list[str]) -> list[int]:
    return [int(n) for part in parts for n in re.findall(r"^(\d+)\. \[", part, re.M)]


@pytest.mark.parametrize("kind", ["daily", "weekly"])
def test_wecom_long_issue_splits_without_breaking_items(
    kind: str, view_factory: Callable[..., IssueView]
) -> None:
    view = view_factory(kind, 60, summary_len=150)
    parts = render_wecom_markdown(view)
    assert len(parts) > 1
    for index, part in enumerate(parts, 1):
        assert utf8_len(part) <= WECOM_MARKDOWN_LIMIT
        assert part.splitlines()[0].endswith(f"（{index}/{len(parts)}）**") or (
            f"（{index}/{len(parts)}）" in part.splitlines()[0]
        )
    assert _items_in(parts) == list(range(1, 61))
    if kind == "daily":
        for part in parts:
            for line in part.splitlines()[1:]:
                if re.match(r"^\d+\. ", line):
                    assert line.endswith("。")  # the summary is whole


def test_an_item_too_big_alone_is_shortened_not_split(
    view_factory: Callable[..., IssueView],
) -> None:
    view = view_factory("daily", 2, summary_len=3000)
    parts = render_wecom_markdown(view)
    assert len(parts) == 2
    assert all(utf8_len(p) <= WECOM_MARKDOWN_LIMIT for p in parts)
    assert all(p.endswith("…") for p in parts)


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(min_size=1, max_size=300), max_size=40), st.integers(200, 2000))
def test_split_parts_keeps_every_block_within_the_limit(blocks: list[str], limit: int) -> None:
    parts = split_parts(lambda i, n: f"H（{i}/{n}）", blocks, limit)
    assert all(utf8_len(p) <= limit for p in parts)
    assert len(parts) >= 1


def test_truncate_bytes_respects_characters() -> None:
    assert truncate_bytes("汉字汉字", 7) == "汉…"
    assert truncate_bytes("short", 100) == "short"
