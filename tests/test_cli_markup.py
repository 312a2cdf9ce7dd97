"""Text from the web in the CLI's tables: shown as it is, never read as rich markup."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.testing import LoopbackSite, Route
from pipeline_site import ARTICLES, article_page

#: a Weibo emoticon that closes no tag, one that names no style, and BBCode bold
TITLE = ARTICLES["/news/2026/11/16/ehr.html"][0] + "[/cry][doge][b]"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for key, value in {
        "JIANBAO_DATA_DIR": str(tmp_path / "data"),
        "JIANBAO_SSRF_ALLOWLIST": '["127.0.0.0/8"]',
        "JIANBAO_PER_HOST_DELAY": "0",
        "JIANBAO_DATABASE_URL": "",
        "COLUMNS": "400",
    }.items():
        monkeypatch.setenv(key, value)


def run(*args: str) -> str:
    result = CliRunner().invoke(app, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_candidates_and_search_show_bracketed_titles_as_they_are(env: None) -> None:
    _title, when, source, paragraphs = ARTICLES["/news/2026/11/16/ehr.html"]
    page = article_page(TITLE, when, source, paragraphs)
    with LoopbackSite({"/a.html": Route(page)}) as site:
        run("init")
        assert "新文章 1 篇" in run("collect", "--url", site.url("/a.html"))
    listed = run("candidates", "--all", "--from", "2026-11-01", "--to", "2026-11-30")
    assert TITLE in listed
    found = run("search", "电子病历")
    assert TITLE in found
    assert "[/x]" in run("search", "[/x]")  # the query, echoed in "nothing found"
