"""今日: the day's schedule and job states, the duty editor and the week ahead, the
problems, the calendar banner, 立即采集 with its progress, and pasted URLs collected."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

from jianbao.db.models import Article, JobRun, Source
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.jobs.roster import PersonRow, import_roster
from jianbao.jobs.runs import RunKey, claim_run, finish_run
from jianbao.records import SHANGHAI, SourceSpec
from pipeline_site import ARTICLES, build_site


def test_the_page_shows_the_duty_editor_and_the_problems(
    reader: TestClient, web_db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jianbao.web.routes import today

    thursday = datetime(2026, 12, 10, 9, 0, tzinfo=SHANGHAI)
    monkeypatch.setattr(today, "_now", lambda: thursday)
    monday = date(2026, 12, 7)
    with web_db.session() as session:
        import_roster(
            session,
            [PersonRow(name="张三", channel="张三群"), PersonRow(name="李四")],
            unit="week",
            start=monday,
        )
    at = thursday - timedelta(hours=1)
    run_id = claim_run(web_db, RunKey("send", "daily", at), now=at, holder="t")
    assert run_id is not None
    finish_run(web_db, run_id, "missed", now=at, error="错过发送时间 08:00，不补发")
    html = reader.get("/today").text
    duty = html[html.index('id="today-duty"') :]
    assert "张三" in duty.split("未来一周")[0]  # on duty today
    assert "2026-12-14 李四" in duty  # next Monday, in the week ahead
    problems = html[html.index('id="today-problems"') :]
    assert "错过发送时间 08:00，不补发" in problems and "每日学习播报" in problems
    assert "立即采集" not in html  # readers look, editors act


def test_a_holiday_without_data_shows_a_banner(
    reader: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jianbao.web.routes import today

    monkeypatch.setattr(today, "_now", lambda: datetime(2027, 1, 4, 9, 0, tzinfo=SHANGHAI))
    html = reader.get("/today").text
    assert 'id="calendar-banner"' in html and "2027" in html


def test_a_day_within_the_data_has_no_banner(
    reader: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jianbao.web.routes import today

    monkeypatch.setattr(today, "_now", lambda: datetime(2026, 2, 14, 9, 0, tzinfo=SHANGHAI))
    html = reader.get("/today").text
    assert 'id="calendar-banner"' not in html
    assert "调休" in html  # 2026-02-14 is a 调休 working Saturday: the daily is planned
    assert "生成草稿" in html and "每日学习播报" in html


def test_collect_now_shows_progress_until_done(editor: TestClient, web_db: Database) -> None:
    with build_site() as site:
        with web_db.session() as session:
            session.execute(update(Source).values(enabled=False))  # the demo site is not up
            add_source(session, SourceSpec(name="东川日报", url=site.url("/rss.xml"), kind="feed"))
            before = session.scalar(select(func.count(Article.id)))
        started = editor.post("/today/collect", headers={"HX-Request": "true"})
        assert started.status_code == 200
        assert "来源 0/1" in started.text or "来源 1/1" in started.text
        with web_db.session() as session:
            run_id = session.scalar(select(JobRun.id).where(JobRun.holder == "web:editor"))
        assert run_id is not None
        deadline = time.monotonic() + 60
        while True:
            page = editor.get(f"/today/collect/{run_id}")
            if "hx-trigger" not in page.text or time.monotonic() > deadline:
                break
            time.sleep(0.1)  # polling a real background cycle, as the page does
    assert "hx-trigger" not in page.text  # finished: the polling stops
    assert "完成" in page.text and "来源 1/1" in page.text
    with web_db.session() as session:
        after = session.scalar(select(func.count(Article.id)))
        run = session.get(JobRun, run_id)
        assert run is not None and run.outcome == "ok"
    assert after is not None and before is not None and after > before


def test_pasted_urls_are_collected(editor: TestClient, web_db: Database) -> None:
    with build_site() as site:
        urls = "\n".join(site.url(path) for path in ARTICLES)
        response = editor.post(
            "/today/urls", data={"urls": urls + "\n"}, headers={"HX-Request": "true"}
        )
    assert response.status_code == 200, response.text
    assert "已处理 2 个地址" in response.text
    with web_db.session() as session:
        stored = session.scalars(
            select(Article.url).where(Article.url.in_([site.url(p) for p in ARTICLES]))
        ).all()
    assert len(stored) == 2


def test_pasted_text_that_is_not_a_url_is_refused(editor: TestClient) -> None:
    response = editor.post("/today/urls", data={"urls": "javascript:alert(1)"})
    assert response.status_code == 400 and "http://" in response.text
    assert editor.post("/today/urls", data={"urls": "  "}).status_code == 400


def test_readers_cannot_start_a_collection(reader: TestClient) -> None:
    assert reader.post("/today/collect").status_code == 403


def test_the_nav_links_to_today(reader: TestClient, tmp_path: Path) -> None:
    assert 'href="/today"' in reader.get("/candidates").text
