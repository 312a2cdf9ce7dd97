"""Alert commands (预警): ``jianbao alerts list|check|ack|dismiss|mark|rules|rule-add|
rule-remove|dry-run``. Registered on ``jianbao.cli.app`` when imported.

Thin edges: each parses its input, calls ``jianbao.alerts`` and prints.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

import typer

from jianbao.cli.common import app, console, make_table, open_db, state, t

alerts_app = typer.Typer(
    help="预警：风险事件、传播激增、关注对象 (alerts on hot and risky stories).",
    no_args_is_help=True,
)
app.add_typer(alerts_app, name="alerts")


def _now() -> datetime:
    return datetime.now(UTC)


def _who() -> str:
    import getpass

    try:
        return f"cli:{getpass.getuser()}"
    except Exception:  # no user name in a container: still say where it came from
        return "cli"


@alerts_app.command("list")
def alerts_list(
    state_: Annotated[
        str | None,
        typer.Option("--state", help="只列出 open（待处理）、acknowledged、dismissed"),
    ] = None,
) -> None:
    """列出预警：级别、故事、媒体、原因、处理情况 (list alerts)."""
    from jianbao.alerts.levels import NAMES
    from jianbao.alerts.sends import refusals, send_states
    from jianbao.alerts.store import STATE_NAMES, list_alerts

    with open_db() as db, db.session() as session:
        found = list_alerts(session, state_)
        sends = send_states(session, found)
        if not found:
            console.print(t("alerts.none"))
            return
        table = make_table(
            "col.id", "col.level", "col.title", "col.outlets", "col.reasons", "col.state"
        )
        for alert in found:
            handled = STATE_NAMES.get(alert.state, alert.state)
            if alert.handled_by:
                handled += f"（{alert.handled_by} {alert.note}）"
            table.add_row(
                str(alert.id),
                NAMES[alert.level],
                alert.title,
                "、".join(alert.outlets[:4]),
                "；".join(alert.reasons),
                handled,
            )
        console.print(table)
        for alert in found:  # refused sends, then unconfirmed ones (the delivery log)
            refused = refusals(alert.delivery_error or "")
            if refused and alert.delivered_at is None:
                console.print(t("alerts.not_delivered", id=alert.id, error=refused), markup=False)
            send = sends.get(alert.id)
            if send and send.unconfirmed:
                channels = "、".join(send.unconfirmed)
                console.print(t("alerts.unconfirmed", id=alert.id, channels=channels), markup=False)
            if send and send.in_flight:
                channels = "、".join(send.in_flight)
                console.print(t("alerts.in_flight", id=alert.id, channels=channels), markup=False)


@alerts_app.command("check")
def alerts_check() -> None:
    """立即判断新文章、触发并发送预警（jianbao run 每轮自动进行）(one alert pass now)."""
    from jianbao.alerts.job import check_alerts

    with open_db() as db:
        report = check_alerts(db, state.get_settings(), _now())
    console.print(
        t(
            "alerts.checked",
            judged=report.judged,
            fired=len(report.fired),
            sent=len(report.sent),
            failed=len(report.failed),
        ),
        markup=False,
    )
    for alert_id, channels in report.unconfirmed.items():
        console.print(
            t("alerts.unconfirmed", id=alert_id, channels="、".join(channels)), markup=False
        )


@alerts_app.command("resend")
def alerts_resend(alert_id: Annotated[int, typer.Argument(help="预警编号")]) -> None:
    """重发未确认送达的预警（先查看群内确实没有收到）(resend an unconfirmed alert)."""
    from jianbao.alerts.job import resend_outcome, resend_unconfirmed

    with open_db() as db:
        report = resend_unconfirmed(db, state.get_settings(), alert_id, _now())
    kind, said = resend_outcome(report, alert_id)  # the same four as the 预警 page's
    if kind == "sent":
        console.print(t("alerts.resent", id=alert_id), markup=False)
        return
    if kind == "failed":
        console.print(t("alerts.not_delivered", id=alert_id, error=said), markup=False)
    elif kind == "unconfirmed":  # sent again, answered too late: look at the group again
        console.print(t("alerts.unconfirmed", id=alert_id, channels=said), markup=False)
    else:
        console.print(t("alerts.in_flight", id=alert_id, channels=said), markup=False)
    raise typer.Exit(1)


def _handle(alert_id: int, new_state: str, note: str) -> None:
    from jianbao.alerts.store import STATE_NAMES, handle_alert

    with open_db() as db, db.session() as session:
        handle_alert(session, alert_id, new_state, by=_who(), note=note, now=_now())
    console.print(t("alerts.handled", id=alert_id, state=STATE_NAMES[new_state]), markup=False)


@alerts_app.command("ack")
def alerts_ack(
    alert_id: Annotated[int, typer.Argument(help="预警编号")],
    note: Annotated[str, typer.Option("--note", help="处理说明")] = "",
) -> None:
    """确认预警（确是风险事件，用于训练风险模型）(acknowledge an alert)."""
    _handle(alert_id, "acknowledged", note)


@alerts_app.command("dismiss")
def alerts_dismiss(
    alert_id: Annotated[int, typer.Argument(help="预警编号")],
    note: Annotated[str, typer.Option("--note", help="排除的理由")] = "",
) -> None:
    """排除预警（不是风险事件，用于训练风险模型）(dismiss an alert)."""
    _handle(alert_id, "dismissed", note)


@alerts_app.command("mark")
def alerts_mark(
    article_id: Annotated[int, typer.Argument(help="文章编号")],
    value: Annotated[str, typer.Argument(help="incident（⚠ 风险事件）或 not（不是）")],
) -> None:
    """给文章打 ⚠ 风险标记或取消，供风险模型学习 (mark an article as an incident or not)."""
    from jianbao.alerts.store import mark_risk
    from jianbao.errors import InputError

    if value not in ("incident", "not"):
        raise InputError(
            f"标记只能是 incident 或 not：{value}", hint="如 jianbao alerts mark 42 incident"
        )
    with open_db() as db, db.session() as session:
        mark_risk(session, article_id, value == "incident", by=_who(), now=_now())
    console.print(t("alerts.marked", id=article_id, value=value), markup=False)


@alerts_app.command("rules")
def alerts_rules() -> None:
    """列出预警规则：内置的与编辑添加的 (list alert rules)."""
    from jianbao.alerts.levels import NAMES
    from jianbao.alerts.rules import builtin_rules
    from jianbao.alerts.store import editor_rules

    settings = state.get_settings()
    with open_db() as db, db.session() as session:
        rules = builtin_rules(settings.alert_levels, settings.alert_watch)
        rules += editor_rules(session, enabled_only=False)
    table = make_table("col.name", "col.kind", "col.level", "col.expression")
    for rule in rules:
        name = f"{rule.name}（{t('alerts.builtin')}）" if rule.builtin else rule.name
        table.add_row(name, rule.kind, NAMES[rule.level], rule.expression)
    console.print(table)


KindOption = Annotated[str, typer.Option("--kind", help="keyword、risk、spike 或 watch")]
LevelOption = Annotated[str, typer.Option("--level", help="红、橙、黄、蓝")]
ExpressionOption = Annotated[
    str,
    typer.Option(
        "--expression",
        help="keyword：关键词表达式；risk：概率阈值；spike：媒体家数；watch：追加关注对象（逗号分隔）",
    ),
]


@alerts_app.command("rule-add")
def alerts_rule_add(
    name: Annotated[str, typer.Argument(help="规则名称")],
    kind: KindOption = "keyword",
    level: LevelOption = "黄",
    expression: ExpressionOption = "",
) -> None:
    """添加或替换一条预警规则 (add or replace an alert rule)."""
    from jianbao.alerts.rules import Rule
    from jianbao.alerts.store import save_rule

    with open_db() as db, db.session() as session:
        save_rule(session, Rule(name, kind, level, expression), by=_who())
    console.print(t("alerts.rule_saved", name=name), markup=False)


@alerts_app.command("rule-remove")
def alerts_rule_remove(name: Annotated[str, typer.Argument(help="规则名称")]) -> None:
    """删除一条编辑添加的预警规则 (remove an alert rule)."""
    from jianbao.alerts.store import remove_rule

    with open_db() as db, db.session() as session:
        remove_rule(session, name)
    console.print(t("alerts.rule_removed", name=name), markup=False)


@alerts_app.command("dry-run")
def alerts_dry_run(
    kind: KindOption = "keyword",
    expression: ExpressionOption = "",
    level: LevelOption = "黄",
) -> None:
    """试运行一条规则：过去 30 天会触发哪些预警，不发送 (what a rule would have fired)."""
    from jianbao.alerts.dryrun import DAYS, dry_run
    from jianbao.alerts.job import thresholds
    from jianbao.alerts.rules import Rule

    settings = state.get_settings()
    rule = Rule("试运行", kind, level, expression)
    with open_db() as db, db.session() as session:
        found = dry_run(session, settings, rule, _now(), thresholds(settings))
    console.print(t("alerts.dry_run", days=DAYS, count=len(found)), markup=False)
    table = make_table("col.date", "col.title", "col.outlets", "col.reasons")
    for item in found:
        table.add_row(
            item.at.date().isoformat(), item.title, "、".join(item.outlets[:4]), item.reason
        )
    console.print(table)
