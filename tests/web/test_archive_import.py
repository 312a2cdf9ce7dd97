"""归档 with imported back issues (issue 16): listed like native ones, filtered by
publication and year, the kept file downloadable, re-rendered in today's style, and
search hits naming the issue an article appeared in."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from jianbao.archive.importer import import_file
from jianbao.config import Settings
from jianbao.db.models import Issue
from jianbao.db.session import Database

SEED = Path(__file__).resolve().parents[3] / "shared" / "seeds" / "weekly-report-546-2023.md"


@pytest.fixture
def imported(web_db: Database, web_settings: Settings) -> int:
    if not SEED.is_file():
        pytest.skip(f"seed report not found at {SEED} (../shared/seeds)")
    assert import_file(web_db, web_settings, SEED).status == "imported"
    with web_db.session() as s:
        return s.scalars(select(Issue.id).where(Issue.number == 546)).one()


def test_imported_issues_are_listed_filtered_and_downloadable(
    editor: TestClient, imported: int
) -> None:
    html = editor.get("/archive").text
    assert "全国卫生信息化舆情监测周报 2023-10-20 #546" in html
    assert "导入" in html and f'href="/archive/files/{imported}/0"' in html
    assert f'href="/issues/{imported}/export/docx"' in html
    assert "#546" in editor.get("/archive", params={"publication": "weekly", "year": "2023"}).text
    assert "#546" not in editor.get("/archive", params={"year": "2018"}).text
    kept = editor.get(f"/archive/files/{imported}/0")
    assert kept.status_code == 200 and kept.content == SEED.read_bytes()
    assert editor.get(f"/archive/files/{imported}/1").status_code == 404
    opened = editor.get(f"/issues/{imported}")
    assert opened.status_code == 200 and "常州市中医医院建成5G智慧医院创新实验室" in opened.text
    page = editor.get(f"/issues/{imported}/export/html")
    assert page.status_code == 200 and "衡水新闻网" in page.text and "（第五四六期）" in page.text
    # opened and re-rendered with the issue's own 导语, not one computed anew
    own = "本期周报共收集3篇卫生健康大数据与政策研究相关信息"
    assert own in page.text and own in editor.get(f"/issues/{imported}/preview").text


def test_search_hits_name_the_issue_they_appeared_in(editor: TestClient, imported: int) -> None:
    found = editor.get("/archive", params={"q": "衡水"}).text
    assert "见于全国卫生信息化舆情监测周报第546期（2023-10-20）" in found
