"""Source health judgements."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from jianbao.collect.health import assess_source
from jianbao.records import SHANGHAI

NOW = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def test_working_source_is_ok() -> None:
    health = assess_source(
        NOW, last_success=NOW, consecutive_failures=0, recent_per_day=5, usual_per_day=6
    )
    assert health.status == "ok" and not health.flagged


def test_never_fetched_is_new() -> None:
    assert assess_source(NOW, last_success=None, consecutive_failures=0).status == "new"


def test_a_source_that_never_succeeded_is_flagged_at_its_first_failure() -> None:
    """Issue 15, item 9: it used to wait for the third failure, called 'new' meanwhile."""
    health = assess_source(NOW, last_success=None, consecutive_failures=1, last_error="HTTP 404")
    assert health.status == "failing" and health.flagged
    assert "从未成功抓取，已失败 1 次：HTTP 404" in health.reasons[0]


def test_a_source_that_never_gave_an_article_is_flagged_not_ok() -> None:
    """Issue 15, item 9: fetched fine every time, never an article, and shown as 正常."""
    health = assess_source(
        NOW,
        last_success=NOW,
        consecutive_failures=0,
        recent_per_day=0,
        usual_per_day=0,
        articles_ever=0,
    )
    assert health.status == "empty" and health.flagged
    assert "从未找到文章链接" in health.reasons[0]
    working = assess_source(NOW, last_success=NOW, consecutive_failures=0, articles_ever=3)
    assert working.status == "ok"
    # a channel feed whose links all came in through the main feed first is not broken
    repeating = assess_source(
        NOW, last_success=NOW, consecutive_failures=0, articles_ever=0, links_ever=6
    )
    assert repeating.status == "ok"


def test_repeated_failures_flag_the_source() -> None:
    health = assess_source(
        NOW, last_success=NOW - timedelta(days=1), consecutive_failures=4, last_error="HTTP 404"
    )
    assert health.status == "failing" and health.flagged
    assert "连续失败 4 次" in health.reasons[0] and "HTTP 404" in health.reasons[0]


def test_long_failure_is_dead() -> None:
    assert (
        assess_source(NOW, last_success=NOW - timedelta(days=30), consecutive_failures=9).status
        == "dead"
    )
    assert assess_source(NOW, last_success=None, consecutive_failures=5).status == "dead"


def test_quiet_source() -> None:
    health = assess_source(
        NOW, last_success=NOW, consecutive_failures=0, recent_per_day=0.2, usual_per_day=4
    )
    assert health.status == "quiet" and health.flagged


def test_rare_source_is_not_called_quiet() -> None:
    health = assess_source(
        NOW, last_success=NOW, consecutive_failures=0, recent_per_day=0, usual_per_day=0.1
    )
    assert health.status == "ok"


def test_every_health_reason_reads_in_english_too() -> None:
    now = datetime(2026, 11, 20, 8, tzinfo=SHANGHAI)
    verdicts = [
        assess_source(now, last_success=None, consecutive_failures=5, last_error="HTTP 404"),
        assess_source(now, last_success=None, consecutive_failures=0),
        assess_source(now, last_success=None, consecutive_failures=1),
        assess_source(now, last_success=now, consecutive_failures=0, articles_ever=0),
        assess_source(
            now,
            last_success=now - timedelta(hours=1),
            consecutive_failures=0,
            recent_per_day=0.1,
            usual_per_day=5.0,
        ),
    ]
    reasons = [reason for verdict in verdicts for reason in verdict.reasons]
    assert len(reasons) >= 5
    for reason in reasons:
        assert reason.text("zh") == str(reason) and re.search(r"[\u4e00-\u9fff]", reason)
        assert reason.en and not re.search(r"[\u4e00-\u9fff]", reason.en), reason.en
    assert "failed 5 times in a row, never succeeded: HTTP 404" in [r.en for r in reasons]
