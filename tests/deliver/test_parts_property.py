"""Whatever the titles and summaries, every message type's parts keep the platform's
limit, and every item appears once, whole and in order (hypothesis)."""

from __future__ import annotations

import json
import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from deliver.support import channel
from jianbao.editions.compose import build_issue_view
from jianbao.records import IssueItemView, IssueView
from jianbao.testing import make_settings

SETTINGS = make_settings(Path(tempfile.gettempdir()))
URL = "https://news.example.cn/a/{}.html"

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=400
).filter(lambda s: s.strip() != "")


def _view(kind: str, titles: list[str], summaries: list[str]) -> IssueView:
    items = [
        IssueItemView(
            position=0,
            title=f"T{i + 1}T{title}",
            url=URL.format(i + 1),
            source="新华网",
            published_at=date(2026, 5, 28),
            summary=summary,
        )
        for i, (title, summary) in enumerate(zip(titles, summaries, strict=False))
    ]
    return build_issue_view(
        kind,  # type: ignore[arg-type]
        publication_title="每日学习播报" if kind == "daily" else "周报",
        issue_date=date(2026, 5, 28),
        number=None if kind == "daily" else 7,
        items=items,
        publisher="信息中心",
        topic_phrase="卫生健康信息化",
        scope="全国",
    )


def _in_order(found: list[int], n: int) -> bool:
    return found == list(range(1, n + 1))


CASES = [
    ("wecom", "markdown", 4096, lambda b: b["markdown"]["content"]),
    ("wecom", "markdown_v2", 4096, lambda b: b["markdown_v2"]["content"]),
    ("wecom", "text", 2048, lambda b: b["text"]["content"]),
    ("dingtalk", "markdown", 20_000, lambda b: json.dumps(b, ensure_ascii=False)),
    ("feishu", "post", 20 * 1024 - 200, lambda b: json.dumps(b, ensure_ascii=False)),
    ("feishu", "interactive", 20 * 1024 - 200, lambda b: json.dumps(b, ensure_ascii=False)),
]


@settings(max_examples=25, deadline=None)
@given(
    kind=st.sampled_from(["daily", "weekly"]),
    titles=st.lists(text, min_size=1, max_size=40),
    summaries=st.lists(text, min_size=40, max_size=40),
    case=st.sampled_from(CASES),
)
def test_parts_keep_the_limit_and_every_item_in_order(
    kind: str, titles: list[str], summaries: list[str], case: tuple
) -> None:
    platform, message_type, limit, payload = case
    url = {"wecom": "https://x.example/s?key=k", "dingtalk": "https://x.example/r?access_token=t"}
    ch = channel(
        SETTINGS,
        kind=platform,
        url=url.get(platform, "https://x.example/open-apis/bot/v2/hook/h"),
        message_type=message_type,
        keyword="简报",
    )
    messages = ch.prepare(_view(kind, titles, summaries), note="第1条更正")
    assert [m.part for m in messages] == list(range(1, len(messages) + 1))
    bodies = [payload(m.body) for m in messages]
    assert all(len(b.encode("utf-8")) <= limit for b in bodies)
    found = [int(n) for b in bodies for n in re.findall(r"T(\d+)T", b)]
    # each item once, in order: never split across parts nor lost (a long title or
    # summary is shortened after the item's marker)
    assert _in_order(found, len(titles))
