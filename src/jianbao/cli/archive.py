"""``jianbao archive import PATH…``: back issues into the archive, with progress and a
table of what happened to each file."""

from __future__ import annotations

from contextlib import closing
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from jianbao.cli.common import app, console, make_table, state, t
from jianbao.db.session import Database

archive_app = typer.Typer(
    help="归档：导入往期简报 (the archive: import back issues).", no_args_is_help=True
)
app.add_typer(archive_app, name="archive")


@archive_app.command("import")
def archive_import(
    paths: Annotated[
        list[Path], typer.Argument(help="文件或文件夹（递归）：.docx .doc .wps .pdf .md .txt .html")
    ],
    findings: Annotated[
        bool,
        typer.Option("--findings", help="列出检查器对每个文件的提示 (list the checker's findings)"),
    ] = False,
) -> None:
    """导入往期简报，存为已发布的往期 (import back issues as published issues)."""
    from jianbao.archive.importer import collect_files, import_file, near_copies
    from jianbao.archive.readers import SUFFIXES
    from jianbao.archive.report import report_rows, summary

    settings = state.get_settings()
    files = collect_files(paths)
    if not files:
        console.print(t("archive.none", suffixes=" ".join(SUFFIXES)))
        raise typer.Exit(1)
    results = []
    # the store without the automatic retrainer: a folder's hundreds of publish decisions
    # would start a training every few files; the next editor decision (or jianbao model
    # train) trains once on all of them
    with (
        closing(Database.from_settings(settings)) as db,
        Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("{task.fields[name]}"),
            console=console,
            transient=True,
            disable=len(files) < 2,
        ) as progress,
    ):
        near = near_copies(db, settings)  # the store's near-copies, read once for the run
        task = progress.add_task(t("archive.progress"), total=len(files), name="")
        # the bar is drawn on a terminal only: a log (cron, a pipe) gets a line per file
        lines = len(files) > 1 and not console.is_terminal
        for number, path in enumerate(files, start=1):
            progress.update(task, name=path.name)
            result = import_file(db, settings, path, near=near)
            results.append(result)
            progress.advance(task)
            if lines:
                status = t(f"archive.status.{result.status}")
                console.print(
                    f"[{number}/{len(files)}] {path.name} {status}", highlight=False, markup=False
                )
    table = make_table("col.file", "col.result", "col.issues_imported", "col.detail")
    for row in report_rows(results, t):
        table.add_row(row.file, row.status, row.issues, row.detail)
    console.print(table)
    if findings:
        for result in results:
            if result.findings:
                console.print(f"\n{result.path}", style="bold", highlight=False, markup=False)
                for line in result.findings:
                    console.print(line, highlight=False, markup=False)
    console.print(t("archive.summary", **summary(results)))
    if any(result.status == "failed" for result in results):
        raise typer.Exit(1)
