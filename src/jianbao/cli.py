"""The ``jianbao`` command.

Thin edges: each command parses its input, calls one function of the middle layer and
prints the result. Errors are one clear line and a non-zero exit; ``--debug`` shows the
traceback.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, timedelta
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from jianbao.config import Settings, load_settings
from jianbao.db.session import Database
from jianbao.errors import InputError, JianbaoError, disk_full
from jianbao.i18n import Messages
from jianbao.records import SHANGHAI, SourceSpec

if TYPE_CHECKING:
    from jianbao.learning import RetrainReport

app = typer.Typer(
    help="简报 jianbao：卫生健康信息化新闻监测与简报生成 (news monitoring and reports).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
sources_app = typer.Typer(help="管理采集来源 (manage sources).", no_args_is_help=True)
issue_app = typer.Typer(
    help="编排与生成各期简报 (compose and render issues).", no_args_is_help=True
)
app.add_typer(sources_app, name="sources")
users_app = typer.Typer(help="管理工作台账号 (manage web accounts).", no_args_is_help=True)
app.add_typer(issue_app, name="issue")
app.add_typer(users_app, name="users")
model_app = typer.Typer(
    help="相关性与类别模型 (the learned relevance and category models).", no_args_is_help=True
)
app.add_typer(model_app, name="model")

# Piped output (scripts, logs) gets wide tables instead of wrapped 80-column cells.
console = Console(width=None if sys.stdout.isatty() else 200)
err_console = Console(stderr=True)


@dataclass
class State:
    debug: bool = False
    settings: Settings | None = None

    def get_settings(self) -> Settings:
        if self.settings is None:
            self.settings = load_settings()
        return self.settings


state = State()


def t(key: str, **values: object) -> str:
    return Messages(state.get_settings().language)(key, **values)


def make_table(*column_keys: str) -> Table:
    """A table whose column headings are the catalogue's words for ``column_keys``."""
    table = Table()
    for key in column_keys:
        table.add_column(t(key))
    return table


@contextmanager
def open_db() -> Iterator[Database]:
    from jianbao.learning import attach_retrainer

    settings = state.get_settings()
    db = Database.from_settings(settings)
    attach_retrainer(db, settings)  # decisions recorded here may retrain the models
    try:
        yield db
    finally:
        db.close()


def parse_day(value: str | None, *, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"{name} 不是日期：{value!r}", hint="日期写作 YYYY-MM-DD，例如 2026-11-20"
        ) from None


def today() -> date:
    from datetime import datetime

    return datetime.now(SHANGHAI).date()


@app.callback()
def main_options(
    debug: Annotated[
        bool, typer.Option("--debug", help="出错时显示完整回溯 (show tracebacks).")
    ] = False,
) -> None:
    state.debug = debug
    state.settings = None  # read afresh for every invocation


# -- setup ---------------------------------------------------------------------------------


@app.command()
def init(
    admin: Annotated[
        str | None, typer.Option(help="同时创建第一个管理员账号 (create the first admin)")
    ] = None,
    password: Annotated[
        str | None,
        typer.Option(
            envvar="JIANBAO_ADMIN_PASSWORD", help="管理员密码（不给则交互输入）", show_default=False
        ),
    ] = None,
) -> None:
    """初始化数据目录与数据库，可同时创建管理员 (create the data folder, database, admin)."""
    from jianbao.accounts import add_user
    from jianbao.editions.issue_store import ensure_publications

    settings = state.get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    with open_db() as db, db.session() as session:
        ensure_publications(session, settings)
        if admin:
            add_user(session, admin, password or _ask_password(), "admin")
    console.print(t("init.done", db=settings.resolved_database_url))
    if admin:
        console.print(t("users.added", name=admin, role="admin"))


