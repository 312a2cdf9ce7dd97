"""``jianbao sources …``: add, list, remove, test, import and export collection sources."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jianbao.cli.common import (
    console,
    make_table,
    open_db,
    sources_app,
    state,
    t,
)
from jianbao.errors import InputError
from jianbao.records import SourceSpec

if TYPE_CHECKING:
    pass


# -- sources -------------------------------------------------------------------------------


@sources_app.command("add")
def sources_add(
    name: Annotated[str, typer.Argument(help="来源名称 (a unique name)")],
    url: Annotated[str, typer.Argument(help="订阅源或列表页地址 (feed or page URL)")],
    kind: Annotated[str, typer.Option(help="feed | listing | sitemap | url")] = "feed",
    selector: Annotated[str | None, typer.Option(help="列表页文章链接的 CSS 选择器")] = None,
    pages: Annotated[int, typer.Option(help="列表页翻页深度 (listing pages to follow)")] = 1,
    source_name: Annotated[
        str | None, typer.Option("--source-name", help="页面未注明来源时使用的名称")
    ] = None,
    ignore_robots: Annotated[
        bool, typer.Option("--ignore-robots", help="不遵守该站 robots.txt（须有授权）")
    ] = False,
    render: Annotated[
        str, typer.Option(help="http | browser（需执行脚本才能打开的网站用 browser）")
    ] = "http",
) -> None:
    """添加来源 (add a source)."""
    if render not in ("http", "browser"):
        raise InputError(f"未知的抓取方式 {render!r}", hint="可用 http 或 browser")
    from jianbao.db.store import add_source

    spec = SourceSpec(
        name=name,
        url=url,
        kind=kind,  # type: ignore[arg-type]
        link_selector=selector,
        max_pages=pages,
        default_source_name=source_name,
        respect_robots=not ignore_robots,
        render=render,
    )
    with open_db() as db, db.session() as session:
        add_source(session, spec)
    console.print(t("sources.added", name=name, kind=kind, url=url))


@sources_app.command("list")
def sources_list() -> None:
    """列出来源及其状态 (list sources and their health)."""
    from jianbao.db.store import list_sources

    with open_db() as db, db.session() as session:
        rows = list_sources(session)
        if not rows:
            console.print(t("sources.none"))
            return
        table = make_table(
            "col.name",
            "col.kind",
            "col.url",
            "col.enabled",
            "col.last_success",
            "col.failures",
            "col.last_error",
        )
        for row in rows:
            table.add_row(
                row.name,
                row.kind,
                row.url,
                "✓" if row.enabled else "✗",
                row.last_success_at.strftime("%Y-%m-%d %H:%M") if row.last_success_at else "-",
                str(row.consecutive_failures),
                (row.last_error or "")[:60],
            )
    console.print(table)


@sources_app.command("remove")
def sources_remove(name: Annotated[str, typer.Argument(help="来源名称")]) -> None:
    """删除来源（已采集的文章保留）(remove a source; its articles are kept)."""
    from jianbao.db.store import get_source

    with open_db() as db, db.session() as session:
        session.delete(get_source(session, name))
    console.print(t("sources.removed", name=name))


@sources_app.command("test")
def sources_test(
    url: Annotated[str, typer.Argument(help="要试采的地址 (URL to try)")],
    kind: Annotated[
        str | None, typer.Option(help="feed | listing | sitemap | url（默认自动判断）")
    ] = None,
    selector: Annotated[str | None, typer.Option(help="列表页文章链接的 CSS 选择器")] = None,
) -> None:
    """试采一个地址：类型、条目数、第一篇文章（不保存）(try a source without storing)."""
    from jianbao.db.store import SOURCE_KINDS
    from jianbao.sources import probe_source

    if kind is not None and kind not in SOURCE_KINDS:
        raise InputError(f"未知的来源类型 {kind!r}", hint="可用类型：" + "、".join(SOURCE_KINDS))
    result = asyncio.run(probe_source(state.get_settings(), url, kind, selector))
    console.print(t("probe.kind", kind=result.kind, count=len(result.links)))
    for link in result.links[:10]:
        console.print(f"  • {link.title or ''} {link.url}", markup=False, highlight=False)
    if result.article is not None:
        a = result.article
        console.print(
            t(
                "probe.article",
                title=a.title,
                date=a.published_at.strftime("%Y-%m-%d %H:%M") if a.published_at else "-",
                source=a.source_name or "-",
                chars=len(a.body),
            ),
            markup=False,
            highlight=False,
        )
        console.print(a.body[:300], markup=False, highlight=False)
    elif result.article_error:
        console.print(t("probe.failed", error=result.article_error), markup=False)


@sources_app.command("health")
def sources_health() -> None:
    """来源健康状况：失败、沉寂、发文量 (which sources need attention)."""
    from jianbao.sources import source_health

    with open_db() as db, db.session() as session:
        rows = source_health(session)
    if not rows:
        console.print(t("sources.none"))
        return
    language = state.get_settings().language
    table = make_table(
        "col.name",
        "col.last_success",
        "col.failures",
        "col.week_rate",
        "col.usual_rate",
        "col.flags",
        "col.why",
    )
    for h in rows:
        table.add_row(
            h.name,
            h.last_success_at.strftime("%Y-%m-%d %H:%M") if h.last_success_at else "-",
            str(h.consecutive_failures),
            f"{h.week_per_day:.1f}",
            f"{h.usual_per_day:.1f}",
            t(f"health.{h.status}"),
            ("; " if language == "en" else "；").join(r.text(language) for r in h.reasons)[:80],
        )
    console.print(table)


@sources_app.command("import")
def sources_import(
    path: Annotated[Path, typer.Argument(help="OPML、TOML 或 YAML 文件")],
) -> None:
    """从文件导入来源（已有的跳过）(import sources; existing ones are skipped)."""
    from jianbao.sources import import_sources, read_source_file

    specs = read_source_file(path)
    with open_db() as db, db.session() as session:
        added, skipped = import_sources(session, specs)
    console.print(t("sources.imported", added=added, skipped=skipped))


@sources_app.command("export")
def sources_export(
    fmt: Annotated[str, typer.Option("--format", help="opml | yaml | toml")] = "opml",
    out: Annotated[Path | None, typer.Option(help="写入文件（默认输出到屏幕）")] = None,
) -> None:
    """导出全部来源 (export all sources)."""
    from jianbao.sources import export_sources

    with open_db() as db, db.session() as session:
        text = export_sources(session, fmt)
    if out is None:
        sys.stdout.write(text)
    else:
        out.write_text(text, encoding="utf-8")
        console.print(t("issue.written", path=out), markup=False, highlight=False)
