"""WeCom group robot against the loopback fake of the platform (fakes.FakeWeCom)."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from docx import Document

from deliver.fakes import FakeClock, FakeWeCom
from deliver.support import channel, send_all
from jianbao.config import Settings
from jianbao.deliver.base import Message, Notice
from jianbao.deliver.pacing import pacer_for, send_with_retry
from jianbao.records import IssueView
from jianbao.testing import make_settings


def _items(texts: list[str]) -> list[int]:
    return [int(n) for text in texts for n in re.findall(r"^(\d+)\. ", text, re.M)]


def test_a_small_daily_is_one_markdown_message_with_linked_titles(
    settings: Settings, wecom: FakeWeCom, view_factory: Callable[..., IssueView]
) -> None:
    ch = channel(settings, kind="wecom", url=wecom.url)
    messages = ch.prepare(view_factory("daily", 3))
    assert [(m.part, m.total) for m in messages] == [(1, 1)]
    results = asyncio.run(send_all(ch, messages))
    assert results[0].ok, results[0].error
    [body] = wecom.accepted
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert content.startswith("**2026年5月28日（周四）**\n1. ")
    assert (
        "[第1号：某省推进智慧医院与电子病历建设进展](https://news.example.cn/a/1.html?x=1&y=2)"
        in content
    )


@pytest.mark.parametrize("message_type", ["markdown", "markdown_v2", "text"])
def test_a_long_issue_is_split_in_order_within_the_limit_never_splitting_an_item(
    settings: Settings,
    wecom: FakeWeCom,
    view_factory: Callable[..., IssueView],
    message_type: str,
) -> None:
    wecom.window.count = 1000  # this test is about sizes, not the rate
    ch = channel(settings, kind="wecom", url=wecom.url, message_type=message_type)
    messages = ch.prepare(view_factory("daily", 60, summary_len=120))
    assert len(messages) > 2
    results = asyncio.run(send_all(ch, messages))
    assert all(r.ok for r in results), [r.error for r in results if not r.ok]
    limit = 2048 if message_type == "text" else 4096
    contents = [b[message_type]["content"] for b in wecom.accepted]
    assert all(len(c.encode()) <= limit for c in contents)
    n = len(contents)
    assert [f"（{k}/{n}）" in c.splitlines()[0] for k, c in enumerate(contents, 1)] == [True] * n
    assert _items(contents) == list(range(1, 61))  # each item once, whole, in order
    assert [m.part for m in messages] == list(range(1, n + 1))


def test_the_fake_refuses_content_over_the_limit(settings: Settings, wecom: FakeWeCom) -> None:
    ch = channel(settings, kind="wecom", url=wecom.url)
    too_long = Message("wecom", {"msgtype": "markdown", "markdown": {"content": "字" * 1366}})
    result = asyncio.run(ch.send(too_long))
    assert not result.ok and not result.retryable
    assert "40058" in result.error and "message_type" in result.error
    assert wecom.accepted == []


def test_a_revision_note_heads_the_first_part(
    settings: Settings, wecom: FakeWeCom, view_factory: Callable[..., IssueView]
) -> None:
    ch = channel(settings, kind="wecom", url=wecom.url)
    messages = ch.prepare(view_factory("weekly", 40, summary_len=100), note="第3条来源有误，已改正")
    first = messages[0].body["markdown"]["content"].splitlines()
    assert "更正：第3条来源有误，已改正" in first[1]
    assert all("更正" not in m.body["markdown"]["content"] for m in messages[1:])


def test_text_messages_mention_by_userid_and_mobile_and_put_links_on_their_own_lines(
    settings: Settings, wecom: FakeWeCom, view_factory: Callable[..., IssueView]
) -> None:
    ch = channel(
        settings,
        kind="wecom",
        url=wecom.url,
        message_type="text",
        mentions=["zhangsan", "13800001111"],
    )
    results = asyncio.run(send_all(ch, ch.prepare(view_factory("daily", 2))))
    assert all(r.ok for r in results)
    text = wecom.accepted[0]["text"]
    assert text["mentioned_list"] == ["zhangsan"]
    assert text["mentioned_mobile_list"] == ["13800001111"]
    assert "\nhttps://news.example.cn/a/1.html?x=1&y=2\n" in text["content"]


def test_news_cards_are_eight_at_most_per_message(
    settings: Settings, wecom: FakeWeCom, view_factory: Callable[..., IssueView]
) -> None:
    ch = channel(settings, kind="wecom", url=wecom.url, message_type="news")
    view = view_factory("daily", 20, summary_len=400)
    results = asyncio.run(send_all(ch, ch.prepare(view, note="标题更正")))
    assert all(r.ok for r in results), [r.error for r in results]
    sizes = [len(b["news"]["articles"]) for b in wecom.accepted]
    assert sizes == [8, 8, 4]
    first = wecom.accepted[0]["news"]["articles"][0]
    assert first["description"].startswith("更正：标题更正")
    assert all(
        len(a["description"].encode()) <= 512 for b in wecom.accepted for a in b["news"]["articles"]
    )


def test_news_with_no_linkable_item_goes_as_markdown_not_as_an_empty_card_list(
    settings: Settings, wecom: FakeWeCom, view_factory: Callable[..., IssueView]
) -> None:
    """A news message takes 1–8 articles (delivery.md); an issue whose items have no link
    (a pasted javascript: URL, none at all) was sent with 0 and refused (40058)."""
    ch = channel(settings, kind="wecom", url=wecom.url, message_type="news")
    view = view_factory("daily", 3)
    for item, url in zip(view.items, ["", "javascript:alert(1)", "ftp://x.example/a"], strict=True):
        item.url = url
    messages = ch.prepare(view, note="标题更正")
    results = asyncio.run(send_all(ch, messages))
    assert all(r.ok for r in results), [r.error for r in results]
    [body] = wecom.accepted
    assert body["msgtype"] == "markdown"
    content = body["markdown"]["content"]
    assert "更正：标题更正" in content
    assert all(item.title in content for item in view.items)
    assert "javascript:" not in content and "](" not in content


def test_news_with_some_items_without_a_link_drops_none_of_them(
    settings: Settings, wecom: FakeWeCom, view_factory: Callable[..., IssueView]
) -> None:
    """A card is a link, so an item without one had no card and was left out silently:
    the group read 1, 3, 5. publications.md numbers the items from 1 with no gap, in
    order, and gives the robots markdown with the title as the link: the issue goes as
    markdown, every item in order, linked where it has a link."""
    ch = channel(settings, kind="wecom", url=wecom.url, message_type="news")
    view = view_factory("daily", 5)
    view.items[1].url = ""
    view.items[3].url = "javascript:alert(1)"
    results = asyncio.run(send_all(ch, ch.prepare(view, note="标题更正")))
    assert all(r.ok for r in results), [r.error for r in results]
    contents = [b["markdown"]["content"] for b in wecom.accepted]
    assert [b["msgtype"] for b in wecom.accepted] == ["markdown"] * len(contents)
    assert _items(contents) == [1, 2, 3, 4, 5]
    text = "\n".join(contents)
    assert "更正：标题更正" in text and "javascript:" not in text
    for k, item in enumerate(view.items):
        linked = f"[{item.title}]({item.url})" in text
        assert item.title in text and linked == (k not in (1, 3)), (k, item.title)


def _docx(path: Path) -> Path:
    document = Document()
    document.add_paragraph("全国卫生信息化舆情监测周报（第五四六期）")
    document.save(str(path))
    return path


def test_the_word_file_is_uploaded_then_sent_as_a_file_message(
    settings: Settings,
    wecom: FakeWeCom,
    view_factory: Callable[..., IssueView],
    tmp_path: Path,
) -> None:
    word = _docx(tmp_path / "周报第546期.docx")
    pdf = tmp_path / "周报第546期.pdf"
    pdf.write_bytes(b"%PDF-1.4 fake")
    ch = channel(settings, kind="wecom", url=wecom.url, attach=["docx"])
    messages = ch.prepare(view_factory("weekly", 3), [word, pdf])
    assert [m.body["msgtype"] for m in messages] == ["markdown", "file"]
    assert messages[-1].files == (word,)
    results = asyncio.run(send_all(ch, messages))
    assert all(r.ok for r in results), [r.error for r in results]
    [(media_id, (name, data))] = wecom.uploads.items()
    assert name == "周报第546期.docx" and data == word.read_bytes()
    assert wecom.accepted[-1] == {"msgtype": "file", "file": {"media_id": media_id}}
    assert Document(__import__("io").BytesIO(data)).paragraphs[0].text.startswith("全国")


def test_a_bad_key_names_the_setting_and_never_shows_the_key(
    settings: Settings, wecom: FakeWeCom
) -> None:
    secret_key = "wrong-key-9f8e7d6c5b4a"
    url = wecom.url.replace(wecom.key, secret_key)
    ch = channel(settings, "处室群", kind="wecom", url=url)
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "这是一条测试消息"))[0]))
    assert not result.ok and not result.retryable
    assert "93000" in result.error and "channels.处室群.url" in result.error
    assert secret_key not in result.error + result.answer
    assert secret_key not in ch.describe() and "****5b4a" in ch.describe()


def test_over_twenty_a_minute_the_platform_refuses_and_the_answer_is_retryable(
    settings: Settings, wecom: FakeWeCom
) -> None:
    wecom.clock = FakeClock(1_000.0)
    ch = channel(settings, kind="wecom", url=wecom.url)
    notice = ch.prepare_notice(Notice("提醒", "请审核今日播报"))[0]
    results = asyncio.run(send_all(ch, [notice] * 21))
    assert all(r.ok for r in results[:20])
    assert not results[20].ok and results[20].retryable and results[20].retry_after == 60.0
    assert len(wecom.accepted) == 20


def test_pacing_keeps_under_the_limit_without_real_waiting(
    settings: Settings, wecom: FakeWeCom
) -> None:
    clock = FakeClock(1_000.0)
    wecom.clock = clock
    ch = channel(settings, kind="wecom", url=wecom.url)
    pacer = pacer_for("wecom", clock=clock, sleep=clock.sleep)
    notice = ch.prepare_notice(Notice("提醒", "请审核今日播报"))[0]

    async def run() -> list:
        return [await send_with_retry(lambda: ch.send(notice), pacer=pacer) for _ in range(45)]

    results = asyncio.run(run())
    assert all(r.ok for r in results)
    assert len(wecom.accepted) == 45
    assert all(r.status == 200 and r.answer["errcode"] == 0 for r in wecom.requests)
    assert 120 <= pacer.waited <= 125  # two full windows (and a second of margin each)


def test_a_network_fault_is_retryable_and_a_private_address_is_refused(tmp_path: Path) -> None:
    fake = FakeWeCom().start()
    url = fake.url
    fake.stop()
    ch = channel(make_settings(tmp_path), kind="wecom", url=url)
    result = asyncio.run(ch.send(ch.prepare_notice(Notice("t", "x"))[0]))
    assert not result.ok and result.retryable and "网络错误" in result.error
    guarded = channel(make_settings(tmp_path, ssrf_allowlist=[]), kind="wecom", url=url)
    result = asyncio.run(guarded.send(guarded.prepare_notice(Notice("t", "x"))[0]))
    assert not result.ok and not result.retryable and "ssrf_allowlist" in result.error
    assert fake.key not in result.error


def test_the_key_may_come_from_the_environment(
    settings: Settings, wecom: FakeWeCom, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JIANBAO_TEST_WECOM_KEY", wecom.key)
    url = wecom.url.split("?")[0]
    ch = channel(settings, kind="wecom", url=url, secret_env="JIANBAO_TEST_WECOM_KEY")
    assert asyncio.run(ch.send(ch.prepare_notice(Notice("测试", "x"))[0])).ok
    assert wecom.key not in ch.describe()


def test_an_answer_is_quoted_short_without_control_characters_or_the_key(
    settings: Settings, wecom: FakeWeCom
) -> None:
    noisy = f"key={wecom.key} bad\x00\x1b[31m content " + "x" * 500
    wecom.fail_nth(1, answer={"errcode": 40058, "errmsg": noisy})
    wecom.fail_nth(2, answer="<html>a proxy's login page</html>")
    ch = channel(settings, kind="wecom", url=wecom.url)
    notice = ch.prepare_notice(Notice("测试", "x"))[0]
    first = asyncio.run(ch.send(notice))
    assert not first.ok and not first.retryable
    assert len(first.answer) <= 200 and "\x00" not in first.answer and "\x1b" not in first.answer
    assert wecom.key not in first.answer + first.error
    second = asyncio.run(ch.send(notice))  # HTTP 200 that is not the robot's JSON
    assert not second.ok and "无法识别" in second.error and "channels.test.url" in second.error


def test_a_preview_and_correction_note_keeps_its_own_labels(
    settings: Settings, wecom: FakeWeCom, view_factory: Callable[..., IssueView]
) -> None:
    note = "【预览】这是尚未发布的草稿，仅供核对。\n【更正】周报第 2 版：以本条为准。"
    ch = channel(settings, kind="wecom", url=wecom.url)
    content = ch.prepare(view_factory("weekly", 3), note=note)[0].body["markdown"]["content"]
    lines = content.splitlines()
    assert lines[1] == '> <font color="warning">【预览】这是尚未发布的草稿，仅供核对。</font>'
    assert lines[2] == '> <font color="warning">【更正】周报第 2 版：以本条为准。</font>'
    assert "更正：【" not in content
