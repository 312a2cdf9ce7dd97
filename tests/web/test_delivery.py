"""The delivery screen: 发送 after a confirmation naming the channels, k/n per channel or
the failure's reason, 重发 of what failed, 复制全文 and the .txt, 预览到我的频道 — over
HTTP against loopback WeCom robots (tests/deliver/fakes.py), on both backends; and the
copy button in Debian's chromium putting the broadcast on the clipboard."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from deliver.fakes import FakeWeCom
from deliver.published import published_daily
from jianbao.config import Settings
from jianbao.db.models import RosterPerson
from jianbao.db.session import Database
from jianbao.deliver.base import ChannelConfig
from jianbao.editions.issue_store import configured_view, get_issue
from jianbao.render.chat import render_chat_text
from jianbao.web.app import create_app
from web.conftest import signed_in

PUBLICATIONS = """
[publications.daily]
title = "每日学习播报"
kind = "daily"
channels = ["处室群", "领导群"]
"""


@pytest.fixture
def robots() -> Iterator[dict[str, FakeWeCom]]:
    with (
        FakeWeCom(key="office-key-0123456789") as office,
        FakeWeCom(key="leaders-key-0123456789") as leaders,
        FakeWeCom(key="my-own-key-0123456789") as mine,
    ):
        yield {"处室群": office, "领导群": leaders, "我的群": mine}


@pytest.fixture
def delivery_settings(
    web_settings: Settings, robots: dict[str, FakeWeCom], tmp_path: Path
) -> Settings:
    publications = tmp_path / "publications.toml"
    publications.write_text(PUBLICATIONS, encoding="utf-8")
    channels = {name: ChannelConfig(kind="wecom", url=fake.url) for name, fake in robots.items()}
    return web_settings.model_copy(update={"channels": channels, "publications_file": publications})


@pytest.fixture
def delivery_app(delivery_settings: Settings, web_db: Database):  # type: ignore[no-untyped-def]
    return create_app(delivery_settings, database=web_db, secret_key="test-secret")


@pytest.fixture
def editor(delivery_app, web_db: Database) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with signed_in(delivery_app, web_db, "editor") as client:
        yield client


def test_sending_asks_a_confirmation_naming_the_channels_then_reports_k_of_n(
    editor: TestClient, web_db: Database, delivery_settings: Settings, robots: dict[str, Any]
) -> None:
    issue_id = published_daily(web_db, delivery_settings, n=3)
    page = editor.get(f"/issues/{issue_id}/delivery")
    assert page.status_code == 200
    assert "确认发送到：处室群、领导群" in page.text
    refused = editor.post(f"/issues/{issue_id}/delivery/send", data={})
    assert refused.status_code == 400 and "勾选确认" in refused.text
    assert robots["处室群"].accepted == []
    sent = editor.post(f"/issues/{issue_id}/delivery/send", data={"confirm": "yes"})
    assert sent.status_code == 200
    report = re.search(r'id="send-report".*?</div>', sent.text, re.S)
    assert report and report.group(0).count("已发送 1/1 部分") == 2
    assert len(robots["处室群"].accepted) == 1 and len(robots["领导群"].accepted) == 1
    again = editor.post(f"/issues/{issue_id}/delivery/send", data={"confirm": "yes"})
    assert again.status_code == 200 and len(robots["处室群"].accepted) == 1  # not twice
    listed = editor.get("/issues")
    assert f"/issues/{issue_id}/delivery" in listed.text


def test_a_failed_channel_shows_why_and_resend_sends_only_what_failed(
    editor: TestClient, web_db: Database, delivery_settings: Settings, robots: dict[str, Any]
) -> None:
    issue_id = published_daily(web_db, delivery_settings, n=3)
    robots["处室群"].fail_nth(1, answer={"errcode": 93000, "errmsg": "invalid webhook url"})
    sent = editor.post(f"/issues/{issue_id}/delivery/send", data={"confirm": "yes"})
    assert "第 1 部分失败" in sent.text and "93000" in sent.text
    assert "office-key-0123456789" not in sent.text  # the robot key never shows
    row = re.search(r'<tr data-channel="处室群">.*?</tr>', sent.text, re.S)
    assert row and "已发送 0/1 部分" in row.group(0) and "重发" in row.group(0)
    resent = editor.post(f"/issues/{issue_id}/delivery/resend", data={"channel": "处室群"})
    assert resent.status_code == 200 and "已发送 1/1 部分" in resent.text
    assert len(robots["处室群"].accepted) == 1 and len(robots["领导群"].accepted) == 1


def test_copy_all_holds_the_plain_broadcast_with_links_on_their_own_lines(
    editor: TestClient, web_db: Database, delivery_settings: Settings
) -> None:
    issue_id = published_daily(web_db, delivery_settings, n=2)
    page = editor.get(f"/issues/{issue_id}/delivery")
    area = re.search(r'<textarea id="chat-text"[^>]*>(.*?)</textarea>', page.text, re.S)
    assert area is not None
    with web_db.session() as s:
        expected = render_chat_text(configured_view(delivery_settings, get_issue(s, issue_id)))
    assert area.group(1) == expected
    assert "\nhttps://news.example/0.html\n" in expected
    assert 'id="copy-all"' in page.text and f"/issues/{issue_id}/export/txt" in page.text
    txt = editor.get(f"/issues/{issue_id}/export/txt")
    assert txt.status_code == 200 and "https://news.example/1.html" in txt.text


def test_a_draft_is_previewed_to_the_editors_own_channel_and_never_sent_to_audiences(
    editor: TestClient, web_db: Database, delivery_settings: Settings, robots: dict[str, Any]
) -> None:
    issue_id = published_daily(web_db, delivery_settings, n=2, publish=False)
    with web_db.session() as s:
        s.add(RosterPerson(name="值班编辑", username="editor", channel="我的群"))
    page = editor.get(f"/issues/{issue_id}/delivery")
    assert "我的频道（我的群）" in page.text and "/delivery/send" not in page.text
    refused = editor.post(f"/issues/{issue_id}/delivery/send", data={"confirm": "yes"})
    assert refused.status_code == 400 and "草稿不能发给受众" in refused.text
    previewed = editor.post(f"/issues/{issue_id}/delivery/preview", data={"channel": ""})
    assert previewed.status_code == 200 and "预览已发送" in previewed.text
    (body,) = robots["我的群"].accepted
    assert "预览" in body["markdown"]["content"]
    assert robots["处室群"].accepted == [] and robots["领导群"].accepted == []


def test_a_reader_sees_the_screen_but_cannot_send(
    delivery_app: Any, web_db: Database, delivery_settings: Settings, robots: dict[str, Any]
) -> None:
    issue_id = published_daily(web_db, delivery_settings, n=1)
    with signed_in(delivery_app, web_db, "reader") as reader:
        page = reader.get(f"/issues/{issue_id}/delivery")
        assert page.status_code == 200 and "/delivery/send" not in page.text
        denied = reader.post(f"/issues/{issue_id}/delivery/send", data={"confirm": "yes"})
        assert denied.status_code == 403
    assert robots["处室群"].accepted == []


def test_copy_all_and_send_in_chromium(
    delivery_settings: Settings,
    web_db: Database,
    passwords: dict[str, str],
    robots: dict[str, Any],
) -> None:
    browser_test = pytest.importorskip("web.test_browser")  # skips without chromium
    sync_api = browser_test.sync_api
    if delivery_settings.resolved_database_url.startswith("postgresql"):
        pytest.skip("the browser runs once, on SQLite")
    issue_id = published_daily(web_db, delivery_settings, n=2)
    app = create_app(delivery_settings, database=web_db, secret_key="browser-test")
    with browser_test.ServerThread(app) as base_url, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(browser_test.CHROMIUM), args=browser_test.ARGS
        )
        context = browser.new_context(base_url=base_url, locale="zh-CN")
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url)
        context.set_default_timeout(8000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto("/login")
        page.fill("input[name=username]", "editor")
        page.fill("input[name=password]", passwords["editor"])
        page.click("button[type=submit].primary")
        page.wait_for_url("**/candidates")
        page.goto(f"/issues/{issue_id}/delivery")
        expected = page.input_value("#chat-text")
        page.click("#copy-all")
        page.wait_for_selector("#copy-status:has-text('已复制')")
        assert page.evaluate("navigator.clipboard.readText()") == expected
        # no Clipboard API (plain http on an intranet address): the older copy command
        page.evaluate("navigator.clipboard.writeText('')")
        fallback = context.new_page()
        fallback.add_init_script(
            "Object.defineProperty(navigator, 'clipboard', {value: undefined})"
        )
        fallback.goto(f"/issues/{issue_id}/delivery")
        fallback.click("#copy-all")
        fallback.wait_for_selector("#copy-status:has-text('已复制')")
        assert page.evaluate("navigator.clipboard.readText()") == expected
        # 发送: the browser's confirmation names the channels; then k/n per channel
        dialogs: list[str] = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.accept()))
        page.check("form.send input[name=confirm]")
        page.click("form.send button.primary")
        page.wait_for_selector("#send-report")
        assert dialogs == ["确认发送到：处室群、领导群？"]
        browser_test.ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(browser_test.ARTIFACTS / "delivery.png"), full_page=True)
        assert page.locator("#send-report li").all_inner_texts() == [
            "处室群： 已发送 1/1 部分",
            "领导群： 已发送 1/1 部分",
        ]
        browser.close()
    assert not errors, errors
    assert len(robots["处室群"].accepted) == 1 and len(robots["领导群"].accepted) == 1
