"""The generic webhook against a receiver that checks the documented signature."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from deliver.fakes import FakeClock, FakeWebhook
from deliver.support import T0, channel
from jianbao.config import Settings
from jianbao.deliver.base import Notice
from jianbao.deliver.webhook import signature, verify
from jianbao.records import IssueView
from jianbao.testing import make_settings

SECRET = "webhook-secret-abcdef"


def hook(settings: Settings, fake: FakeWebhook, clock: FakeClock, **table: object):
    fake.clock = clock
    table = {"kind": "webhook", "url": fake.url, "secret": SECRET, **table}
    ch = channel(settings, "归档系统", **table)
    ch.clock = clock
    return ch


def test_the_issue_arrives_as_signed_json(
    settings: Settings,
    webhook: FakeWebhook,
    clock: FakeClock,
    view_factory: Callable[..., IssueView],
) -> None:
    ch = hook(settings, webhook, clock)
    [message] = ch.prepare(view_factory("weekly", 3), note="更正：第1条日期")
    result = asyncio.run(ch.send(message))
    assert result.ok, result.error
    [body] = webhook.accepted
    assert body["event"] == "issue" and (body["part"], body["total"]) == (1, 1)
    assert body["note"] == "更正：第1条日期"
    assert body["issue"]["number"] == 546 and body["issue"]["issue_date"] == "2026-05-28"
    assert [i["position"] for i in body["issue"]["items"]] == [1, 2, 3]
    request = webhook.requests[0]
    assert request.headers["X-Jianbao-Timestamp"] == str(int(T0))
    assert verify(
        SECRET, str(int(T0)), request.body, request.headers["X-Jianbao-Signature"], now=T0 + 10
    )
    assert not verify(
        SECRET, str(int(T0)), request.body + b" ", request.headers["X-Jianbao-Signature"], T0
    )
    assert not verify(
        SECRET, str(int(T0)), request.body, signature(SECRET, int(T0), request.body), T0 + 301
    )


def test_a_wrong_secret_or_a_stale_timestamp_is_refused_by_the_receiver(
    settings: Settings, webhook: FakeWebhook, clock: FakeClock
) -> None:
    wrong = hook(settings, webhook, clock, secret="other-secret-55667788")
    notice = wrong.prepare_notice(Notice("测试", "这是一条测试消息"))[0]
    result = asyncio.run(wrong.send(notice))
    assert not result.ok and not result.retryable and "HTTP 401" in result.error
    assert "channels.归档系统.secret_env" in result.error
    assert "other-secret-55667788" not in result.error + result.answer
    stale = hook(settings, webhook, clock)
    stale.clock = lambda: T0 - 600
    assert not asyncio.run(stale.send(notice)).ok
    assert webhook.accepted == []


def test_an_unavailable_receiver_is_retried_later(
    settings: Settings, webhook: FakeWebhook, clock: FakeClock
) -> None:
    ch = hook(settings, webhook, clock)
    webhook.fail_nth(1)
    notice = ch.prepare_notice(Notice("测试", "x"))[0]
    first = asyncio.run(ch.send(notice))
    assert not first.ok and first.retryable and "503" in first.error
    assert asyncio.run(ch.send(notice)).ok
    assert webhook.accepted[0]["event"] == "notice"


def test_a_robot_address_spelled_in_fullwidth_digits_is_refused_and_never_reached(
    tmp_path: Path, webhook: FakeWebhook, clock: FakeClock
) -> None:
    """Issue 14: the delivery client reads hosts as aiohttp connects to them."""
    guarded = make_settings(tmp_path, ssrf_allowlist=[])
    spelled = webhook.url.replace("127.0.0.1", "１２７。０。０。１")
    ch = hook(guarded, webhook, clock, url=spelled)
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "内网"))[0]))
    assert not result.ok and not result.retryable
    assert "内网" in result.error or "127.0.0.1" in result.error
    assert webhook.requests == []
