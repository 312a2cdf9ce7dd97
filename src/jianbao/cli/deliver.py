"""Delivery commands: ``jianbao channels list|test``, ``jianbao issue send`` and
``jianbao deliveries`` (the log). Registered on ``jianbao.cli.app`` when imported.

Thin edges as everywhere: each parses its input, calls ``jianbao.deliver.send`` or the
log, and prints. Addresses and secrets appear masked (``Channel.describe``).
"""

from __future__ import annotations

from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TaskID, TextColumn

from jianbao.cli.common import (
    app,
    console,
    err_console,
    issue_app,
    make_table,
    open_db,
    state,
    t,
)
from jianbao.deliver.send import ChannelReport, DeliveryReport, PartEvent

channels_app = typer.Typer(
    help="推送频道：群机器人、邮件、Webhook (delivery channels).", no_args_is_help=True
)
app.add_typer(channels_app, name="channels")


@channels_app.command("list")
def channels_list() -> None:
    """列出配置的频道：类型、地址（已遮蔽）、是否可用 (list channels)."""
    from jianbao.deliver.registry import configured_channels
    from jianbao.errors import NotConfigured

    settings = state.get_settings()
    built = configured_channels(settings)
    if not built:
        console.print(t("channels.none"))
        return
    table = make_table("col.name", "col.kind", "col.address", "col.enabled")
    table.columns[2].no_wrap = True  # an address cut across lines cannot be copied
    for name, channel in built.items():
        if isinstance(channel, NotConfigured):
            kind = settings.channels[name].kind
            table.add_row(name, kind, "-", t("channels.off", reason=channel))
        else:
            table.add_row(name, channel.kind, channel.describe(), t("channels.on"))
    console.print(table)


@channels_app.command("test")
def channels_test(name: Annotated[str, typer.Argument(help="频道名称")]) -> None:
    """通过该频道发送一条简短的测试消息 (send a short test message)."""
    from jianbao.deliver.base import Notice
    from jianbao.deliver.send import send_notice

    settings = state.get_settings()
    notice = Notice(title=t("channels.test_title"), text=t("channels.test_text", name=name))
    with open_db() as db:
        results = send_notice(db, settings, name, notice)
    failed = [r for r in results if not r.ok]
    if failed:
        for result in failed:
            console.print(
                t("channels.test_failed", name=name, reason=result.error or result.answer),
                markup=False,
            )
        raise typer.Exit(1)
    console.print(t("channels.test_ok", name=name), markup=False)


@issue_app.command("send")
def issue_send(
    issue_id: Annotated[int, typer.Argument(help="期编号")],
    channel: Annotated[
        list[str] | None,
        typer.Option("--channel", help="只发到这些频道（默认：刊物配置的频道）"),
    ] = None,
    preview: Annotated[
        str | None, typer.Option("--preview", help="把草稿作为预览发到这一个频道")
    ] = None,
    again: Annotated[
        bool, typer.Option("--again", help="已发送过也全部重新发送（新一轮，记录保留）")
    ] = False,
    resend_unconfirmed: Annotated[
        bool,
        typer.Option(
            "--resend-unconfirmed",
            help="重发上次中断、平台是否收到未知的部分（先确认群里没有）",
        ),
    ] = False,
) -> None:
    """把一期发到群机器人和邮箱；未发完的接着发，已发的不重发 (send an issue)."""
    from jianbao.deliver.send import send_issue

    settings = state.get_settings()
    with open_db() as db:
        columns = (
            TextColumn("[bold]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[detail]}"),
        )
        with Progress(*columns, console=err_console, transient=True) as bar:
            tasks: dict[str, TaskID] = {}

            def on_part(event: PartEvent) -> None:
                if event.channel not in tasks:
                    tasks[event.channel] = bar.add_task(
                        event.channel, total=max(event.total, 1), detail=""
                    )
                task = tasks[event.channel]
                if event.state in ("sent", "skipped", "failed", "unconfirmed", "in_flight"):
                    bar.advance(task)
                bar.update(task, detail=t(f"send.state.{event.state}"))

            report = send_issue(
                db,
                settings,
                issue_id,
                channels=channel or None,
                preview=preview,
                again=again,
                progress=on_part,
                resend_unconfirmed=resend_unconfirmed,
            )
    print_report(report)
    if not report.ok:
        raise typer.Exit(1)


def report_line(entry: ChannelReport) -> str:
    """One channel's outcome in the user's language."""
    if entry.skipped:
        return t("send.skipped", channel=entry.channel, reason=entry.skipped)
    line = t("send.sent", channel=entry.channel, sent=entry.sent, total=entry.total)
    if entry.sent_now != entry.sent:
        line += t("send.before", count=entry.sent - entry.sent_now)
    for part, reason in entry.failed.items():
        line += "\n  " + t("send.failed", part=part, reason=reason)
    if entry.waiting:
        line += "\n  " + t("send.waiting", count=entry.waiting)
    if entry.in_flight:
        parts = "、".join(str(p) for p in entry.in_flight)
        line += "\n  " + t("send.in_flight", parts=parts)
    if entry.unconfirmed:
        parts = "、".join(str(p) for p in entry.unconfirmed)
        line += "\n  " + t("send.unconfirmed", parts=parts)
    return line


def print_report(report: DeliveryReport) -> None:
    if report.preview:
        console.print(t("send.preview", id=report.issue_id))
    for entry in report.channels:
        console.print(report_line(entry), markup=False, highlight=False)


@app.command()
def deliveries(
    issue_id: Annotated[int | None, typer.Argument(help="期编号（默认：最近的记录）")] = None,
) -> None:
    """发送记录：每期每个频道每一部分的状态 (the delivery log)."""
    from jianbao.deliver.log import deliveries as read_log

    with open_db() as db, db.session() as session:
        rows = read_log(session, issue_id)
        if not rows:
            console.print(t("deliveries.none"))
            return
        table = make_table(
            "col.id",
            "col.issue",
            "col.channel",
            "col.purpose",
            "col.round",
            "col.part",
            "col.status",
            "col.attempts",
            "col.time",
            "col.answer",
        )
        for row in rows:
            when = row.finished_at or row.attempted_at or row.created_at
            table.add_row(
                str(row.id),
                f"#{row.issue_id}" if row.issue_id else "-",
                row.channel,
                t(f"purpose.{row.purpose}"),
                str(row.round),
                f"{row.part}/{row.total}",
                t(f"send.state.{row.state}"),
                str(row.attempts),
                when.strftime("%Y-%m-%d %H:%M:%S"),
                row.error or row.answer,
            )
    console.print(table)
