"""The per-file table of an import: what happened to each file, and the totals.

Kept apart from the CLI so the workstation (or a script) can show the same rows: each
row is the file, its result (imported, unchanged, conflict, failed), the issues stored
and a detail — the conflicts with both issues named, the reason of a failure, how many
findings the checker made.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from jianbao.archive.importer import FileResult

STATUSES = ("imported", "unchanged", "conflict", "failed")


@dataclass(frozen=True, slots=True)
class ReportRow:
    file: str
    status: str
    issues: str
    detail: str


def report_rows(
    results: Sequence[FileResult], t: Callable[..., str], *, limit: int = 3
) -> list[ReportRow]:
    """One row per file (named relative to the folder all of them are in); ``t`` is the
    message catalogue (for the status words)."""
    rows = []
    parents = [str(result.path.parent) for result in results]
    try:
        root = Path(os.path.commonpath(parents)) if parents else Path()
    except ValueError:  # absolute and relative paths mixed
        root = Path()
    for result in results:
        details = list(result.conflicts)
        if result.reason:
            details.append(result.reason)
        if result.findings:
            details.append(t("archive.findings", count=len(result.findings)))
        issues = result.issues[:limit] + (["…"] if len(result.issues) > limit else [])
        rows.append(
            ReportRow(
                file=str(result.path.relative_to(root)) if root.parts else str(result.path),
                status=t(f"archive.status.{result.status}"),
                issues="\n".join(issues),
                detail="\n".join(details),
            )
        )
    return rows


def summary(results: Sequence[FileResult]) -> dict[str, int]:
    """Counts per status, and the issues and items added."""
    counts: Counter[str] = Counter(result.status for result in results)
    figures = {status: counts.get(status, 0) for status in STATUSES}
    figures["files"] = len(results)
    figures["issues"] = sum(len(result.issues) for result in results)
    figures["items"] = sum(result.items for result in results)
    return figures
