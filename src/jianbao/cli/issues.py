"""``jianbao issue …``, ``model …`` and ``decide``: compose, check, render, publish and
revise issues; the learned models; the editors' decisions.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from jianbao.cli.common import (
    app,
    console,
    err_console,
    issue_app,
    make_table,
    model_app,
    open_db,
    parse_day,
    state,
    t,
    today,
)
from jianbao.config import Settings
from jianbao.errors import InputError

if TYPE_CHECKING:
    from jianbao.learning import RetrainReport


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
    """新建一期草稿并按排序填入候选；这一时段已有一期时打开它
    (create a draft filled with top candidates, or open the period's issue)."""
    from jianbao.editions.issue_store import open_or_new_issue
    from jianbao.editions.numerals import issue_number_text

    issue_date = parse_day(on, name="--date") or today()
    settings = state.get_settings()
    with open_db() as db, db.session() as session:
        issue, created = open_or_new_issue(
            session, settings, kind, issue_date, number=number, fill=fill
        )
        if issue.publication.kind == "daily":
            _warn_day_off(settings, issue_date)
        console.print(
            t(
                "issue.created" if created else "issue.opened",
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
                _number_cell(issue.number, issue.status == "draft" and issue.revision == 1),
                issue.issue_date.isoformat(),
                t(f"status.{issue.status}"),
                str(len(issue.items)),
            )
    console.print(table)


def _number_cell(number: int | None, provisional: bool) -> str:
    """A draft's number is provisional until it is published: say so."""
    if number is None:
        return "-"
    return f"{number}（{t('issue.provisional')}）" if provisional else str(number)


@issue_app.command("delete")
def issue_delete(
    issue_id: Annotated[int, typer.Argument(help="草稿的期编号")],
    yes: Annotated[bool, typer.Option("--yes", help="不再询问")] = False,
) -> None:
    """删除一份草稿，后面的草稿接续其期号 (delete a draft; later drafts take its number)."""
    from jianbao.editions.issue_store import delete_issue, get_issue

    with open_db() as db, db.session() as session:
        issue = get_issue(session, issue_id)
        question = t(
            "issue.delete_confirm",
            id=issue.id,
            title=issue.publication.title,
            count=len(issue.items),
        )
        if issue.status == "draft" and not yes and not typer.confirm(question):
            console.print(t("issue.kept"))
            return
        delete_issue(session, issue)
    console.print(t("issue.deleted", id=issue_id))


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
    body_file: Annotated[
        Path | None, typer.Option(help="主要内容改用这个 UTF-8 文本文件（一段一行；原文保留）")
    ] = None,
    restore_body: Annotated[
        bool, typer.Option("--restore-body", help="主要内容恢复为文章原文")
    ] = False,
    editor: Annotated[str | None, typer.Option(help="编辑姓名")] = None,
) -> None:
    """修改草稿中一条的标题、摘要、类别或主要内容
    (edit an item's title, summary, category or main text)."""
    from jianbao.editions.issue_store import edit_item, get_issue

    body = None
    if body_file is not None:
        try:
            body = body_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InputError(
                "读不了主要内容文件", item=str(body_file), hint=f"给出 UTF-8 文本文件（{exc}）"
            ) from None
    with open_db() as db, db.session() as session:
        issue = get_issue(session, issue_id)
        edit_item(
            session,
            issue,
            position,
            title=title,
            summary=summary,
            category=category,
            body=body,
            restore_body=restore_body,
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
        from jianbao.editions.issue_store import calendar_override, publication_configs

        settings = state.get_settings()
        findings = check_file(
            path,
            CheckOptions(link_checker=checker, calendar=calendar_override(settings)),
            publications=publication_configs(settings).values(),
        )
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
        paths = publish_issue(
            session,
            settings,
            issue,
            override_reason=reason if force else None,
            as_number=issue.number,  # as read here: taken meanwhile by another, refused
        )
    console.print(t("issue.published", id=issue_id))
    for path in paths:
        console.print(t("issue.written", path=path), markup=False, highlight=False)


@issue_app.command("revise")
def issue_revise(issue_id: Annotated[int, typer.Argument(help="已发布的期编号")]) -> None:
    """为已发布的一期建立更正稿（原稿保留）(start a correction of a published issue)."""
    from jianbao.editions.issue_store import get_issue, open_or_revise_issue

    with open_db() as db, db.session() as session:
        revision, created = open_or_revise_issue(session, get_issue(session, issue_id))
        key = "issue.revised" if created else "issue.revising"
        console.print(t(key, id=issue_id, new=revision.id, rev=revision.revision))


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
