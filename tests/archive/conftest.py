"""Shared fixtures of the archive tests: generated issues rendered once in every format
(PDF costs a LibreOffice conversion, so the session renders each issue once), the seed
reports, and a PDF without a text layer."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from jianbao.archive.samples import sample_view
from jianbao.records import IssueView
from jianbao.render import render_many

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"
FORMATS = ("docx", "pdf", "md", "html", "txt")


def needs_soffice() -> None:
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        pytest.skip(
            "LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui"
        )


def needs_seeds() -> None:
    if not SEEDS.is_dir():
        pytest.skip(f"seed reports not found at {SEEDS} (../shared/seeds)")


@pytest.fixture(scope="session")
def weekly_view() -> IssueView:
    return sample_view("weekly", 301, date(2023, 10, 27), seed=1, items=6)


@pytest.fixture(scope="session")
def daily_view() -> IssueView:
    return sample_view("daily", 0, date(2020, 7, 16), seed=1, items=6)


@pytest.fixture(scope="session")
def rendered(
    tmp_path_factory: pytest.TempPathFactory, weekly_view: IssueView, daily_view: IssueView
) -> dict[tuple[str, str], Path]:
    """(kind, format) → the file jianbao rendered; PDF only where LibreOffice runs."""
    formats = list(FORMATS)
    if shutil.which("soffice") is None and shutil.which("libreoffice") is None:
        formats.remove("pdf")
    files = {}
    for view in (weekly_view, daily_view):
        folder = tmp_path_factory.mktemp(f"rendered-{view.kind}")
        for path in render_many(view, formats, folder):
            files[(view.kind, path.suffix.lstrip("."))] = path
    return files


def scanned_pdf(path: Path) -> Path:
    """A one-page PDF holding only a drawn box: what a scanner without OCR produces."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
    ]
    stream = b"0.2 g 80 600 400 150 re f"
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    path.write_bytes(bytes(out))
    return path
