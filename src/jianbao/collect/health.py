"""Source health: is a source working, gone quiet, or failing?

A pure judgement over the figures the store keeps per source (last success, consecutive
failures, items per day recently and usually), so ``jianbao sources health``, the web
dashboard and the scheduler flag the same sources for the same reasons. Reasons are
written for the person who has to fix the source.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Literal

from jianbao.records import Bilingual

HealthStatus = Literal["ok", "new", "empty", "quiet", "failing", "dead"]

#: failures in a row from which a source is flagged as failing
FAILING_AFTER = 3
#: no success for this long (while failing) and the source is taken for dead
DEAD_AFTER = timedelta(days=7)
#: a source publishing less than this share of its usual rate has gone quiet
QUIET_SHARE = 0.2
#: below this usual rate a source is too rare to call quiet
MIN_USUAL_PER_DAY = 0.3


@dataclass
class SourceHealth:
    status: HealthStatus
    reasons: list[Bilingual] = field(default_factory=list)

    @property
    def flagged(self) -> bool:
        return self.status in ("empty", "quiet", "failing", "dead")


def assess_source(
    now: datetime,
    *,
    last_success: datetime | None,
    consecutive_failures: int,
    last_error: str | None = None,
    recent_per_day: float | None = None,
    usual_per_day: float | None = None,
    articles_ever: int | None = None,
    links_ever: int | None = None,
) -> SourceHealth:
    """Judge a source's health from its figures (``*_per_day``: new items per day over a
    recent window and over its usual, longer one; ``articles_ever``: all it ever gave;
    ``links_ever``: the most article links one visit found).

    A source that has never succeeded is flagged at its first failure (a new address
    that does not answer is worth a look at once, not after three cycles), and one that
    is fetched fine but has never found an article link is flagged too: its selector or
    its address is wrong, although nothing fails. (One whose links were all collected
    already through another source, a channel feed repeating the main feed, is fine.)"""
    if consecutive_failures >= FAILING_AFTER:
        since = f"，上次成功于 {last_success:%Y-%m-%d %H:%M}" if last_success else "，从未成功"
        since_en = (
            f", last success {last_success:%Y-%m-%d %H:%M}" if last_success else ", never succeeded"
        )
        error = f"：{last_error}" if last_error else ""
        reason = Bilingual(
            f"连续失败 {consecutive_failures} 次{since}{error}",
            f"failed {consecutive_failures} times in a row{since_en}"
            + (f": {last_error}" if last_error else ""),
        )
        if last_success is None or now - last_success > DEAD_AFTER:
            hint = Bilingual(
                "检查网址是否改版，或暂停该来源",
                "check whether the site was redesigned, or disable the source",
            )
            return SourceHealth("dead", [reason, hint])
        return SourceHealth("failing", [reason])
    if last_success is None:
        if consecutive_failures:
            error = f"：{last_error}" if last_error else ""
            return SourceHealth(
                "failing",
                [
                    Bilingual(
                        f"从未成功抓取，已失败 {consecutive_failures} 次{error}",
                        f"never fetched successfully, {consecutive_failures} failures"
                        + (f": {last_error}" if last_error else ""),
                    ),
                    Bilingual(
                        "试抓该来源，核对地址和类型",
                        "test the source and check its address and kind",
                    ),
                ],
            )
        return SourceHealth("new", [Bilingual("尚未抓取", "not fetched yet")])
    if articles_ever == 0 and not links_ever:
        return SourceHealth(
            "empty",
            [
                Bilingual(
                    "抓取成功，但从未找到文章链接", "fetched fine, but never found an article link"
                ),
                Bilingual(
                    "试抓该来源：列表页检查链接选择器，订阅源检查地址是否为全文列表",
                    "test the source: check a listing's link selector, or the feed's address",
                ),
            ],
        )
    if (
        usual_per_day is not None
        and recent_per_day is not None
        and usual_per_day >= MIN_USUAL_PER_DAY
        and recent_per_day < usual_per_day * QUIET_SHARE
    ):
        return SourceHealth(
            "quiet",
            [
                Bilingual(
                    f"近期每天 {recent_per_day:.1f} 条，通常每天 {usual_per_day:.1f} 条",
                    f"{recent_per_day:.1f} items a day lately, usually {usual_per_day:.1f}",
                ),
                Bilingual(
                    "检查列表页结构或选择器是否失效",
                    "check whether the listing page or its selector changed",
                ),
            ],
        )
    return SourceHealth("ok")
