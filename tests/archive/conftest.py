"""Shared fixtures of the archive tests: generated issues rendered once in every format
(PDF costs a LibreOffice conversion, so the session renders each issue once)."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from jianbao.archive.samples import sample_view
from jianbao.records import IssueView
from jianbao.render import render_many

FORMATS = ("docx", "pdf", "md", "html", "txt")


@pytest.fixture(scope="session")
def weekly_view() -> IssueView:
    return sample_view("weekly", 301, date(2023, 10, 27), seed=1, items=6)


@pytest.fixture(scope="session")
def daily_view() -> IssueView:
    return sample_view("daily", 0, date(2020, 7, 16), seed=1, items=6)


@pytest.fixture(scope="session")
def monthly_view() -> IssueView:
    return sample_view("monthly", 88, date(2024, 2, 29), seed=3, items=5)


@pytest.fixture(scope="session")
def views(
    weekly_view: IssueView, monthly_view: IssueView, daily_view: IssueView
) -> dict[str, IssueView]:
    return {"weekly": weekly_view, "monthly": monthly_view, "daily": daily_view}


@pytest.fixture(scope="session")
def rendered(
    tmp_path_factory: pytest.TempPathFactory, views: dict[str, IssueView]
) -> dict[tuple[str, str], Path]:
    """(kind, format) → the file jianbao rendered; PDF only where LibreOffice runs."""
    formats = list(FORMATS)
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        formats.remove("pdf")
    files: dict[tuple[str, str], Path] = {}
    for view in views.values():
        folder = tmp_path_factory.mktemp(f"rendered-{view.kind}")
        for path in render_many(view, formats, folder):
            files[(view.kind, path.suffix.lstrip("."))] = path
    return files
