"""The alert as a notice: it names the story, its outlets, why it fired, and links to it."""

from __future__ import annotations

from jianbao.alerts.levels import label
from jianbao.db.models import Alert
from jianbao.deliver.base import Notice

#: outlets named in the message; the rest are counted
OUTLETS_SHOWN = 6


def alert_notice(alert: Alert, *, story_url: str, article_url: str) -> Notice:
    """【橙色预警】headline; then outlets, reasons, the original's address; the link opens
    the alert in the workstation."""
    outlets = alert.outlets[:OUTLETS_SHOWN]
    more = len(alert.outlets) - len(outlets)
    lines = [
        f"来源：{'、'.join(outlets)}" + (f" 等 {len(alert.outlets)} 家" if more > 0 else ""),
        "原因：" + "；".join(alert.reasons),
        f"原文：{article_url}",
    ]
    return Notice(
        title=f"【{label(alert.level)}】{alert.title}", text="\n".join(lines), url=story_url
    )
