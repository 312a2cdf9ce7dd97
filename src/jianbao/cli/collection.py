"""``jianbao collect``, ``candidates`` and ``search``: one collection cycle, the ranked
candidates, and full-text search over the store.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.text import Text

from jianbao.cli.common import (
    app,
    console,
    err_console,
    make_table,
    open_db,
    parse_day,
    state,
    t,
    today,
)
from jianbao.errors import InputError

if TYPE_CHECKING:
    pass


# -- collection ----------------------------------------------------------------------------


@app.command()
def collect(
    source: Annotated[
        list[str] | None, typer.Option("--source", help="只采集这些来源 (only these sources)")
    ] = None,
    url: Annotated[
        list[str] | None, typer.Option("--url", help="直接采集单篇文章地址 (single article URLs)")
    ] = None,
    all_sources: Annotated[
        bool, typer.Option("--all", help="不论是否到期，采集全部来源 (ignore poll intervals)")
    ] = False,
    since: Annotated[
        str | None,
        typer.Option(help="补采自该日期 YYYY-MM-DD 起的文章：列表页向后翻页，跳过更早的链接"),
    ] = None,
) -> None:
    """运行一轮采集：默认只采集到期的来源 (run one cycle over the due sources)."""
    from jianbao.db.store import list_sources
    from jianbao.pipeline import CycleReport, Pipeline

    settings = state.get_settings()
    since_day = parse_day(since, name="--since")
    with open_db() as db:
        with db.session() as session:
            total = len(source) if source else len(list_sources(session, enabled_only=True))
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            # the detail names articles and sources as the web gave them: plain text, not
            # rich markup ("[/cry]" in a headline would stop the display)
            TextColumn("{task.fields[detail]}", markup=False),
            TimeElapsedColumn(),
        )
        counts = {"article": 0, "error": 0}
        with Progress(*columns, console=err_console, transient=True) as progress:
            task = progress.add_task(t("collect.progress"), total=total or 1, detail="")

            def on_event(event: str, detail: str) -> None:
                if event == "source_done":
                    progress.advance(task)
                if event in counts:
                    counts[event] += 1
                progress.update(
                    task, detail=f"+{counts['article']} / ✗{counts['error']}  {detail[:30]}"
                )

            pipeline = Pipeline(settings, db, progress=on_event)

            async def run() -> CycleReport:
                report = CycleReport()
                if url:
                    report = await pipeline.ingest_urls(url)
                if source or not url:
                    cycle = await pipeline.run_cycle(
                        source, only_due=not (all_sources or since_day), since=since_day
                    )
                    for name in vars(cycle):
                        value = getattr(cycle, name)
                        setattr(report, name, getattr(report, name) + value)
                return report

            report = asyncio.run(run())
    console.print(report.summary(state.get_settings().language))
    if report.errors:
        console.print(t("collect.errors_head"))
        for line in report.errors[:20]:
            console.print(f"  • {line}", markup=False)


@app.command()
def candidates(
    start: Annotated[
        str | None, typer.Option("--from", help="起始日期 YYYY-MM-DD（默认 7 天前）")
    ] = None,
    end: Annotated[str | None, typer.Option("--to", help="截止日期 YYYY-MM-DD（默认今天）")] = None,
    all_: Annotated[bool, typer.Option("--all", help="包括不相关的文章")] = False,
    category: Annotated[str | None, typer.Option(help="只看此类别")] = None,
    text: Annotated[str | None, typer.Option(help="标题或正文包含的文字")] = None,
    limit: Annotated[int, typer.Option(help="最多显示条数")] = 50,
    publication: Annotated[
        str | None,
        typer.Option(
            "--for",
            help="按此刊物的候选范围（daily 另含卫生健康与数字经济政策）",
        ),
    ] = None,
) -> None:
    """按排序列出候选文章，每个事件一条 (ranked candidates, one per story)."""
    from jianbao.candidates import list_candidates
    from jianbao.editions.issue_store import publication_configs
    from jianbao.judge.rank import ranking_weights

    end_day = parse_day(end, name="--to") or today()
    start_day = parse_day(start, name="--from") or end_day - timedelta(days=6)
    scopes: tuple[str, ...] = ()
    if publication is not None:
        configs = publication_configs(state.get_settings())
        if publication not in configs:
            raise InputError(
                f"没有刊物 {publication!r}",
                item="--for",
                hint="可用的刊物：" + "、".join(configs),
            )
        scopes = configs[publication].candidate_scopes
    with open_db() as db, db.session() as session:
        rows = list_candidates(
            session,
            start_day,
            end_day,
            relevant_only=not all_,
            category=category,
            text=text,
            limit=limit,
            weights=ranking_weights(state.get_settings()),
            scopes=scopes,
        )
        if not rows:
            console.print(t("candidates.none", start=start_day, end=end_day))
            return
        language = state.get_settings().language
        table = make_table(
            "col.id",
            "col.rank",
            "col.date",
            "col.source",
            "col.title",
            "col.category",
            "col.outlets",
            "col.why",
        )
        # titles, outlets and reasons come from the web: each cell is plain Text, never
        # read as rich markup (a Weibo "[/cry]" stopped the listing, "[doge]" vanished)
        for c in rows:
            a = c.article
            table.add_row(
                str(a.id),
                f"{c.rank:.2f}",
                a.published_at.strftime("%m-%d %H:%M") if a.published_at else "-",
                Text(a.source_name or "-"),
                Text(
                    a.title
                    + (
                        "\n" + t("candidates.reading_of", name=c.policy_document[1])
                        if c.policy_document
                        else ""
                    )
                ),
                Text(a.category or "-"),
                str(c.outlets),
                Text(
                    ("; " if language == "en" else "；").join(
                        r.text(language) for r in [*c.reasons, *c.merged]
                    )
                ),
            )
    console.print(table)


@app.command()
def search(
    query: Annotated[str | None, typer.Argument(help="要搜索的词，如 医保、互联网医院、AI")] = None,
    start: Annotated[str | None, typer.Option("--from", help="起始日期 YYYY-MM-DD")] = None,
    end: Annotated[str | None, typer.Option("--to", help="截止日期 YYYY-MM-DD")] = None,
    relevant: Annotated[bool, typer.Option("--relevant", help="只看相关文章")] = False,
    source: Annotated[str | None, typer.Option(help="只看此来源")] = None,
    limit: Annotated[int, typer.Option(help="最多显示条数")] = 20,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="重建全文索引")] = False,
) -> None:
    """全文搜索文章 (full-text search over articles)."""
    import html as html_lib

    from jianbao.archive.search import rebuild_index, search_articles

    with open_db() as db, db.session() as session:
        if rebuild:
            console.print(t("search.rebuilt", count=rebuild_index(session)))
        if not query:
            return
        hits = search_articles(
            session,
            query,
            start=parse_day(start, name="--from"),
            end=parse_day(end, name="--to"),
            relevant_only=relevant,
            source=source,
            limit=limit,
        )
        if not hits:
            console.print(t("search.none", query=escape(query)))
            return
        table = make_table("col.id", "col.date", "col.source", "col.title", "col.snippet")
        for hit in hits:
            a = hit.article
            snippet = hit.snippet_html.replace("<mark>", "【").replace("</mark>", "】")
            table.add_row(  # web text as plain Text, as in the candidates list
                str(a.id),
                a.published_at.strftime("%Y-%m-%d") if a.published_at else "-",
                Text(a.source_name or "-"),
                Text(a.title),
                Text(html_lib.unescape(snippet)),
            )
    console.print(table)
