"""`jianbao demo` end to end: the reports it writes are right by the demo's own truth.

The demo site knows which story and kind each of its articles is, so the weekly report
can be checked item by item: every item is a health-informatics story, none appears
twice, the 导语 counts the items, and the 目录 and the 具体内容 agree in order.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from docx import Document
from sqlalchemy import func, select

from jianbao.accounts import authenticate
from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.demo.run import (
    DEMO_USER,
    DEMO_WEEKLY_NUMBER,
    demo_account,
    demo_data_dir,
    demo_settings,
    run_demo,
)
from jianbao.demo.site import demo_article_for_url
from jianbao.editions.numerals import issue_number_text


@pytest.fixture(scope="module")
def demo_out(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    out = tmp_path_factory.mktemp("demo-out")
    return out, run_demo(out, say=lambda _text: None)


def docx_lines(path: Path) -> list[str]:
    return [p.text.strip() for p in Document(str(path)).paragraphs if p.text.strip()]


def sections(lines: list[str]) -> tuple[list[str], list[str], list[str]]:
    """(导语 lines, 目录 lines, 具体内容 lines) of a weekly or monthly report."""
    toc_at = lines.index("一、信息目录")
    body_at = lines.index("二、具体内容")
    return lines[:toc_at], lines[toc_at + 1 : body_at], lines[body_at + 1 :]


def test_the_demo_writes_every_report(demo_out) -> None:
    out, paths = demo_out
    names = {p.name for p in paths}
    assert all(p.is_file() and p.stat().st_size > 0 for p in paths)
    for suffix in (".docx", ".md", ".html"):
        assert any(n.startswith("weekly") and n.endswith(suffix) for n in names)
        assert any(n.startswith("monthly") and n.endswith(suffix) for n in names)
    assert any(n.startswith("daily") for n in names)
    assert all(p.parent == out for p in paths)


def weekly_docx(paths: list[Path], kind: str = "weekly") -> Path:
    return next(p for p in paths if p.name.startswith(kind) and p.suffix == ".docx")


def test_the_weekly_report_is_in_house_style(demo_out) -> None:
    _out, paths = demo_out
    lines = docx_lines(weekly_docx(paths))
    assert lines[0] == "全国卫生信息化舆情监测周报"
    assert lines[1] == issue_number_text(DEMO_WEEKLY_NUMBER) == "（第五四七期）"
    assert "本期导语：" in lines and "一、信息目录" in lines and "二、具体内容" in lines


def test_the_weekly_report_agrees_with_itself_and_with_the_demo_truth(demo_out) -> None:
    _out, paths = demo_out
    lead, toc, body = sections(docx_lines(weekly_docx(paths)))
    toc_titles = [re.sub(r"^\d+\.\s*", "", line).rsplit("（", 1)[0] for line in toc]
    heads = [re.match(r"^\d+\.\s*标题：(.+)$", line) for line in body]
    body_titles = [m.group(1) for m in heads if m]
    links = [line.removeprefix("链接：") for line in body if line.startswith("链接：")]
    assert toc_titles == body_titles
    assert len(links) == len(body_titles) >= 8
    count = re.search(r"共收集(\d+)篇", "".join(lead))
    assert count is not None and int(count.group(1)) == len(body_titles)
    articles = [demo_article_for_url(link) for link in links]
    assert all(a is not None for a in articles), "every link leads to a demo article"
    kinds = {a.id: a.kind for a in articles if a}
    assert set(kinds.values()) == {"informatics"}, f"unrelated items: {kinds}"
    stories = [a.story for a in articles if a]
    assert len(stories) == len(set(stories)), f"a story appears twice: {stories}"


def test_the_monthly_report_speaks_of_a_month(demo_out) -> None:
    _out, paths = demo_out
    lead, _toc, _body = sections(docx_lines(weekly_docx(paths, "monthly")))
    text = "".join(lead)
    assert "月报" in lead[0]
    assert "本期月报" in text and "2026年11月1日" in text and "2026年11月30日" in text


def test_the_daily_broadcast_heads_with_the_date_and_weekday(demo_out) -> None:
    _out, paths = demo_out
    text = next(p for p in paths if p.name.startswith("daily") and p.suffix == ".txt")
    first = text.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith("2026年11月20日（周五）")


def test_the_demo_folder_opens_as_a_data_folder(demo_out, monkeypatch) -> None:
    """Issue 15, item 14: the store was demo.db, and JIANBAO_DATA_DIR=out/demo-data
    silently created an empty jianbao.db beside it."""
    folder = demo_data_dir(demo_out[0])
    assert sorted(p.name for p in folder.glob("*.db")) == ["jianbao.db"]
    # what `JIANBAO_DATA_DIR=out/demo-data jianbao serve` reads
    monkeypatch.delenv("JIANBAO_DATABASE_URL", raising=False)
    monkeypatch.setenv("JIANBAO_DATA_DIR", str(folder))
    settings = Settings()
    assert settings.resolved_database_url.endswith(f"{folder.as_posix()}/jianbao.db")
    db = Database.from_settings(settings)
    try:
        with db.session() as session:
            assert session.scalar(select(func.count()).select_from(Article)) > 10
    finally:
        db.close()
    assert sorted(p.name for p in folder.glob("*.db")) == ["jianbao.db"]


def test_the_demo_account_signs_in_with_the_password_it_was_given(demo_out) -> None:
    """``jianbao demo --serve`` prints an account for the demo's workstation."""
    settings = demo_settings(demo_out[0])
    first_user, first = demo_account(settings)
    user, second = demo_account(settings)  # a second --serve: a new password, same account
    assert first_user == user == DEMO_USER and first != second
    db = Database.from_settings(settings)
    try:
        with db.session() as session:
            assert authenticate(session, user, second) is not None
            assert authenticate(session, user, first) is None
    finally:
        db.close()
