"""Issues 17 and 18 in chromium: the candidates screen follows the chosen draft's scope
(the daily lists 卫生健康与数字经济政策 beside the relevant articles, the weekly does
not), and the 预警 page — open, acknowledged and dismissed lists, acknowledging with a
note, dismissing, the rule editor's 30-day dry run and saving a rule.

A server of its own over a copy of the demo store, with a national-policy article and
two incident reports collected into it (judged as collection judges them: the alert
pass fires on them as `jianbao run` would). Screenshots go to test-artifacts/web/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest

from jianbao.alerts.job import check_alerts
from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.judge.scope import POLICY_SCOPE
from jianbao.records import SHANGHAI
from jianbao.testing import make_settings
from jianbao.web.app import create_app
from web.judged_articles import INCIDENTS, POLICY, store_article

browser_test = pytest.importorskip("web.test_browser")  # skips without chromium
sync_api = browser_test.sync_api
expect = browser_test.expect
DEMO_DAY = browser_test.DEMO_DAY


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, demo_db_file: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser-judging")
    shutil.copyfile(demo_db_file, folder / "jianbao.db")
    settings = make_settings(folder, database_url=f"sqlite:///{folder / 'jianbao.db'}")
    db = Database.from_settings(settings)
    noon = datetime.combine(DEMO_DAY, time(12), SHANGHAI)
    store_article(db, 1, *POLICY, noon)
    now = datetime.now(UTC)
    for n, (title, paragraphs) in enumerate(INCIDENTS, start=2):
        store_article(db, n, title, paragraphs, now - timedelta(hours=1))
    check_alerts(db, settings, now, send=lambda _channel, _notice: None)
    with browser_test.ServerThread(
        create_app(settings, database=db, secret_key="browser-judging")
    ) as url:
        yield url
    db.close()


@pytest.fixture(scope="module")
def page(base_url: str, passwords: dict[str, str]) -> Iterator[Any]:
    browser_test.ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with browser_test.chromium_page(
        base_url,
        sign_in_as=("editor", passwords["editor"]),
        viewport={"width": 1366, "height": 900},
    ) as page:
        yield page


def new_draft(page: Any, kind: str) -> str:
    page.goto("/issues")
    page.select_option("select[name=kind]", kind)
    page.fill("input[name=issue_date]", DEMO_DAY.isoformat())
    page.click("form.new-issue button.primary")
    page.wait_for_url("**/issues/*")
    return str(page.url.rstrip("/").rsplit("/", 1)[1])


def test_the_daily_lists_its_scope_and_the_weekly_does_not(page: Any) -> None:
    daily = new_draft(page, "daily")
    weekly = new_draft(page, "weekly")
    start = (DEMO_DAY - timedelta(days=6)).isoformat()
    page.goto(f"/candidates?start={start}&end={DEMO_DAY.isoformat()}&issue={daily}")
    policy_row = page.locator(".cand", has_text=POLICY[0])
    expect(policy_row).to_have_count(1)
    expect(policy_row.locator(".scope")).to_have_text(POLICY_SCOPE)
    expect(page.locator("#cand-list .scopes")).to_contain_text("卫生健康信息化")
    expect(page.locator("#cand-list .scopes")).to_contain_text(POLICY_SCOPE)
    # the relevant articles are listed beside it, without the scope's mark
    relevant_rows = page.locator(".cand:not(:has(.scope))")
    assert relevant_rows.count() >= 4
    browser_test.shot(page, "20-candidates-daily-scope", full=False)

    # choosing the weekly in 加入 and filtering again (htmx) leaves relevance alone
    page.select_option("select[name=issue]", weekly)
    page.click("form.filters button[type=submit]")
    expect(page.locator("#cand-list")).to_have_attribute("data-issue", weekly)
    expect(page.locator(".cand", has_text=POLICY[0])).to_have_count(0)
    expect(page.locator("#cand-list .scopes")).not_to_contain_text(POLICY_SCOPE)
    assert page.locator(".cand").count() == relevant_rows.count()

    # and back to the daily: the policy article is there again
    page.select_option("select[name=issue]", daily)
    page.click("form.filters button[type=submit]")
    expect(page.locator(".cand", has_text=POLICY[0])).to_have_count(1)


def test_alerts_are_acknowledged_with_a_note_and_dismissed(page: Any) -> None:
    page.goto("/alerts")
    first, second = (page.locator("#alerts-list tr", has_text=title) for title, _p in INCIDENTS)
    expect(first).to_have_count(1)
    expect(second).to_have_count(1)
    expect(first.locator(".level")).not_to_have_text("")
    # found by this test: the three lists' tabs ran together as one unstyled link text,
    # with nothing to say which list is shown
    tabs = page.locator("nav.tabs a")
    boxes = [tabs.nth(n).bounding_box() for n in range(3)]
    assert all(b["x"] + b["width"] < c["x"] for b, c in pairwise(boxes)), boxes
    active = page.locator("nav.tabs a.active")
    expect(active).to_have_text("待处理")
    colour = "el => getComputedStyle(el).backgroundColor"
    assert active.evaluate(colour) != tabs.nth(1).evaluate(colour)
    # and the built-in rules showed no threshold beside them
    threshold = Settings.model_fields["alert_risk_threshold"].default  # the server's
    expect(page.locator("#rules tr", has_text="风险事件").locator(".threshold")).to_have_text(
        f"事件风险 ≥ {threshold:.2f}"
    )
    expect(page.locator("#rules tr", has_text="传播激增").locator(".threshold")).to_contain_text(
        "小时内"
    )
    browser_test.shot(page, "21-alerts-open", full=False)

    first.locator("input[name=note]").fill("已电话通知市卫健委信息中心")
    first.locator("button[value=acknowledged]").click()
    expect(page.locator("#alerts-list tr", has_text=INCIDENTS[0][0])).to_have_count(0)
    expect(page.locator("#alerts-list tr", has_text=INCIDENTS[1][0])).to_have_count(1)

    page.locator("#alerts-list tr", has_text=INCIDENTS[1][0]).locator(
        "button[value=dismissed]"
    ).click()
    expect(page.locator("#alerts-list tr", has_text=INCIDENTS[1][0])).to_have_count(0)

    page.click("nav.tabs a[href='/alerts?state=acknowledged']")
    handled = page.locator("#alerts-list tr", has_text=INCIDENTS[0][0])
    expect(handled).to_contain_text("editor")
    expect(handled).to_contain_text("已电话通知市卫健委信息中心")
    expect(handled.locator("form")).to_have_count(0)

    page.click("nav.tabs a[href='/alerts?state=dismissed']")
    dismissed = page.locator("#alerts-list tr", has_text=INCIDENTS[1][0])
    expect(dismissed).to_contain_text("已排除：editor")
    browser_test.shot(page, "22-alerts-dismissed", full=False)


def test_the_rule_editor_dry_runs_then_saves(page: Any) -> None:
    page.goto("/alerts")
    editor = page.locator("#rule-editor")
    editor.locator("input[name=name]").fill("卫健委勒索")
    editor.locator("select[name=kind]").select_option("keyword")
    editor.locator("select[name=level]").select_option("orange")
    editor.locator("input[name=expression]").fill("卫健委 AND 勒索")
    editor.locator("button[formaction='/alerts/dry-run']").click()
    result = page.locator("#dry-run")
    expect(result).to_contain_text("过去 30 天会触发 1 次")
    expect(result).to_contain_text(INCIDENTS[0][0])
    expect(result).not_to_contain_text(INCIDENTS[1][0])
    # the dry run keeps what was typed, and nothing is saved yet
    expect(editor.locator("input[name=expression]")).to_have_value("卫健委 AND 勒索")
    expect(page.locator("#rules tbody tr", has_text="卫健委勒索")).to_have_count(0)
    browser_test.shot(page, "23-alerts-dry-run", full=False)

    editor.locator("button.primary").click()
    page.wait_for_url("**/alerts*")
    saved = page.locator("#rules tbody tr", has_text="卫健委勒索")
    expect(saved).to_have_count(1)
    expect(saved).to_contain_text("卫健委 AND 勒索")
