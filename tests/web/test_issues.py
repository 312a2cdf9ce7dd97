"""编刊: create, add/remove/move/edit items, findings, preview, export, publish, revise."""

from __future__ import annotations

import io
import re
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any

from docx import Document
from docx.oxml.ns import qn
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event, func, select

from jianbao.config import Settings
from jianbao.db.models import Decision, Delivery, Issue
from jianbao.db.session import Database
from jianbao.editions.issue_store import add_item, get_issue, new_issue, publish_issue
from jianbao.web.app import create_app
from web.conftest import signed_in


def weekly(web_db: Database, settings: Settings, fill: int = 4) -> int:
    with web_db.session() as s:
        return new_issue(s, settings, "weekly", date(2026, 11, 20), fill=fill).id


def titles(web_db: Database, issue_id: int) -> list[str]:
    with web_db.session() as s:
        issue = s.get(Issue, issue_id)
        assert issue is not None
        return [i.title for i in issue.items]


def test_create_from_the_form(editor: TestClient, web_db: Database) -> None:
    response = editor.post(
        "/issues",
        data={"kind": "weekly", "issue_date": "2026-11-20", "fill": "1"},
        follow_redirects=False,
    )
    assert response.status_code == 303
    issue_id = int(response.headers["location"].rsplit("/", 1)[1])
    assert len(titles(web_db, issue_id)) >= 3
    listing = editor.get("/issues").text
    assert f'href="/issues/{issue_id}"' in listing
    bad = editor.post("/issues", data={"kind": "yearly", "issue_date": "2026-11-20"})
    assert bad.status_code in (400, 404) and "monthly" in bad.text


