"""Feishu custom bot against the loopback fake of the platform (fakes.FakeFeishu)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import pytest

from deliver.fakes import FakeClock, FakeFeishu
from deliver.support import T0, channel, send_all
from jianbao.config import Settings
from jianbao.deliver.base import Notice
from jianbao.deliver.pacing import pacer_for, send_with_retry
from jianbao.records import IssueView

SECRET = "feishu-secret-abcdef"


def bot(settings: Settings, fake: FakeFeishu, clock: FakeClock, **table: object):
    fake.clock = clock
    table = {"kind": "feishu", "url": fake.url, "secret": SECRET, "keyword": "简报", **table}
    ch = channel(settings, "飞书群", **table)
    ch.clock = clock
    return ch


def _post_lines(body: dict) -> list[str]:
    post = body["content"]["post"]["zh_cn"]
    return ["".join(el.get("text", "") for el in line) for line in post["content"]]


@pytest.mark.parametrize("message_type", ["post", "interactive"])
def test_a_long_signed_issue_is_split_within_20_kb_with_the_keyword(
    settings: Settings,
    feishu: FakeFeishu,
    clock: FakeClock,
    view_factory: Callable[..., IssueView],
    message_type: str,
) -> None:
    ch = bot(settings, feishu, clock, message_type=message_type)
    messages = ch.prepare(view_factory("daily", 150, summary_len=120), note="第5条链接已更新")
    assert len(messages) > 1

    async def run() -> list:
        pacer = pacer_for("feishu", clock=clock, sleep=clock.sleep)
        return [await send_with_retry(lambda m=m: ch.send(m), pacer=pacer) for m in messages]

    results = asyncio.run(run())
    assert all(r.ok for r in results), [r.error for r in results]
    assert len(feishu.accepted) == len(messages)
    assert all(len(r.body) <= 20 * 1024 for r in feishu.requests)
    first = feishu.accepted[0]
    assert first["timestamp"] == str(int(T0)) and first["sign"] == feishu.expected_sign(
        str(int(T0))
    )
    if message_type == "post":
        assert _post_lines(first)[0] == "更正：第5条链接已更新"
        assert all("简报" in b["content"]["post"]["zh_cn"]["title"] for b in feishu.accepted)
        links = [
            el["href"]
            for b in feishu.accepted
            for line in b["content"]["post"]["zh_cn"]["content"]
            for el in line
            if el["tag"] == "a"
        ]
        assert len(links) == 150 and links[0] == "https://news.example.cn/a/1.html?x=1&y=2"
    else:
        card = first["card"]
        assert "简报" in card["header"]["title"]["content"]
        assert card["elements"][0]["content"].startswith("**更正：第5条链接已更新**")


def test_more_than_five_a_second_is_refused_and_pacing_keeps_under_it(
    settings: Settings, feishu: FakeFeishu, clock: FakeClock
) -> None:
    ch = bot(settings, feishu, clock)
    notice = ch.prepare_notice(
        Notice("简报提醒", "请审核今日播报", "https://jianbao.example.cn/c/1")
    )[0]
    results = asyncio.run(send_all(ch, [notice] * 6))
    assert [r.ok for r in results] == [True] * 5 + [False]
    assert results[5].retryable and "11232" in results[5].answer
    clock.advance(61)
    feishu.accepted.clear()

    async def run() -> list:
        pacer = pacer_for("feishu", clock=clock, sleep=clock.sleep)
        return [await send_with_retry(lambda: ch.send(notice), pacer=pacer) for _ in range(12)]

    start = clock()
    assert all(r.ok for r in asyncio.run(run()))
    assert len(feishu.accepted) == 12 and clock() - start >= 2  # 5 a second at most


def test_a_stale_or_wrong_signature_is_19021_naming_the_secret_setting(
    settings: Settings, feishu: FakeFeishu, clock: FakeClock
) -> None:
    ch = bot(settings, feishu, clock)
    ch.clock = lambda: T0 - 3601
    notice = ch.prepare_notice(Notice("简报测试", "x"))[0]
    result = asyncio.run(ch.send(notice))
    assert not result.ok and not result.retryable
    assert "19021" in result.error and "channels.飞书群.secret_env" in result.error
    wrong = bot(settings, feishu, clock, secret="another-secret-998877")
    result = asyncio.run(wrong.send(notice))
    assert "19021" in result.error and "another-secret-998877" not in result.error + result.answer


def test_a_missing_keyword_and_a_wrong_hook_are_named(
    settings: Settings, feishu: FakeFeishu, clock: FakeClock
) -> None:
    ch = bot(settings, feishu, clock, keyword="")
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "x"))[0]))
    assert "19024" in result.error and "channels.飞书群.keyword" in result.error
    hook = bot(settings, feishu, clock, url=feishu.url.replace(feishu.token, "not-the-hook-4321"))
    result = asyncio.run(hook.send(hook.prepare_notice(Notice("简报测试", "x"))[0]))
    assert "19001" in result.error and "channels.飞书群.url" in result.error
    assert "not-the-hook-4321" not in result.error + hook.describe()


def test_a_notice_mentions_people_and_links(
    settings: Settings, feishu: FakeFeishu, clock: FakeClock
) -> None:
    ch = bot(settings, feishu, clock, mentions=["ou_123"])
    notice = Notice("简报待审核", "今日播报草稿已生成", "https://jianbao.example.cn/issues/9")
    assert asyncio.run(ch.send(ch.prepare_notice(notice)[0])).ok
    line = feishu.accepted[0]["content"]["post"]["zh_cn"]["content"][0]
    assert {"tag": "a", "text": " 打开", "href": "https://jianbao.example.cn/issues/9"} in line
    assert {"tag": "at", "user_id": "ou_123"} in line
    assert json.dumps(feishu.accepted[0], ensure_ascii=False).count("简报") >= 1


def test_the_gateway_429_is_retried_after_the_wait_it_names(
    settings: Settings, feishu: FakeFeishu, clock: FakeClock
) -> None:
    # the open platform's documented frequency-control answer: HTTP 429, code 99991400,
    # the wait in x-ogw-ratelimit-reset
    feishu.fail_nth(
        1,
        status=429,
        answer={"code": 99991400, "msg": "request trigger frequency limit"},
        headers={"x-ogw-ratelimit-reset": "7"},
    )
    ch = bot(settings, feishu, clock)
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("简报测试", "x"))[0]))
    assert not result.ok and result.retryable and result.retry_after == 7.0
    assert asyncio.run(ch.send(ch.prepare_notice(Notice("简报测试", "x"))[0])).ok
