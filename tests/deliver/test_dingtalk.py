"""DingTalk custom robot against the loopback fake of the platform (fakes.FakeDingTalk)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from deliver.fakes import FakeClock, FakeDingTalk
from deliver.support import T0, channel, send_all
from jianbao.config import Settings
from jianbao.deliver.base import Notice
from jianbao.deliver.dingtalk import sign, signed_url
from jianbao.deliver.pacing import pacer_for, send_with_retry
from jianbao.records import IssueView

SECRET = "SECdingtalk-secret-abcdef"


def robot(settings: Settings, fake: FakeDingTalk, clock: FakeClock, **table: object):
    fake.clock = clock
    table = {"kind": "dingtalk", "url": fake.url, "secret": SECRET, "keyword": "简报", **table}
    ch = channel(settings, "钉钉群", **table)
    ch.clock = clock
    return ch


def test_the_signature_goes_url_encoded_in_the_query() -> None:
    # Base64 holds + and /, which must reach the platform encoded (a + would be a space)
    signature = sign(SECRET, 2)
    assert "/" in signature  # this timestamp's signature shows the point
    url = signed_url("https://oapi.dingtalk.com/robot/send?access_token=T", SECRET, 2)
    raw = urlsplit(url).query
    assert raw.split("sign=")[1] == signature.replace("/", "%2F").replace("+", "%2B").replace(
        "=", "%3D"
    )
    query = parse_qs(raw)
    assert query["access_token"] == ["T"] and query["timestamp"] == ["2"]
    assert query["sign"] == [signature]


def test_a_signed_markdown_issue_carries_the_keyword_in_every_part(
    settings: Settings,
    dingtalk: FakeDingTalk,
    clock: FakeClock,
    view_factory: Callable[..., IssueView],
) -> None:
    ch = robot(settings, dingtalk, clock, mentions=["13800001111"])
    messages = ch.prepare(view_factory("weekly", 150, summary_len=100))
    assert len(messages) > 1
    results = asyncio.run(send_all(ch, messages))
    assert all(r.ok for r in results), [r.error for r in results]
    assert len(dingtalk.accepted) == len(messages)
    for k, body in enumerate(dingtalk.accepted, 1):
        md = body["markdown"]
        assert "简报" in md["title"] and "简报" in md["text"].splitlines()[0]
        assert f"（{k}/{len(messages)}）" in md["title"]
    assert dingtalk.accepted[0]["at"]["atMobiles"] == ["13800001111"]
    assert "@13800001111" in dingtalk.accepted[0]["markdown"]["text"]
    assert all(len(r.body) <= 20_000 for r in dingtalk.requests)
    texts = [b["markdown"]["text"] for b in dingtalk.accepted]
    numbers = [int(n) for t in texts for n in re.findall(r"^(\d+)\. \[", t, re.M)]
    assert numbers == list(range(1, 151))
    query = dingtalk.requests[0].query
    assert query["timestamp"] == str(int(T0 * 1000)) and query["sign"] == sign(
        SECRET, int(T0 * 1000)
    )


def test_without_the_keyword_the_robot_refuses_and_the_setting_is_named(
    settings: Settings, dingtalk: FakeDingTalk, clock: FakeClock
) -> None:
    ch = robot(settings, dingtalk, clock, keyword="")
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "这是一条测试消息"))[0]))
    assert not result.ok and not result.retryable
    assert "310000" in result.error and "channels.钉钉群.keyword" in result.error
    assert dingtalk.accepted == []


def test_a_wrong_secret_is_a_signature_error_that_never_shows_the_secret(
    settings: Settings, dingtalk: FakeDingTalk, clock: FakeClock
) -> None:
    wrong = "SECwrong-secret-0011223344"
    ch = robot(settings, dingtalk, clock, secret=wrong)
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("简报测试", "x"))[0]))
    assert not result.ok and not result.retryable
    assert "加签" in result.error and "secret_env" in result.error
    assert wrong not in result.error + result.answer
    assert dingtalk.token not in result.error + result.answer + ch.describe()


def test_a_stale_timestamp_is_refused(
    settings: Settings, dingtalk: FakeDingTalk, clock: FakeClock
) -> None:
    ch = robot(settings, dingtalk, clock)
    ch.clock = lambda: T0 - 2 * 3600  # our clock two hours behind the platform's
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("简报测试", "x"))[0]))
    assert not result.ok and "时间戳" in result.error and "校准本机时间" in result.error
    ch.clock = lambda: T0 - 3000  # within the hour
    assert asyncio.run(ch.send(ch.prepare_notice(Notice("简报测试", "x"))[0])).ok


@pytest.mark.parametrize("message_type", ["actionCard", "feedCard"])
def test_cards_are_accepted_with_linked_items(
    settings: Settings,
    dingtalk: FakeDingTalk,
    clock: FakeClock,
    view_factory: Callable[..., IssueView],
    message_type: str,
) -> None:
    ch = robot(settings, dingtalk, clock, message_type=message_type)
    messages = ch.prepare(view_factory("daily", 12), note="第2条摘要有误")
    results = asyncio.run(send_all(ch, messages))
    assert all(r.ok for r in results), [r.error for r in results]
    if message_type == "actionCard":
        cards = [b["actionCard"] for b in dingtalk.accepted]
        assert [len(c["btns"]) for c in cards] == [5, 5, 2]
        assert cards[0]["btns"][0]["actionURL"] == "https://news.example.cn/a/1.html?x=1&y=2"
        assert "更正：第2条摘要有误" in cards[0]["text"]
    else:
        links = [b["feedCard"]["links"] for b in dingtalk.accepted]
        assert [len(group) for group in links] == [10, 2]
        assert links[0][0]["title"].startswith("【更正：第2条摘要有误｜")
        assert all("简报" in group[0]["title"] for group in links)


def test_over_twenty_a_minute_the_robot_is_blocked_for_ten_minutes(
    settings: Settings, dingtalk: FakeDingTalk, clock: FakeClock
) -> None:
    ch = robot(settings, dingtalk, clock)
    notice = ch.prepare_notice(Notice("简报提醒", "请审核"))[0]
    results = asyncio.run(send_all(ch, [notice] * 21))
    assert all(r.ok for r in results[:20])
    assert results[20].retryable and results[20].retry_after == 600.0
    # said with the time the block ends (T0 + 10 min, Asia/Shanghai)
    assert "暂停该机器人约 10 分钟：约 04:36 后才能再发" in results[20].error
    clock.advance(120)  # a minute later the window has room, but the robot is blocked
    assert asyncio.run(ch.send(notice)).retryable
    clock.advance(600)
    assert asyncio.run(ch.send(notice)).ok


def test_pacing_never_crosses_the_limit(
    settings: Settings, dingtalk: FakeDingTalk, clock: FakeClock
) -> None:
    ch = robot(settings, dingtalk, clock)
    notice = ch.prepare_notice(Notice("简报提醒", "请审核"))[0]
    # ten sends made a moment ago by another process, as the delivery log tells
    pacer = pacer_for("dingtalk", recent=[T0 - 5] * 10, clock=clock, sleep=clock.sleep)
    dingtalk.window.times.extend([T0 - 5] * 10)  # the platform counted them too

    async def run() -> list:
        return [await send_with_retry(lambda: ch.send(notice), pacer=pacer) for _ in range(30)]

    results = asyncio.run(run())
    assert all(r.ok for r in results)
    assert [r.answer["errcode"] for r in dingtalk.requests] == [0] * 30
    assert pacer.waited > 60


@pytest.mark.parametrize(
    ("errmsg", "named"),
    [
        ("ip 203.0.113.9 not in whitelist", "IP 白名单"),
        (
            "description:机器人发送签名不匹配;solution:请确认签名和生成签名的时间戳必须都放在调用的网址中",
            "加签",
        ),
        ("description:关键词不匹配;solution:请联系群管理员查看此机器人的关键词", "keyword"),
    ],
)
def test_each_security_refusal_names_its_setting(
    settings: Settings, dingtalk: FakeDingTalk, clock: FakeClock, errmsg: str, named: str
) -> None:
    dingtalk.fail_nth(1, answer={"errcode": 310000, "errmsg": errmsg})
    ch = robot(settings, dingtalk, clock)
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("简报测试", "x"))[0]))
    assert not result.ok and not result.retryable and named in result.error


def test_an_item_too_long_for_a_card_is_shortened_not_split(
    settings: Settings,
    dingtalk: FakeDingTalk,
    clock: FakeClock,
    view_factory: Callable[..., IssueView],
) -> None:
    ch = robot(settings, dingtalk, clock, message_type="actionCard")
    messages = ch.prepare(view_factory("daily", 3, summary_len=8000))
    results = asyncio.run(send_all(ch, messages))
    assert all(r.ok for r in results), [r.error for r in results]
    assert all(len(r.body) <= 20_000 for r in dingtalk.requests)