def test_composer_moves_removes_and_edits(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    issue_id = weekly(web_db, web_settings)
    before = titles(web_db, issue_id)
    page = editor.get(f"/issues/{issue_id}")
    assert page.status_code == 200 and "检查结果" in page.text
    htmx = {"HX-Request": "true"}
    moved = editor.post(f"/issues/{issue_id}/items/1/move", data={"to": 3}, headers=htmx)
    assert moved.headers["HX-Trigger"] == "issue-changed"
    assert moved.text.lstrip().startswith('<div id="composer-body"')
    assert titles(web_db, issue_id) == [before[1], before[2], before[0], before[3]]
    editor.post(f"/issues/{issue_id}/items/4/remove", headers=htmx)
    assert titles(web_db, issue_id) == [before[1], before[2], before[0]]
    editor.post(
        f"/issues/{issue_id}/items/1",
        data={"title": "改过的标题", "summary": "改过的摘要", "category": "行业动态"},
        headers=htmx,
    )
    with web_db.session() as s:
        issue = s.get(Issue, issue_id)
        assert issue is not None
        item = issue.items[0]
        assert (item.title, item.summary, item.category) == ("改过的标题", "改过的摘要", "行业动态")
        actions = {d.action for d in s.scalars(select(Decision))}
    assert actions == {"edit", "category"}
    empty = editor.post(f"/issues/{issue_id}/items/1", data={"title": " "})
    assert empty.status_code == 400
    plain = editor.post(f"/issues/{issue_id}/items/1/move", data={"to": 2}, follow_redirects=False)
    assert plain.status_code == 303


def test_preview_is_the_house_style_html_in_a_sandbox(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    issue_id = weekly(web_db, web_settings)
    preview = editor.get(f"/issues/{issue_id}/preview")
    assert "本期导语" in preview.text and "一、信息目录" in preview.text
    assert "sandbox" in preview.headers["content-security-policy"]
    composer = editor.get(f"/issues/{issue_id}").text
    assert f'src="/issues/{issue_id}/preview"' in composer


def test_export_every_format(editor: TestClient, web_db: Database, web_settings: Settings) -> None:
    issue_id = weekly(web_db, web_settings)
    composer = editor.get(f"/issues/{issue_id}").text
    formats = re.findall(rf'href="/issues/{issue_id}/export/(\w+)"', composer)
    assert {"docx", "md", "html", "txt"} <= set(formats)
    for fmt in ("docx", "md", "txt", "wecom"):
        response = editor.get(f"/issues/{issue_id}/export/{fmt}")
        assert response.status_code == 200, fmt
        assert "attachment" in response.headers["content-disposition"]
    assert editor.get(f"/issues/{issue_id}/export/docx").content[:2] == b"PK"
    assert "全国卫生信息化舆情监测周报" in editor.get(f"/issues/{issue_id}/export/md").text
    assert editor.get(f"/issues/{issue_id}/export/exe").status_code == 422


def test_export_draws_with_the_publications_fonts_and_sizes(
    web_settings: Settings, web_db: Database, tmp_path: Path
) -> None:
    """revB item 2: the composer's 导出 and the archive's 重新生成 drew the built-in
    仿宋 三号 while ``jianbao issue render`` and publishing used the publication's
    [publications.<key>.docx]; the Word document downloaded is now the one published."""
    publications = tmp_path / "publications.toml"
    publications.write_text(
        '[publications.weekly]\ntitle = "全国卫生信息化舆情监测周报"\nkind = "weekly"\n'
        '[publications.weekly.docx]\nbody_font = "楷体"\nbody_size = 14\n',
        encoding="utf-8",
    )
    configured = web_settings.model_copy(update={"publications_file": publications})
    app = create_app(configured, database=web_db, secret_key="test-secret")
    issue_id = weekly(web_db, configured, fill=2)
    with signed_in(app, web_db, "editor") as client:
        response = client.get(f"/issues/{issue_id}/export/docx")
    assert response.status_code == 200
    normal = Document(io.BytesIO(response.content)).styles["Normal"]
    assert normal.element.rPr.rFonts.get(qn("w:eastAsia")) == "楷体"
    assert normal.font.size.pt == 14


def test_publish_needs_confirmation_then_freezes_and_revises(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    issue_id = weekly(web_db, web_settings)
    # the button is disabled while the publish runs, as 发送's is: a second click does
    # not publish (and render the archive folder) again
    form = re.search(r'<form class="publish"[^>]*>', editor.get(f"/issues/{issue_id}").text)
    assert form and 'hx-disabled-elt="find button"' in form.group(0)
    refused = editor.post(f"/issues/{issue_id}/publish")
    assert refused.status_code == 400 and "确认" in refused.text
    response = editor.post(
        f"/issues/{issue_id}/publish",
        data={"confirm": "yes", "reason": "测试"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200, response.text
    assert "已发布，文件已生成" in response.text
    with web_db.session() as s:
        issue = s.get(Issue, issue_id)
        assert issue is not None and issue.status == "published" and issue.files
    frozen = editor.post(f"/issues/{issue_id}/items/1/remove")
    assert frozen.status_code == 400
    revised = editor.post(f"/issues/{issue_id}/revise", follow_redirects=False)
    new_id = int(revised.headers["location"].rsplit("/", 1)[1])
    with web_db.session() as s:
        copy = s.get(Issue, new_id)
        assert copy is not None and copy.revision == 2 and copy.status == "draft"


def test_two_editors_publishing_one_draft_at_once_publish_it_once(
    app, editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    """Two editors (or two tabs, or a retry) press 发布 on one draft at the same moment:
    both requests read a draft, and both published it. Now one publishes and the other
    is answered 409 saying, in Chinese and English, that the issue is published already."""
    issue_id = weekly(web_db, web_settings)
    ready = threading.Barrier(2, timeout=30)
    answers: list[tuple[int, str]] = []
    with signed_in(app, web_db, "admin") as other:

        def publish(client: TestClient) -> None:
            ready.wait()
            response = client.post(
                f"/issues/{issue_id}/publish",
                data={"confirm": "yes", "reason": "测试"},
                headers={"HX-Request": "true"},
            )
            answers.append((response.status_code, response.text))

        threads = [threading.Thread(target=publish, args=(c,)) for c in (editor, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    assert sorted(code for code, _ in answers) == [200, 409], [a[0] for a in answers]
    refused = next(text for code, text in answers if code == 409)
    assert "不再重复发布" in refused and "already published" in refused
    assert "更正稿" in refused and "#" + str(issue_id) in refused
    with web_db.session() as s:
        issue = s.get(Issue, issue_id)
        assert issue is not None and issue.status == "published"
        same = s.scalars(select(Issue).where(Issue.number == issue.number)).all()
        assert [i.id for i in same] == [issue_id]
        published = select(func.count(Decision.id)).where(Decision.action == "publish")
        assert s.scalar(published) == len(issue.items)
        assert s.scalar(select(func.count(Delivery.id))) == 0  # publishing sends nothing
    # a retry after the first answered is refused the same way
    again = editor.post(f"/issues/{issue_id}/publish", data={"confirm": "yes"})
    assert again.status_code == 409 and "不再重复发布" in again.text


def test_a_draft_whose_number_was_taken_while_publishing_is_answered_409(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    """fixC item 1 through the web: the editor presses 发布 on the weekly of 11-20 (第N期
    in the composer) while another editor's publish of the 11-27 draft, out of turn,
    takes N. It went out as N+1, a number nobody confirmed; now 409 says, in Chinese and
    English, which issue took N, the draft's number now and to reload."""
    waiting_id = weekly(web_db, web_settings)
    with web_db.session() as s:
        waiting = get_issue(s, waiting_id)
        later = new_issue(s, web_settings, "weekly", date(2026, 11, 27), fill=0)
        for item in waiting.items:
            add_item(s, later, item.article_id)
        later_id, number = later.id, waiting.number
    assert number is not None
    writing = threading.Event()
    answers: list[tuple[int, str]] = []

    def writes(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        # the request's publish begins to write (its first write moves the counter)
        request = threading.current_thread() is not threading.main_thread()
        if request and statement.startswith("UPDATE store_revision"):
            writing.set()

    def press_publish() -> None:
        response = editor.post(
            f"/issues/{waiting_id}/publish",
            data={"confirm": "yes", "reason": "测试"},
            headers={"HX-Request": "true"},
        )
        answers.append((response.status_code, response.text))

    event.listen(Engine, "before_cursor_execute", writes)
    pressing = threading.Thread(target=press_publish)
    try:
        with web_db.session() as s:  # the other editor's publish, not yet committed
            taking = get_issue(s, later_id)
            publish_issue(s, web_settings, taking, override_reason="测试", as_number=number + 1)
            pressing.start()
            assert writing.wait(30)
            time.sleep(0.3)  # the request now waits for this commit
        pressing.join(60)
    finally:
        event.remove(Engine, "before_cursor_execute", writes)
    [(code, text)] = answers
    assert code == 409, text[:2000]
    assert f"第{number}期刚被 2026-11-27 那一期（#{later_id}）" in text
    assert f"现为第{number + 1}期" in text and f"No. {number} was just taken" in text
    assert "刷新页面" in text and "reload" in text
    with web_db.session() as s:
        assert get_issue(s, waiting_id).status == "draft"
        assert get_issue(s, waiting_id).number == number + 1
        published = select(func.count(Decision.id)).where(Decision.action == "publish")
        assert s.scalar(published) == len(get_issue(s, later_id).items)


def test_readers_see_the_composer_without_controls(
    reader: TestClient, web_db: Database, web_settings: Settings
) -> None:
    issue_id = weekly(web_db, web_settings)
    html = reader.get(f"/issues/{issue_id}").text
    assert "/publish" not in html and "hx-post" not in html
    assert "新建一期" not in reader.get("/issues").text
