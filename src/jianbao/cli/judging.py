"""``jianbao rejudge``: stored articles judged again with today's judge (relevance,
category, scope, sentiment, risk, near-duplicate signature), in batches with progress,
resumable, the editors' decisions and picks kept (jianbao.rejudge). Registered on
``jianbao.cli.app`` when imported."""

from __future__ import annotations

from typing import Annotated

import typer

from jianbao.cli.common import app, console, err_console, open_db, parse_day, state, t


@app.command("rejudge")
def rejudge_command(
    since: Annotated[
        str | None,
        typer.Option("--since", help="只重判此日期（YYYY-MM-DD）以来发布的文章"),
    ] = None,
    everything: Annotated[
        bool,
        typer.Option("--all", help="连已由当前规则判断过的文章也重判"),
    ] = False,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="只统计会有哪些变化，不写入")] = False,
    workers: Annotated[int | None, typer.Option(help="判断进程数（默认每个核一个）", min=1)] = None,
) -> None:
    """用当前的判断规则重新判断已存文章：相关性、类别、范围、情感、风险与签名；
    保留编辑的决定与选用 (judge stored articles again with today's judge)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from jianbao.rejudge import rejudge

    day = parse_day(since, name="--since")
    settings = state.get_settings()
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn())
    with (
        open_db() as db,
        Progress(*columns, console=err_console, transient=True) as bar,
    ):
        task = bar.add_task(t("rejudge.progress"), total=None)

        def advance(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        report = rejudge(
            db,
            settings,
            since=day,
            everything=everything,
            dry_run=dry_run,
            workers=workers,
            progress=advance,
        )
    if report.judged == 0:
        console.print(t("rejudge.nothing", current=report.current), markup=False)
        return
    head = "rejudge.dry" if dry_run else "rejudge.done"
    console.print(t(head, judged=report.judged, changed=report.changed), markup=False)
    console.print(
        t(
            "rejudge.counts",
            relevant=report.became_relevant,
            irrelevant=report.became_irrelevant,
            kept=report.kept_as_picked,
            gained=report.scope_gained,
            lost=report.scope_lost,
            category=report.category_changed,
            sentiment=report.sentiment_changed,
            risk=report.risk_changed,
            signature=report.signature_changed,
        ),
        markup=False,
    )
