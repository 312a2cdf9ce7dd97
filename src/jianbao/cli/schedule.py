"""``jianbao schedule`` and ``jianbao roster``: what runs when, and who is on duty.

Thin edges over jianbao.jobs: the schedule is computed (jobs.due, jobs.agenda), the
roster is kept in the store (jobs.roster) and read from CSV or TOML (jobs.roster_file).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated

import typer

from jianbao.cli.common import app, console, make_table, open_db, parse_day, state, t, today
from jianbao.errors import InputError

roster_app = typer.Typer(help="值班表 (the duty roster).", no_args_is_help=True)
app.add_typer(roster_app, name="roster")

#: rows of jobs that do not run are dimmed (their reason says why)
_STATE_STYLE = {True: "", False: "dim"}


def parse_moment(value: str | None, zone_name: str) -> datetime:
    """``--at``: a date or a date and time in the schedule's time zone (default now)."""
    from zoneinfo import ZoneInfo

    zone = ZoneInfo(zone_name)
    if value is None:
        return datetime.now(zone)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise InputError(
            f"--at 不是日期或时间：{value!r}",
            hint="写作 YYYY-MM-DD 或 YYYY-MM-DDTHH:MM，例如 2026-02-14T06:00",
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


@app.command()
def schedule(
    at: Annotated[
        str | None, typer.Option("--at", help="从何时起（YYYY-MM-DD[THH:MM]，默认现在）")
    ] = None,
    days: Annotated[int, typer.Option("--days", min=1, max=366, help="列出几天")] = 7,
    everything: Annotated[
        bool, typer.Option("--all", help="也逐次列出采集、备份与重新训练（默认只说一次）")
    ] = False,
) -> None:
    """列出日程：何时运行什么，为何不运行 (what would run when, and why not)."""
    from jianbao.editions.issue_store import calendar_override, publication_configs
    from jianbao.jobs.agenda import agenda
    from jianbao.jobs.calendar import calendar_warning

    settings = state.get_settings()
    start = parse_moment(at, settings.timezone)
    end = start + timedelta(days=days)
    override = calendar_override(settings)
    publications = publication_configs(settings)
    warning = calendar_warning(start.date(), override)
    if warning:
        console.print(f"[bold red]{t('schedule.calendar')}[/]{warning}", highlight=False)
    if not everything:
        console.print(
            t(
                "schedule.routine",
                every=settings.collect_every_minutes,
                hours=settings.collect_hours,
                zone=settings.timezone,
                backup=settings.backup_at,
                retrain=settings.retrain_at,
            ),
            highlight=False,
        )
    with open_db() as db, db.session() as session:
        entries = agenda(
            session,
            start,
            end,
            publications=publications,
            override=override,
            settings=settings,
            everything=everything,
        )
    table = make_table("col.when", "col.job", "col.publication", "col.runs", "col.why", "col.state")
    for entry in entries:
        job = entry.job
        name = publications[job.publication].title if job.publication else ""
        table.add_row(
            job.at.strftime("%Y-%m-%d %H:%M"),
            t(f"job.{job.job}"),
            name,
            t("yes") if job.runs else t("no"),
            job.reason,
            entry.state,
            style=_STATE_STYLE[job.runs],
        )
    console.print(table)


# -- the roster ------------------------------------------------------------------------------


@roster_app.command("show")
def roster_show(
    first: Annotated[
        str | None, typer.Option("--from", help="第一天 YYYY-MM-DD（默认今天）")
    ] = None,
    last: Annotated[
        str | None, typer.Option("--to", help="最后一天 YYYY-MM-DD（默认两周后）")
    ] = None,
) -> None:
    """列出每天的值班编辑 (who is on duty each day)."""
    from jianbao.editions.issue_store import calendar_override
    from jianbao.jobs.calendar import day_info
    from jianbao.jobs.roster import duty_between

    settings = state.get_settings()
    start = parse_day(first, name="--from") or today()
    end = parse_day(last, name="--to") or start + timedelta(days=13)
    if end < start:
        raise InputError("--to 早于 --from", hint="--to 写最后一天")
    if (end - start).days > 366:
        raise InputError("一次最多列出一年", hint="缩短 --from 与 --to 之间的日期")
    override = calendar_override(settings)
    with open_db() as db, db.session() as session:
        rows = duty_between(session, start, end, override)
    table = make_table("col.date", "col.day", "col.duty", "col.contact", "col.why")
    for day, person in rows:
        info = day_info(day, override)
        contact = "、".join(x for x in (person.channel, person.email) if x) if person else ""
        table.add_row(
            f"{day.isoformat()} {_weekday(day)}",
            info.reason,
            person.name if person else "—",
            contact,
            person.reason if person else "",
            style="" if info.working else "dim",
        )
    console.print(table)


@roster_app.command("import")
def roster_import(
    path: Annotated[Path, typer.Argument(help="值班表文件（.csv 或 .toml）")],
    unit: Annotated[
        str | None, typer.Option("--unit", help="轮值方式：week（每人一周）或 day（每人一天）")
    ] = None,
    start: Annotated[str | None, typer.Option("--start", help="轮值起始日期 YYYY-MM-DD")] = None,
) -> None:
    """导入值班表：按文件中的顺序轮值 (import the people on duty, in turn)."""
    from jianbao.jobs.roster import import_roster
    from jianbao.jobs.roster_file import read_roster_file

    channels = state.get_settings().channels
    roster = read_roster_file(path, set(channels) if channels else None)
    rotation_unit = unit or roster.unit
    rotation_start = parse_day(start, name="--start") or roster.start
    if unit is not None and start is None and roster.start is None:
        raise InputError("给了 --unit 却没有 --start", hint="加 --start 2026-12-07")
    with open_db() as db, db.session() as session:
        notes = import_roster(session, roster.people, unit=rotation_unit, start=rotation_start)
    for note in notes:
        console.print(f"[yellow]{note}[/]", highlight=False)
    console.print(
        t(
            "roster.imported",
            count=len(roster.people),
            names="、".join(p.name for p in roster.people),
        )
    )


@roster_app.command("swap")
def roster_swap(
    a: Annotated[str, typer.Argument(help="一人")],
    b: Annotated[str, typer.Argument(help="另一人")],
    week: Annotated[
        str | None, typer.Option("--week", help="其中一人值班那周的任一天 YYYY-MM-DD")
    ] = None,
    day: Annotated[str | None, typer.Option("--day", help="其中一人值班的那天 YYYY-MM-DD")] = None,
) -> None:
    """两人对调值班：这一轮与另一人的下一轮互换 (exchange two people's turns)."""
    from jianbao.editions.issue_store import calendar_override
    from jianbao.jobs.roster import swap_duty

    if (week is None) == (day is None):
        raise InputError("用 --week 或 --day 之一指定哪一轮", hint="如 --week 2026-12-07")
    unit = "week" if week is not None else "day"
    when = parse_day(week or day, name=f"--{unit}")
    assert when is not None
    with open_db() as db, db.session() as session:
        first, second = swap_duty(
            session, a, b, when, unit=unit, override=calendar_override(state.get_settings())
        )
    console.print(t(f"roster.swapped_{unit}", a=a, b=b, first=first, second=second))


@roster_app.command("leave")
def roster_leave(
    name: Annotated[str, typer.Argument(help="请假的人")],
    first: Annotated[str, typer.Option("--from", help="第一天 YYYY-MM-DD")],
    last: Annotated[str, typer.Option("--to", help="最后一天 YYYY-MM-DD")],
) -> None:
    """登记请假：这些天由下一位代班 (record leave; the next in turn covers)."""
    from jianbao.jobs.roster import add_leave

    start = parse_day(first, name="--from")
    end = parse_day(last, name="--to")
    assert start is not None and end is not None
    with open_db() as db, db.session() as session:
        add_leave(session, name, start, end)
    console.print(t("roster.leave", name=name, first=start, last=end))


def _weekday(day: date) -> str:
    from jianbao.editions.dates import weekday_cn

    return weekday_cn(day) if state.get_settings().language == "zh" else day.strftime("%a")