def _ask_password() -> str:
    first = typer.prompt(t("users.password"), hide_input=True)
    second = typer.prompt(t("users.password_again"), hide_input=True)
    if first != second:
        raise InputError("两次输入的密码不一致", hint="请输入两次相同的密码")
    return str(first)


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
            TextColumn("{task.fields[detail]}"),
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
) -> None:
    """按排序列出候选文章，每个事件一条 (ranked candidates, one per story)."""
    from jianbao.candidates import list_candidates
    from jianbao.judge.rank import ranking_weights

    end_day = parse_day(end, name="--to") or today()
    start_day = parse_day(start, name="--from") or end_day - timedelta(days=6)
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
        for c in rows:
            a = c.article
            table.add_row(
                str(a.id),
                f"{c.rank:.2f}",
                a.published_at.strftime("%m-%d %H:%M") if a.published_at else "-",
                a.source_name or "-",
                a.title
                + (
                    "\n" + t("candidates.reading_of", name=c.policy_document[1])
                    if c.policy_document
                    else ""
                ),
                a.category or "-",
                str(c.outlets),
                ("; " if language == "en" else "；").join(r.text(language) for r in c.reasons),
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
            console.print(t("search.none", query=query))
            return
        table = make_table("col.id", "col.date", "col.source", "col.title", "col.snippet")
        for hit in hits:
            a = hit.article
            snippet = hit.snippet_html.replace("<mark>", "【").replace("</mark>", "】")
            table.add_row(
                str(a.id),
                a.published_at.strftime("%Y-%m-%d") if a.published_at else "-",
                a.source_name or "-",
                a.title,
                html_lib.unescape(snippet),
            )
    console.print(table)


# -- issues --------------------------------------------------------------------------------


@issue_app.command("new")
def issue_new(
    kind: Annotated[
        str, typer.Option(help="刊物：daily | weekly | monthly，或刊物配置中的其他名称")
    ] = "weekly",
    on: Annotated[
        str | None, typer.Option("--date", help="出刊日期 YYYY-MM-DD（默认今天）")
    ] = None,
    number: Annotated[int | None, typer.Option(help="期号（默认接续上一期）")] = None,
    fill: Annotated[int | None, typer.Option(help="自动填入的候选条数")] = None,
) -> None:
    """新建一期草稿并按排序填入候选 (create a draft filled with top candidates)."""
    from jianbao.editions.issue_store import new_issue
    from jianbao.editions.numerals import issue_number_text

    issue_date = parse_day(on, name="--date") or today()
    settings = state.get_settings()
    with open_db() as db, db.session() as session:
        issue = new_issue(session, settings, kind, issue_date, number=number, fill=fill)
        if issue.publication.kind == "daily":
            _warn_day_off(settings, issue_date)
        console.print(
            t(
                "issue.created",
                kind=t(f"kind.{issue.publication.kind}"),
                id=issue.id,
                title=issue.publication.title,
                number=issue_number_text(issue.number) if issue.number else "",
                count=len(issue.items),
            )
        )


def _warn_day_off(settings: Settings, day: date) -> None:
    """A daily made for a day off, or for a day the holiday data does not cover, is said
    so at once (issue 13): the editor may have typed the wrong date."""
    from jianbao.editions.issue_store import calendar_override
    from jianbao.jobs.calendar import day_info

    info = day_info(day, calendar_override(settings))
    if not info.known:
        err_console.print(t("issue.beyond_calendar", reason=info.reason), highlight=False)
    elif not info.working:
        err_console.print(t("issue.day_off", day=day, reason=info.reason), highlight=False)


@issue_app.command("list")
def issue_list() -> None:
    """列出各期 (list issues)."""
    from jianbao.editions.issue_store import list_issues

    with open_db() as db, db.session() as session:
        issues = list_issues(session)
        if not issues:
            console.print(t("issue.none"))
            return
        table = make_table(
            "col.id", "col.kind_issue", "col.number", "col.date", "col.status", "col.items"
        )
        for issue in issues:
            table.add_row(
                str(issue.id),
                issue.publication.title,
                str(issue.number or "-"),
                issue.issue_date.isoformat(),
                t(f"status.{issue.status}"),
                str(len(issue.items)),
            )
    console.print(table)


@issue_app.command("show")
def issue_show(issue_id: Annotated[int, typer.Argument(help="期编号 (issue id)")]) -> None:
    """以纯文本显示一期 (show an issue as text)."""
    from jianbao.editions.issue_store import configured_view, get_issue
    from jianbao.render.markdown import render_markdown

    with open_db() as db, db.session() as session:
        view = configured_view(state.get_settings(), get_issue(session, issue_id))
    console.print(render_markdown(view), markup=False, highlight=False)


@issue_app.command("add")
def issue_add(
    issue_id: Annotated[int, typer.Argument(help="期编号")],
    article_id: Annotated[int, typer.Argument(help="文章编号（见 candidates）")],
    at: Annotated[int | None, typer.Option(help="插入位置（默认末尾）")] = None,
) -> None:
    """向草稿加入一篇文章 (add an article)."""
    from jianbao.editions.issue_store import add_item, get_issue

    with open_db() as db, db.session() as session:
        issue = get_issue(session, issue_id)
        add_item(session, issue, article_id, at)
        console.print(t("issue.changed", id=issue.id, count=len(issue.items)))


@issue_app.command("remove")
def issue_remove(
    issue_id: Annotated[int, typer.Argument(help="期编号")],
    position: Annotated[int, typer.Argument(help="条目序号")],
) -> None:
    """从草稿删除一条 (remove an item)."""
    from jianbao.editions.issue_store import get_issue, remove_item

    with open_db() as db, db.session() as session:
        issue = get_issue(session, issue_id)
        remove_item(session, issue, position)
        console.print(t("issue.changed", id=issue.id, count=len(issue.items)))


@issue_app.command("move")
def issue_move(
    issue_id: Annotated[int, typer.Argument(help="期编号")],
    position: Annotated[int, typer.Argument(help="条目序号")],
    to: Annotated[int, typer.Argument(help="新序号")],
) -> None:
    """调整条目顺序 (move an item)."""
    from jianbao.editions.issue_store import get_issue, move_item

    with open_db() as db, db.session() as session:
        issue = get_issue(session, issue_id)
        move_item(session, issue, position, to)
        console.print(t("issue.changed", id=issue.id, count=len(issue.items)))


@issue_app.command("edit")
def issue_edit(
    issue_id: Annotated[int, typer.Argument(help="期编号")],
    position: Annotated[int, typer.Argument(help="条目序号")],
    title: Annotated[str | None, typer.Option(help="新标题")] = None,
    summary: Annotated[str | None, typer.Option(help="新摘要")] = None,
    category: Annotated[str | None, typer.Option(help="新类别（空字符串表示清除）")] = None,
    editor: Annotated[str | None, typer.Option(help="编辑姓名")] = None,
) -> None:
    """修改草稿中一条的标题、摘要或类别 (edit an item's title, summary or category)."""
    from jianbao.editions.issue_store import edit_item, get_issue

    with open_db() as db, db.session() as session:
        issue = get_issue(session, issue_id)
        edit_item(
            session,
            issue,
            position,
            title=title,
            summary=summary,
            category=category,
            editor=editor,
        )
        console.print(t("issue.changed", id=issue.id, count=len(issue.items)))


@issue_app.command("render")
def issue_render(
    issue_id: Annotated[int, typer.Argument(help="期编号")],
    fmt: Annotated[
        str, typer.Option("--format", help="逗号分隔：docx,md,html,txt,wecom …")
    ] = "docx,md,html",
    out: Annotated[Path, typer.Option(help="输出目录")] = Path("out"),
) -> None:
    """生成文件 (render an issue to files)."""
    from jianbao.editions.issue_store import configured_view, get_issue, publication_config
    from jianbao.render import render

    settings = state.get_settings()
    with open_db() as db, db.session() as session:
        issue = get_issue(session, issue_id)
        view = configured_view(settings, issue)
        options = publication_config(issue.publication, settings).render_options()
    out.mkdir(parents=True, exist_ok=True)
    for name in [f.strip() for f in fmt.split(",") if f.strip()]:
        path = render(view, name, out, options)
        console.print(t("issue.written", path=path))


@issue_app.command("check")
def issue_check(
    target: Annotated[str, typer.Argument(help="期编号，或手工报告文件 .docx/.md/.txt")],
    links: Annotated[bool, typer.Option("--links", help="同时检查链接是否失效（需联网）")] = False,
) -> None:
    """检查一期或一份手工报告的常见错误 (check an issue or a hand-made report)."""
    from jianbao.editions.check import check_file, format_findings, has_errors
    from jianbao.editions.issue_store import check_issue, get_issue
    from jianbao.editions.linkcheck import link_problem

    allowlist = state.get_settings().ssrf_allowlist
    checker = partial(link_problem, allowlist=allowlist) if links else None
    if target.isdigit():
        with open_db() as db, db.session() as session:
            findings = check_issue(
                session,
                get_issue(session, int(target)),
                settings=state.get_settings(),
                link_checker=checker,
            )
    else:
        path = Path(target)
        if not path.is_file():
            raise InputError(
                "没有这一期，也没有这个文件", item=target, hint="给出期编号或报告文件路径"
            )
        from jianbao.editions.findings import CheckOptions

        findings = check_file(path, CheckOptions(link_checker=checker))
    console.print(format_findings(findings), markup=False, highlight=False)
    if has_errors(findings):
        raise typer.Exit(1)


@issue_app.command("publish")
def issue_publish(
    issue_id: Annotated[int, typer.Argument(help="期编号")],
    force: Annotated[
        bool, typer.Option("--force", help="检查有错误时仍发布（须写明理由）")
    ] = False,
    reason: Annotated[str | None, typer.Option(help="强制发布的理由（记录在案）")] = None,
) -> None:
    """检查、定稿并把各格式写入归档目录 (check, freeze and archive an issue)."""
    from jianbao.editions.issue_store import get_issue, publish_issue

    if force and not (reason and reason.strip()):
        raise InputError("--force 须同时给出 --reason", hint='加上 --reason "为何仍要发布"')
    settings = state.get_settings()
    with open_db() as db, db.session() as session:
        issue = get_issue(session, issue_id)
        paths = publish_issue(session, settings, issue, override_reason=reason if force else None)
    console.print(t("issue.published", id=issue_id))
    for path in paths:
        console.print(t("issue.written", path=path), markup=False, highlight=False)


@issue_app.command("revise")
def issue_revise(issue_id: Annotated[int, typer.Argument(help="已发布的期编号")]) -> None:
    """为已发布的一期建立更正稿（原稿保留）(start a correction of a published issue)."""
    from jianbao.editions.issue_store import get_issue, revise_issue

    with open_db() as db, db.session() as session:
        revision = revise_issue(session, get_issue(session, issue_id))
        console.print(t("issue.revised", id=issue_id, new=revision.id, rev=revision.revision))


@model_app.command("train")
def model_train() -> None:
    """用编辑的采用/拒绝记录训练相关性模型，有足够的类别改定时也训练类别模型（保留上一版）
    (train the models from editor decisions)."""
    from jianbao.learning import retrain

    with open_db() as db, db.session() as session:
        report = retrain(session, state.get_settings())
    if report is None:  # only automatic retraining gives way to a running one
        return
    if report.relevance is None and report.categories is None:
        raise report.skipped["relevance"]  # nothing could be trained: say why, as an error
    _print_retrain(report)


def _print_retrain(report: RetrainReport) -> None:
    """What a (manual or automatic) retraining did, a line per model."""
    relevance = report.relevance
    if relevance is not None:
        console.print(
            t(
                "model.trained",
                version=relevance.version,
                items=relevance.items,
                positives=relevance.positives,
            )
        )
        words = "、".join(f"{name}" for name, weight in relevance.top_features if weight > 0)
        if words:
            console.print(t("model.features", words=words), markup=False, highlight=False)
    if report.categories is not None:
        console.print(
            t(
                "model.categories_trained",
                items=report.categories.items,
                corrections=report.categories.corrections,
                categories="、".join(report.categories.categories),
            )
        )
    for reason in report.skipped.values():
        console.print(t("model.skipped", reason=reason.message), markup=False, highlight=False)


@model_app.command("rollback")
def model_rollback() -> None:
    """退回上一版相关性模型 (go back to the previous model version)."""
    from jianbao.judge.model import rollback
    from jianbao.learning import models_dir

    version = rollback(models_dir(state.get_settings()))
    console.print(t("model.rolled_back", version=version))


@app.command()
def decide(
    article_id: Annotated[int, typer.Argument(help="文章编号（见 candidates）")],
    action: Annotated[str, typer.Argument(help="accept | reject")],
    editor: Annotated[str | None, typer.Option(help="编辑姓名")] = None,
) -> None:
    """记录对一篇候选文章的采用或拒绝 (record accept or reject; trains the model)."""
    from jianbao.decisions import record_decision
    from jianbao.learning import attach_retrainer

    if action not in ("accept", "reject"):
        raise InputError(f"未知的处理动作 {action!r}", hint="可用 accept 或 reject")
    with open_db() as db:
        retrainer = attach_retrainer(db, state.get_settings())
        with db.session() as session:
            record_decision(session, article_id, action, editor=editor)
        console.print(t("decided", id=article_id, action=t(f"action.{action}")))
        # every retrain_after_decisions decisions the models are retrained: wait for it here
        # rather than keep the process alive silently after the message
        retrained = retrainer.wait()
    if retrained is not None:
        trained = retrained.relevance is not None or retrained.categories is not None
        console.print(t("model.retrained" if trained else "model.not_retrained"))
        _print_retrain(retrained)


# -- accounts and the web workstation -------------------------------------------------------


@users_app.command("add")
def users_add(
    username: Annotated[str, typer.Argument(help="用户名")],
    role: Annotated[str, typer.Option(help="admin | editor | reader")] = "editor",
    name: Annotated[str, typer.Option("--name", help="显示名称")] = "",
    password: Annotated[
        str | None,
        typer.Option(
            envvar="JIANBAO_USER_PASSWORD", help="密码（不给则交互输入）", show_default=False
        ),
    ] = None,
) -> None:
    """添加账号 (add an account)."""
    from jianbao.accounts import add_user

    with open_db() as db, db.session() as session:
        add_user(session, username, password or _ask_password(), role, name)
    console.print(t("users.added", name=username, role=role))


@users_app.command("passwd")
def users_passwd(
    username: Annotated[str, typer.Argument(help="用户名")],
    password: Annotated[
        str | None,
        typer.Option(
            envvar="JIANBAO_USER_PASSWORD", help="新密码（不给则交互输入）", show_default=False
        ),
    ] = None,
) -> None:
    """修改密码，该用户已登录的会话随之失效 (change a password)."""
    from jianbao.accounts import set_password

    with open_db() as db, db.session() as session:
        set_password(session, username, password or _ask_password())
    console.print(t("users.passwd", name=username))


@users_app.command("remove")
def users_remove(username: Annotated[str, typer.Argument(help="用户名")]) -> None:
    """删除账号（其编辑记录保留）(remove an account)."""
    from jianbao.accounts import remove_user

    with open_db() as db, db.session() as session:
        remove_user(session, username)
    console.print(t("users.removed", name=username))


@users_app.command("list")
def users_list() -> None:
    """列出账号 (list accounts)."""
    from jianbao.accounts import list_users

    with open_db() as db, db.session() as session:
        table = make_table("col.user", "col.name", "col.role", "col.enabled")
        for user in list_users(session):
            table.add_row(user.username, user.display_name, user.role, "✓" if user.active else "✗")
    console.print(table)


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="端口")] = 8000,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies", help="仅经 HTTPS 发送会话 Cookie（部署在 HTTPS 后时打开）"
        ),
    ] = False,
    workers: Annotated[
        int, typer.Option(min=1, help="工作进程数（多人同时使用时设为 CPU 核数）")
    ] = 1,
) -> None:
    """启动编辑工作台网站 (run the web workstation)."""
    from jianbao.web import serve as run_server

    settings = state.get_settings()
    with open_db():  # create or upgrade the store before the first request
        pass
    console.print(t("serve.at", url=f"http://{host}:{port}/"))
    run_server(settings, host, port, secure_cookies=secure_cookies, workers=workers)


