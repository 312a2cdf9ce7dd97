"""The composer and the candidates in Debian's chromium (issue 15, items 2 and 6): saving
one item keeps the unsaved edits typed in another, leaving with unsaved edits asks first,
and switching the language keeps the filters htmx put in the address."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from jianbao.db.session import Database
from jianbao.editions.issue_store import new_issue
from jianbao.testing import make_settings
from jianbao.web.app import create_app

browser_test = pytest.importorskip("web.test_browser")  # skips without chromium


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, demo_db_file: Path) -> Iterator[tuple[str, int]]:
    folder = tmp_path_factory.mktemp("browser-week")
    shutil.copyfile(demo_db_file, folder / "jianbao.db")
    settings = make_settings(folder, database_url=f"sqlite:///{folder / 'jianbao.db'}")
    db = Database.from_settings(settings)
    with db.session() as s:
        issue_id = new_issue(s, settings, "weekly", date(2026, 11, 20), fill=3).id
    app = create_app(settings, database=db, secret_key="browser-week")
    with browser_test.ServerThread(app) as url:
        yield url, issue_id
    db.close()


@pytest.fixture(scope="module")
def page(site: tuple[str, int], passwords: dict[str, str]) -> Iterator[Any]:
    editor = ("editor", passwords["editor"])
    with browser_test.chromium_page(site[0], sign_in_as=editor, accept_dialogs=False) as page:
        yield page


def test_saving_one_item_keeps_the_others_unsaved_edits(page: Any, site: tuple[str, int]) -> None:
    expect = browser_test.expect
    issue_id = site[1]
    page.goto(f"/issues/{issue_id}")
    items = page.locator("#items .item")
    first_title = items.nth(0).locator("input[name=title]").input_value()
    items.nth(1).locator("input[name=title]").fill("第二条未保存的改动")
    expect(items.nth(1).locator(".unsaved-mark")).to_be_visible()
    items.nth(0).locator("input[name=title]").fill(first_title + "（已保存）")
    items.nth(0).locator("button[type=submit]").click()
    items = page.locator("#items .item")
    expect(items.nth(0).locator("input[name=title]")).to_have_value(first_title + "（已保存）")
    # the other item's typing survived the redraw and is still marked unsaved
    expect(items.nth(1).locator("input[name=title]")).to_have_value("第二条未保存的改动")
    expect(items.nth(1).locator(".unsaved-mark")).to_be_visible()
    expect(items.nth(0).locator(".unsaved-mark")).to_be_hidden()
    # leaving now asks first
    asked: list[str] = []

    def answer(dialog: Any) -> None:
        asked.append(dialog.type)
        dialog.dismiss()

    page.on("dialog", answer)
    page.locator("nav a[href='/candidates']").click()
    page.wait_for_timeout(300)
    page.remove_listener("dialog", answer)
    assert asked == ["beforeunload"]
    assert f"/issues/{issue_id}" in page.url


def test_switching_the_language_keeps_the_filters(page: Any) -> None:
    expect = browser_test.expect
    page.goto("/candidates?start=2026-11-14&end=2026-11-20")
    page.fill("form.filters input[name=q]", "互联网医院")
    page.click("form.filters button[type=submit]")
    page.wait_for_url("**q=**")
    page.click("form.lang-switch button")
    page.wait_for_load_state()
    expect(page.locator("form.filters input[name=q]")).to_have_value("互联网医院")
    expect(page.locator("form.filters input[name=start]")).to_have_value("2026-11-14")
    assert "Candidates" in page.locator("h1").inner_text()
    page.click("form.lang-switch button")  # back to Chinese for the other tests
    page.wait_for_load_state()


def test_rejecting_a_drafted_row_and_accepting_from_the_article_page(
    page: Any, site: tuple[str, int]
) -> None:
    """Items 5 and 8: x on a row the draft holds takes it out, and says so; the article
    page puts it back with 采用."""
    expect = browser_test.expect
    issue_id = site[1]
    page.goto(f"/candidates?start=2026-11-14&end=2026-11-20&issue={issue_id}")
    drafted = page.locator(".cand.in-issue").first
    article_id = drafted.get_attribute("data-id")
    drafted.click(position={"x": 5, "y": 5})
    page.keyboard.press("x")
    row = page.locator(f"#cand-{article_id}")
    expect(row.locator(".removed")).to_be_visible()
    expect(row.locator(".badge.in")).to_have_count(0)
    page.goto(f"/articles/{article_id}")
    page.select_option("form.accept-into select[name=issue]", str(issue_id))
    page.click("form.accept-into button.accept")
    expect(page.locator("#article-actions .badge.in")).to_be_visible()
