"""The 本期导语, generated from the issue's own data.

Every figure in it (count, period) comes from the issue, and the kind's word (本期周报 /
本期月报) from its kind, so a monthly can never say 本期周报.
"""

from __future__ import annotations

from datetime import date

from jianbao.editions.dates import format_date_cn
from jianbao.records import IssueKind

KIND_WORDS: dict[str, str] = {"weekly": "周报", "monthly": "月报", "daily": "播报"}

_SCOPE_PREFIX = "监测范围包括"


def lead_text(
    kind: IssueKind,
    count: int,
    topic_phrase: str,
    start: date,
    end: date,
    scope: str,
) -> str:
    """本期周报共收集3篇卫生信息化相关信息，时间从2023年10月14日到2023年10月20日，监测范围包括…。"""
    word = KIND_WORDS.get(kind, "简报")
    topic = topic_phrase.strip().removesuffix("相关信息").removesuffix("相关")
    text = (
        f"本期{word}共收集{count}篇{topic}相关信息，"
        f"时间从{format_date_cn(start)}到{format_date_cn(end)}"
    )
    scope = scope.strip().rstrip("。.，,")
    if scope:
        scope = scope.removeprefix(_SCOPE_PREFIX)
        text += f"，{_SCOPE_PREFIX}{scope}"
    return text + "。"