# -- demo ----------------------------------------------------------------------------------


@app.command()
def demo(
    out: Annotated[Path, typer.Option(help="报告输出目录")] = Path("out"),
) -> None:
    """启动内置演示网站，完整运行一遍并生成报告 (run the whole flow on the demo site)."""
    from jianbao.demo.run import run_demo

    def say(text: str) -> None:
        console.print(text, markup=False, highlight=False)

    paths = run_demo(out, language=state.get_settings().language, say=say)
    console.print(t("demo.done"))
    for path in paths:
        console.print(f"  {path}", markup=False, highlight=False)


def main() -> None:
    """Entry point: run the app, turning jianbao's errors into one clear line."""
    try:
        app()
    except Exception as exc:
        if state.debug:
            raise
        # jianbao's own errors, and a full disk (no bug either): say what to do
        error = exc if isinstance(exc, JianbaoError) else disk_full(exc)
        if error is not None:
            err_console.print(
                Messages(_language())("error", text=error), markup=False, highlight=False
            )
            sys.exit(1)
        # a bug: say so plainly, traceback only with --debug
        err_console.print(
            Messages(_language())("unexpected", text=f"{type(exc).__name__}: {exc}"),
            markup=False,
            highlight=False,
        )
        sys.exit(2)


def _language() -> str:
    try:
        return state.get_settings().language
    except JianbaoError:
        return "zh"


# Command groups kept in modules of their own register themselves on ``app`` when imported
# here (each module imports what it needs from this one).
from jianbao import cli_deliver as _cli_deliver  # noqa: E402,F401
from jianbao import cli_run as _cli_run  # noqa: E402,F401
from jianbao import cli_schedule as _cli_schedule  # noqa: E402,F401
