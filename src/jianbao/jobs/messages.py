"""The words the scheduled jobs say to people: the admins' notices and the notes kept on a
run, Chinese first with English when ``language = en`` (as :mod:`jianbao.i18n` keeps the
CLI's and the workstation's).

Kept beside the jobs rather than in the shared catalog so that a job's wording and the
code that decides when it is said change together.
"""

from __future__ import annotations

from typing import Any

from jianbao.config import Settings

#: key → (Chinese, English)
CATALOG: dict[str, tuple[str, str]] = {
    "editor.unreached.title": (
        "值班编辑 {editor} 未收到通知",
        "Duty editor {editor} was not reached",
    ),
    "editor.unreached.text": (
        "发往 {channel} 的通知未送达：{why}。请转告 {editor}：{title}——{text}",
        "The notice to {channel} was not delivered: {why}. Please pass it on to {editor}: "
        "{title} — {text}",
    ),
    "editor.unreached.bug": ("内部错误：{kind}", "internal error: {kind}"),
    "run.interrupted": (
        "运行中断：执行它的进程（{holder}）已退出",
        "Interrupted: the process that ran it ({holder}) is gone",
    ),
    "run.interrupted.title": ("有任务运行中断", "Jobs were interrupted"),
    "run.interrupted.text": (
        "以下任务在进程退出时未完成，已记为失败：{runs}。发送任务请在工作台核对各部分是否送达。",
        "These jobs did not finish when their process stopped and are recorded as failed: "
        "{runs}. For a send, check on the workstation which parts arrived.",
    ),
    "collect.busy": ("另一轮采集正在进行", "another collection cycle is running"),
    "channel.unknown": (
        "{where}指向的频道“{name}”不存在（已配置的频道：{known}）。改正名称，或在配置中加 "
        "[channels.{name}]",
        "{where} names the channel “{name}”, which is not configured (configured "
        "channels: {known}). Correct the name, or add [channels.{name}] to the configuration",
    ),
    "channel.off": (
        "{where}指向的频道“{name}”已停用：{reason}",
        "{where} names the channel “{name}”, which is switched off: {reason}",
    ),
    "channel.none": ("无", "none"),
    "channel.where.publication": (
        "刊物 {publication}（{title}）的 channels ",
        "The channels of publication {publication} ({title})",
    ),
    "channel.where.admin": ("admin_channel（管理员通知）", "admin_channel (the admins' notices)"),
    "channel.where.alerts": ("alert_channels（预警）", "alert_channels (alerts)"),
    "channel.where.roster": (
        "值班表中 {person} 的通知渠道",
        "The duty roster's channel of {person}",
    ),
    "channel.problems.title": (
        "配置中有 {count} 处频道名称无法发送",
        "{count} channel names in the configuration cannot be sent to",
    ),
    "late.failed.title": ("{title} 补发失败", "{title}: the late send failed"),
    "send.retrying.note": (
        "{error}；平台未接收，将于 {at} 自动重试",
        "{error}; not accepted by the platform, tried again at {at}",
    ),
    "send.retrying.title": (
        "{title}暂未发出，将自动重试",
        "{title} is not out yet and will be tried again",
    ),
    "send.retrying.text": (
        "{at} 的发送未被平台接收：{error}。宽限时间内（至 {until}）自动重试，已送达的部分"
        "不会重发；无需操作，仍不成功时会再通知。",
        "The send of {at} was not accepted: {error}. It is tried again until {until} (the "
        "grace period); parts already delivered are not sent again. Nothing to do: you are "
        "told again if it still fails.",
    ),
    "send.gave_up.note": (
        "{error}；宽限时间内（至 {until}）共发送 {tries} 次仍未成功",
        "{error}; still not accepted after {tries} tries within the grace period (until {until})",
    ),
    "send.gave_up.title": ("{title}发送失败", "{title}: the send failed"),
    "send.gave_up.text": (
        "{at} 的发送未能发出：{error}。请检查频道与网络后在工作台重发（已送达的部分不会重发）。",
        "The send of {at} did not go out: {error}. Check the channel and the network, then "
        "resend from the workstation (parts already delivered are not sent again).",
    ),
    "send.recovered.title": ("{title}已在重试时发出", "{title} went out on a retry"),
    "send.recovered.text": (
        "{at} 的发送此前未被平台接收，第 {tries} 次发送已发出：{delivery}",
        "The send of {at}, not accepted before, went out on try {tries}: {delivery}",
    ),
    "delivery.in_flight": (
        "（第 {parts} 部分正由另一进程发送）",
        " (part {parts} being sent by another process)",
    ),
    "list.separator": ("，", ", "),
    "tick.failed.title": (
        "日程出错：本轮任务没有执行，下一轮重试",
        "The schedule failed: this tick's jobs did not run; the next tick tries again",
    ),
    "tick.stale_file.title": (
        "{file} 读不出，日程沿用上次读出的版本",
        "{file} does not read; the schedule keeps the version it read last",
    ),
    "tick.library_calendar.title": (
        "{file} 读不出，日程暂按日历库自带的节假日数据",
        "{file} does not read; the schedule uses the calendar library's holidays meanwhile",
    ),
    "tick.stale_file.text": (
        "{error}。修正并保存后下一轮自动生效。",
        "{error}. Fix and save it: the next tick picks it up.",
    ),
    "tick.stale": (
        "调度由 {holder} 负责，但自 {since} 起没有完成一轮：查看日志与管理员通知",
        "{holder} holds the schedule but has not finished a tick since {since}: see the log "
        "and the admins' notices",
    ),
    "tick.unreadable_file": ("无法读取{what}：{error}", "Cannot read {what}: {error}"),
    "tick.unreadable_file.hint": (
        "检查文件路径与读取权限",
        "check the path and that the file may be read",
    ),
    "tick.source.tick": ("日程", "the schedule"),
    "tick.source.publications": ("刊物配置文件", "the publications file"),
    "tick.source.calendar": ("节假日补充文件", "the holiday file"),
}


def say(settings: Settings | str, key: str, **values: Any) -> str:
    """``key``'s text in the settings' language (a language code works too)."""
    language = settings if isinstance(settings, str) else settings.language
    return CATALOG[key][0 if language == "zh" else 1].format(**values)
