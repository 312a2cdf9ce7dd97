"""End to end in Debian's chromium (through Playwright, never a downloaded browser):
sign in, triage candidates with the keyboard, compose and publish a weekly issue, search
the archive, add a source. A screenshot of each main page goes to test-artifacts/web/."""

from __future__ import annotations

import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from jianbao.db.session import Database
from jianbao.demo.site import DEMO_ISSUE_DATE
from jianbao.testing import make_settings
from jianbao.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
DEMO_DAY = DEMO_ISSUE_DATE
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

sync_api = pytest.importorskip("playwright.sync_api")
expect = sync_api.expect
if not CHROMIUM.exists():
    pytest.skip(
        "Debian chromium is not installed (apt-get install chromium)", allow_module_level=True
    )


class ServerThread:
    """uvicorn on 127.0.0.1 (a free port) in a daemon thread."""

    def __init__(self, app: Any):
        config = uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning", lifespan="off")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, daemon=True)

    def __enter__(self) -> str:
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline:
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        port = self.server.servers[0].sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=5)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory, demo_db_file: Path) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("browser")
    shutil.copyfile(demo_db_file, folder / "jianbao.db")
    settings = make_settings(folder, database_url=f"sqlite:///{folder / 'jianbao.db'}")
    db = Database.from_settings(settings)
    with ServerThread(create_app(settings, database=db, secret_key="browser-test")) as url:
        yield url
    db.close()


@contextmanager
def chromium_page(
    base_url: str,
    *,
    sign_in_as: tuple[str, str] | None = None,
    permissions: Sequence[str] = (),
    accept_dialogs: bool = True,
    **context_options: Any,
) -> Iterator[Any]:
    """One Chromium page on the workstation, signed in when asked, that fails the test on
    any JavaScript error: every browser test starts the same way, so it is written once.
    Confirmation dialogs are accepted unless the test answers them itself."""
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        context = browser.new_context(base_url=base_url, locale="zh-CN", **context_options)
        if permissions:
            context.grant_permissions(list(permissions), origin=base_url)
        context.set_default_timeout(8000)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        if accept_dialogs:
            page.on("dialog", lambda dialog: dialog.accept())
        if sign_in_as is not None:
            page.goto("/login")
            page.fill("input[name=username]", sign_in_as[0])
            page.fill("input[name=password]", sign_in_as[1])
            page.click("button[type=submit].primary")
            page.wait_for_url("**/candidates**")
        yield page
        assert not errors, f"JavaScript errors: {errors}"
        browser.close()


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[Any]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with chromium_page(base_url, viewport={"width": 1366, "height": 900}) as page:
        yield page


def shot(page: Any, name: str, full: bool = True) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full)


def test_editor_day(page: Any, passwords: dict[str, str]) -> None:
    # sign in
    page.goto("/candidates")
    assert "/login" in page.url
    shot(page, "01-login")
    page.fill("input[name=username]", "editor")
    page.fill("input[name=password]", passwords["editor"])
    page.click("button[type=submit].primary")
    page.wait_for_url("**/candidates")

    # a weekly draft to fill
    page.goto("/issues")
    page.select_option("select[name=kind]", "weekly")
    page.fill("input[name=issue_date]", DEMO_DAY.isoformat())
    page.click("form.new-issue button.primary")
    page.wait_for_url("**/issues/*")
    issue_id = page.url.rstrip("/").rsplit("/", 1)[1]

    # triage with the keyboard
    start = DEMO_DAY.replace(day=DEMO_DAY.day - 6).isoformat()
    page.goto(f"/candidates?start={start}&end={DEMO_DAY.isoformat()}&issue={issue_id}")
    rows = page.locator(".cand")
    assert rows.count() >= 4
    first_id = rows.nth(0).get_attribute("data-id")
    third_id = rows.nth(2).get_attribute("data-id")
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.wait_for_selector(f"#cand-{first_id}.status-accept")
    page.keyboard.press("j")
    page.keyboard.press("a")
    page.keyboard.press("j")
    page.keyboard.press("x")
    page.wait_for_selector(f"#cand-{third_id}.status-reject")
    page.keyboard.press("k")
    page.keyboard.press("e")
    editor_box = page.locator(".cand.current .edit-form textarea")
    editor_box.fill("编辑改写的摘要：全民健康信息平台建设提速。")
    page.locator(".cand.current .edit-form button").click()
    page.wait_for_selector("text=编辑改写的摘要")
    page.keyboard.press("j")
    page.keyboard.press("j")
    page.keyboard.press("a")
    expect(page.locator(".cand.status-accept")).to_have_count(3)
    page.evaluate("window.scrollTo(0, 0)")
    shot(page, "02-candidates", full=False)

    # compose: reorder, edit, publish
    page.goto(f"/issues/{issue_id}")
    items = page.locator("#items .item")
    assert items.count() == 3
    second_title = items.nth(1).locator("input[name=title]").input_value()
    items.nth(1).locator("button[title=上移]").click()
    expect(page.locator("#items .item input[name=title]").first).to_have_value(second_title)
    title_box = page.locator("#items .item").nth(0).locator("input[name=title]")
    title_box.fill(second_title + "（编辑改）")
    page.locator("#items .item").nth(0).locator("button[type=submit]").click()
    expect(page.locator("#items .item input[name=title]").first).to_have_value(
        second_title + "（编辑改）"
    )
    frame = page.frame_locator("#preview")
    frame.locator(f"text={second_title}（编辑改）").first.wait_for()
    shot(page, "03-composer", full=False)
    if page.locator("input[name=reason]").count():
        page.fill("input[name=reason]", "端到端测试")
    page.check("input[name=confirm]")
    page.click("form.publish button.primary")
    page.wait_for_selector(".badge.st-published")
    assert page.locator("text=已发布，文件已生成").count() == 1

    # search the archive
    page.goto("/archive")
    page.fill("#q", "编辑改")
    page.click("form.filters button.primary")
    page.wait_for_selector("#search-results mark")
    assert "编辑改" in page.locator("#search-results mark").first.inner_text()
    shot(page, "04-archive")

    # add a source
    page.goto("/sources")
    page.fill("#add-source input[name=name]", "测试来源")
    page.fill("#add-source input[name=url]", "https://example.org/feed.xml")
    page.click("#add-source button.primary")
    page.wait_for_selector("#sources-table >> text=测试来源")
    shot(page, "05-sources")

    # the article view and the dashboard
    page.goto(f"/articles/{first_id}")
    page.wait_for_selector(".body .text p")
    shot(page, "06-article")
    page.goto(f"/dashboard?end={DEMO_DAY.isoformat()}")
    page.wait_for_selector("#chart-days svg")
    shot(page, "07-dashboard")

    # phone width: archive and issue pages stay readable
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"/issues/{issue_id}")
    shot(page, "08-issue-phone", full=False)
