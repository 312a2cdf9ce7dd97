"""User-facing strings of the CLI in Chinese (the default) and English.

One table keyed by message id; ``Messages(lang)`` looks them up and fills in values.
A missing key is a programming error and fails loudly in tests (test_i18n checks both
languages carry every key).
"""

from __future__ import annotations

from typing import Any

CATALOG: dict[str, tuple[str, str]] = {
    "error": ("错误：{text}", "Error: {text}"),
    "unexpected": (
        "内部错误：{text}（加 --debug 查看详情）",
        "Internal error: {text} (add --debug for details)",
    ),
    "init.done": ("已初始化：数据库 {db}", "Initialised: database {db}"),
    "sources.added": ("已添加来源：{name}（{kind}）{url}", "Source added: {name} ({kind}) {url}"),
    "sources.removed": ("已删除来源：{name}", "Source removed: {name}"),
    "sources.none": (
        "还没有来源。用 jianbao sources add 名称 URL 添加。",
        "No sources yet. Add one with: jianbao sources add NAME URL",
    ),
    "sources.imported": (
        "已导入来源 {added} 个，跳过已有的 {skipped} 个",
        "{added} sources imported, {skipped} already present",
    ),
    "probe.kind": ("类型：{kind}，发现链接 {count} 条", "Kind: {kind}, {count} links found"),
    "probe.article": (
        "第一篇：{title}｜{date}｜来源：{source}｜正文 {chars} 字",
        "First article: {title} | {date} | source: {source} | {chars} characters",
    ),
    "probe.failed": ("第一篇抽取失败：{error}", "First article failed: {error}"),
    "col.week_rate": ("本周日均", "Per day (week)"),
    "col.usual_rate": ("平时日均", "Per day (usual)"),
    "col.flags": ("状态", "Status"),
    "health.ok": ("正常", "ok"),
    "health.new": ("尚未成功", "not yet fetched"),
    "health.empty": ("从无文章", "no articles"),
    "health.quiet": ("沉寂", "quiet"),
    "health.failing": ("连续失败", "failing"),
    "health.dead": ("已失效", "dead"),
    "users.added": ("已添加账号：{name}（{role}）", "Account added: {name} ({role})"),
    "users.passwd": ("已修改 {name} 的密码", "Password of {name} changed"),
    "users.removed": ("已删除账号：{name}", "Account removed: {name}"),
    "users.password": ("密码", "Password"),
    "users.password_again": ("再输一次密码", "Password again"),
    "serve.at": ("工作台已启动：{url}（Ctrl+C 停止）", "Workstation at {url} (Ctrl+C stops it)"),
    "run.web": (
        "日程已启动，工作台：{url}（Ctrl+C 或 SIGTERM 停止）",
        "Schedule running, workstation at {url} (Ctrl+C or SIGTERM stops it)",
    ),
    "run.no_web": (
        "日程已启动（未开工作台；Ctrl+C 或 SIGTERM 停止）",
        "Schedule running without the workstation (Ctrl+C or SIGTERM stops it)",
    ),
    "run.log": ("日志：{path}", "Log: {path}"),
    "run.stopped": ("已停止。", "Stopped."),
    "worker.start": (
        "任务进程启动：队列 {queues}，并行 {concurrency}（Ctrl+C 或 SIGTERM 在当前任务完成后停止）",
        "Worker starting: queues {queues}, concurrency {concurrency} "
        "(Ctrl+C or SIGTERM stops it after the tasks in hand)",
    ),
    "worker.alive": ("任务进程 {name} 正常应答", "Worker {name} answers"),
    "beat.alive": ("调度租约由 {holder} 持有", "The scheduler lease is held by {holder}"),
    "beat.problems": (
        "修正后下一轮自动生效；日志与管理员通知渠道有详情",
        "fixed files are read at the next tick; the log and the admins' channel say more",
    ),
    "beat.start": (
        "调度（beat）启动：{holder}；持有调度租约时按日程派发任务，否则待命",
        "Beat starting: {holder}; fires the schedule while it holds the lease, else waits",
    ),
    "col.user": ("用户名", "Username"),
    "col.role": ("角色", "Role"),
    "search.rebuilt": ("已重建全文索引：{count} 篇", "Search index rebuilt: {count} articles"),
    "search.none": ("没有找到包含“{query}”的文章。", "No article contains {query!r}."),
    "col.snippet": ("摘录", "Excerpt"),
    "model.trained": (
        "已训练相关性模型第 {version} 版：{items} 条（采用 {positives} 条）",
        "Relevance model version {version} trained on {items} items ({positives} accepted)",
    ),
    "model.features": ("最能说明相关的特征：{words}", "Strongest relevant features: {words}"),
    "model.categories_trained": (
        "类别模型已训练：{items} 条（其中编辑改定 {corrections} 条），类别：{categories}",
        "Category model trained: {items} items ({corrections} corrected by editors), "
        "categories: {categories}",
    ),
    "model.skipped": ("未训练：{reason}", "Not trained: {reason}"),
    "model.retrained": (
        "已积累足够的新处理记录，模型已自动重新训练：",
        "Enough new decisions: the models were retrained:",
    ),
    "model.not_retrained": (
        "已积累足够的新处理记录，但模型暂不能重新训练：",
        "Enough new decisions, but the models cannot be retrained yet:",
    ),
    "candidates.reading_of": ("解读：《{name}》", "Reading of 《{name}》"),
    "model.rolled_back": ("已退回相关性模型第 {version} 版", "Back to model version {version}"),
    "decided": ("已记录：文章 {id} {action}", "Recorded: article {id} {action}"),
    "action.accept": ("采用", "accepted"),
    "action.reject": ("拒绝", "rejected"),
    "col.name": ("名称", "Name"),
    "col.kind": ("类型", "Kind"),
    "col.url": ("地址", "URL"),
    "col.enabled": ("启用", "Enabled"),
    "col.last_success": ("上次成功", "Last success"),
    "col.failures": ("连续失败", "Failures"),
    "col.last_error": ("最近错误", "Last error"),
    "col.id": ("编号", "ID"),
    "col.rank": ("排序分", "Rank"),
    "col.date": ("日期", "Date"),
    "col.source": ("来源", "Source"),
    "col.title": ("标题", "Title"),
    "col.category": ("类别", "Category"),
    "col.outlets": ("媒体数", "Outlets"),
    "col.why": ("理由", "Why"),
    "col.kind_issue": ("刊物", "Publication"),
    "col.number": ("期号", "No."),
    "col.status": ("状态", "Status"),
    "col.items": ("条数", "Items"),
    # -- schedule and roster (cli/schedule.py) --
    "col.when": ("时间", "When"),
    "col.job": ("任务", "Job"),
    "col.publication": ("刊物", "Publication"),
    "col.runs": ("运行", "Runs"),
    "col.state": ("状态", "State"),
    "col.day": ("日子", "Day"),
    "col.duty": ("值班", "On duty"),
    "col.contact": ("联系", "Contact"),
    "yes": ("是", "yes"),
    "no": ("否", "no"),
    "job.collect": ("采集", "collect"),
    "job.draft": ("生成草稿", "draft"),
    "job.send": ("发送", "send"),
    "job.backup": ("备份", "backup"),
    "job.retrain": ("重新训练", "retrain"),
    "job.calendar_check": ("日历检查", "calendar check"),
    "schedule.calendar": ("日历：", "Calendar: "),
    "schedule.routine": (
        "每天：采集每 {every} 分钟（{hours}，{zone}，节假日照常）；{backup} 备份；"
        "{retrain} 视新增编辑决定重新训练",
        "Every day: collection every {every} minutes ({hours}, {zone}, holidays included); "
        "backup at {backup}; retraining at {retrain} when enough new decisions came in",
    ),
    "roster.imported": (
        "已导入值班表 {count} 人，依次轮值：{names}",
        "Roster imported, {count} people on duty in turn: {names}",
    ),
    "roster.swapped_week": (
        "已对调：{first} 起的一周与 {second} 起的一周（{a} ⇄ {b}）",
        "Swapped: the week from {first} and the week from {second} ({a} ⇄ {b})",
    ),
    "roster.swapped_day": (
        "已对调：{first} 与 {second} 的值班（{a} ⇄ {b}）",
        "Swapped: duty on {first} and on {second} ({a} ⇄ {b})",
    ),
    "roster.leave": (
        "已登记：{name} {first} 至 {last} 请假，由下一位代班",
        "Recorded: {name} is away {first} to {last}; the next in turn covers",
    ),
    "issue.day_off": (
        "[yellow]注意：{day} 是{reason}，不是工作日，每日播报通常不出[/]",
        "[yellow]Note: {day} is not a working day ({reason}); the daily is usually not made[/]",
    ),
    "issue.beyond_calendar": (
        "[yellow]注意：{reason}；请在节假日补充文件（calendar_file）中写入该年的安排[/]",
        "[yellow]Note: {reason} (the holiday data does not cover this year); add the year's "
        "schedule to the calendar file (calendar_file)[/]",
    ),
    "collect.progress": ("采集中", "Collecting"),
    "collect.summary": (
        "采集完成：来源 {sources} 个（失败 {failed}，未更新 {not_modified}），"
        "发现链接 {links} 条，新文章 {new} 篇（相关 {relevant}），"
        "已有 {known} 篇，内容重复 {same} 篇，错误 {errors} 个",
        "Collection done: {sources} sources ({failed} failed, {not_modified} unchanged), "
        "{links} links, {new} new articles ({relevant} relevant), {known} known, "
        "{same} duplicate content, {errors} errors",
    ),
    "collect.errors_head": ("错误明细：", "Errors:"),
    "candidates.none": (
        "{start} 至 {end} 没有候选文章。",
        "No candidates between {start} and {end}.",
    ),
    "issue.created": (
        "已创建{kind}草稿 #{id}：{title}{number}，{count} 条",
        "Draft #{id} created ({kind}): {title}{number}, {count} items",
    ),
    "issue.changed": ("已更新 #{id}，现有 {count} 条", "Issue #{id} updated: {count} items"),
    "issue.opened": (
        "这一时段已有{kind} #{id}：{title}{number}，{count} 条（未新建）",
        "This period already has {kind} #{id}: {title}{number}, {count} items (none created)",
    ),
    "issue.provisional": ("暂定", "provisional"),
    "issue.delete_confirm": (
        "删除草稿 #{id}（{title}，{count} 条）？其条目与改动一并删除",
        "Delete draft #{id} ({title}, {count} items)? Its items and edits go with it",
    ),
    "issue.deleted": (
        "已删除草稿 #{id}；后面的草稿接续其期号",
        "Draft #{id} deleted; later drafts take its number",
    ),
    "issue.kept": ("未删除。", "Nothing deleted."),
    "issue.written": ("已生成：{path}", "Written: {path}"),
    "issue.none": ("还没有任何一期。", "No issues yet."),
    "issue.published": ("已发布 #{id}", "Issue #{id} published"),
    "issue.revised": (
        "已为 #{id} 建立更正稿 #{new}（第 {rev} 版）",
        "Correction #{new} (revision {rev}) of #{id} created",
    ),
    "issue.revising": (
        "#{id} 已有更正稿 #{new}（第 {rev} 版，草稿），未再建立：请修改它",
        "#{id} already has a correction draft #{new} (revision {rev}); none made: edit that one",
    ),
    "kind.daily": ("每日播报", "daily"),
    "kind.weekly": ("周报", "weekly"),
    "kind.monthly": ("月报", "monthly"),
    "status.draft": ("草稿", "draft"),
    "status.published": ("已发布", "published"),
    "demo.serving": ("演示网站已启动：{url}", "Demo site serving at {url}"),
    "demo.sources": ("已登记演示来源 {count} 个", "{count} demo sources registered"),
    "demo.done": ("演示完成，报告已写入：", "Demo done; reports written:"),
    "demo.look": (
        "在工作台中查看演示数据：jianbao demo --serve"
        "（或 JIANBAO_DATA_DIR={folder} jianbao serve）",
        "To look at the demo in the workstation: jianbao demo --serve "
        "(or JIANBAO_DATA_DIR={folder} jianbao serve)",
    ),
    "demo.workstation": (
        "演示工作台：{url}　账号 {user}　密码 {password}（Ctrl+C 停止）",
        "Demo workstation at {url}: user {user}, password {password} (Ctrl+C stops it)",
    ),
    # -- delivery (cli/deliver.py) --
    "col.address": ("地址", "Address"),
    "col.issue": ("期", "Issue"),
    "col.channel": ("频道", "Channel"),
    "col.purpose": ("用途", "Purpose"),
    "col.round": ("轮次", "Round"),
    "col.part": ("部分", "Part"),
    "col.attempts": ("尝试", "Attempts"),
    "col.time": ("时间", "Time"),
    "col.answer": ("平台回答／原因", "Answer / reason"),
    # alerts 预警 (issue 18)
    "alerts.none": ("没有预警。", "No alerts."),
    "alerts.checked": (
        "已判断 {judged} 篇新文章，新预警 {fired} 条，已发送 {sent} 条，发送失败 {failed} 条",
        "{judged} new articles judged, {fired} new alerts, {sent} sent, {failed} failed",
    ),
    "alerts.handled": ("预警 {id} 已标记为{state}", "Alert {id} marked {state}"),
    "alerts.unconfirmed": (
        "预警 {id} 未确认送达（{channels}）：已发出但未得到平台确认（中断或应答超时），"
        "群内可能已收到，不会自动重发；请查看群内是否已收到，"
        "未收到时用 jianbao alerts resend {id} 重发",
        "Alert {id} unconfirmed on {channels}: sent but never confirmed (interrupted or"
        " answered too late), it may have arrived and is not sent again by itself — check the"
        " group, and if it is not there: jianbao alerts resend {id}",
    ),
    "alerts.not_delivered": ("预警 {id} 未送达：{error}", "Alert {id} not delivered: {error}"),
    "alerts.resent": (
        "预警 {id} 已送达全部预警频道",
        "Alert {id} delivered to every alert channel",
    ),
    "alerts.in_flight": (
        "预警 {id} 在 {channels} 的发送不到五分钟前开始，可能仍在进行，请稍后再重发",
        "Alert {id}: the send to {channels} began less than five minutes ago and may still be"
        " under way; resend later",
    ),
    "alerts.marked": (
        "已记录文章 {id} 的风险标记：{value}",
        "Risk mark recorded on article {id}: {value}",
    ),
    "rejudge.progress": ("重新判断", "Re-judging"),
    "rejudge.nothing": (
        "没有需要重新判断的文章（{current} 篇已由当前规则判断；加 --all 全部重判）",
        "Nothing to re-judge ({current} articles already judged by today's judge; "
        "--all re-judges them all)",
    ),
    "rejudge.done": (
        "已重新判断 {judged} 篇，其中 {changed} 篇有变化",
        "Re-judged {judged} articles, {changed} of them changed",
    ),
    "rejudge.dry": (
        "试运行：判断了 {judged} 篇，{changed} 篇会有变化（未写入）",
        "Dry run: judged {judged} articles, {changed} would change (nothing written)",
    ),
    "rejudge.counts": (
        "变为相关 {relevant}，变为不相关 {irrelevant}（另有编辑已选用、保持相关 {kept}）；"
        "进入范围 {gained}，移出范围 {lost}；类别 {category}，情感 {sentiment}，"
        "风险 {risk}，签名 {signature}",
        "became relevant {relevant}, became irrelevant {irrelevant} (and {kept} picked by "
        "editors, kept relevant); entered a scope {gained}, left one {lost}; category "
        "{category}, sentiment {sentiment}, risk {risk}, signature {signature}",
    ),
    "stories.split": (
        "文章 {id} 已拆为单独一条（报道 {story}）",
        "Article {id} split off into a story of its own (story {story})",
    ),
    "stories.merged": (
        "文章 {id} 与 {other} 已合为一条（报道 {story}）",
        "Articles {id} and {other} are now one story (story {story})",
    ),
    "alerts.rule_saved": ("已保存预警规则：{name}", "Alert rule saved: {name}"),
    "alerts.rule_removed": ("已删除预警规则：{name}", "Alert rule removed: {name}"),
    "alerts.dry_run": (
        "该规则在过去 {days} 天会触发 {count} 次：",
        "This rule would have fired {count} times in the last {days} days:",
    ),
    "alerts.builtin": ("内置", "built-in"),
    "col.level": ("级别", "Level"),
    "col.reasons": ("原因", "Why"),
    "col.expression": ("表达式", "Expression"),
    "channels.none": (
        "还没有配置频道。在配置文件中加 [channels.名称]（见 README「推送频道」）。",
        "No channels configured. Add [channels.NAME] to the configuration (see README).",
    ),
    "channels.on": ("可用", "enabled"),
    "channels.off": ("停用：{reason}", "off: {reason}"),
    "channels.test_title": ("jianbao 测试消息", "jianbao test message"),
    "channels.test_text": (
        "这是频道「{name}」的测试消息，收到即说明配置正确。",
        "A test message of channel {name}: if you read this, it is set up right.",
    ),
    "channels.test_ok": ("已发送测试消息到 {name}", "Test message sent to {name}"),
    "channels.test_failed": ("{name} 测试失败：{reason}", "{name} test failed: {reason}"),
    "send.preview": ("#{id} 作为预览发送：", "#{id} sent as a preview:"),
    "send.sent": ("{channel}：已发送 {sent}/{total} 部分", "{channel}: {sent}/{total} parts sent"),
    "send.before": ("（其中 {count} 部分此前已发送，未重发）", " ({count} sent before, not again)"),
    "send.failed": ("第 {part} 部分失败：{reason}", "part {part} failed: {reason}"),
    "send.waiting": (
        "其后 {count} 部分未发送，排除故障后再运行同一命令接着发",
        "{count} later parts not sent; run the same command again once fixed",
    ),
    "send.unconfirmed": (
        "第 {parts} 部分发出后未得到平台确认（中断或应答超时），平台多半已收到，未重发；"
        "确认群里没有后加 --resend-unconfirmed 重发",
        "part {parts} was sent but never confirmed (interrupted or answered too late) and most "
        "likely arrived, so it was not sent again; if the group lacks it, add --resend-unconfirmed",
    ),
    "send.in_flight": (
        "第 {parts} 部分正由另一进程发送，或 5 分钟内刚中断：未动它，该频道其后的部分也暂不发；"
        "稍后再运行同一命令",
        "part {parts} is being sent by another process, or was interrupted less than 5 "
        "minutes ago: left alone, with this channel's later parts; run the command again later",
    ),
    "send.state.in_flight": ("发送中", "in flight"),
    "send.skipped": ("{channel}：未发送：{reason}", "{channel}: not sent: {reason}"),
    "send.state.pending": ("待发送", "pending"),
    "send.state.sending": ("发送中／未确认", "sending / unconfirmed"),
    "send.state.sent": ("已发送", "sent"),
    "send.state.failed": ("失败", "failed"),
    "send.state.skipped": ("此前已发送", "sent before"),
    "send.state.unconfirmed": ("未确认", "unconfirmed"),
    "purpose.issue": ("发布", "issue"),
    "purpose.preview": ("预览", "preview"),
    "purpose.notice": ("通知", "notice"),
    "purpose.alert": ("预警", "alert"),
    "deliveries.none": ("还没有发送记录。", "Nothing has been sent yet."),
    # -- archive import (cli/archive.py) --
    "archive.progress": ("导入中", "Importing"),
    "archive.none": (
        "没有找到可导入的文件（{suffixes}）",
        "No importable files found ({suffixes})",
    ),
    "archive.status.imported": ("已导入", "imported"),
    "archive.status.unchanged": ("未变", "unchanged"),
    "archive.status.conflict": ("冲突", "conflict"),
    "archive.status.failed": ("失败", "failed"),
    "archive.summary": (
        "共 {files} 个文件：导入 {imported}，未变 {unchanged}，冲突 {conflict}，失败 {failed}；"
        "新增 {issues} 期、{items} 条",
        "{files} files: {imported} imported, {unchanged} unchanged, {conflict} conflicts, "
        "{failed} failed; {issues} issues and {items} items added",
    ),
    "archive.findings": ("检查提示 {count} 项", "{count} checker findings"),
    "col.file": ("文件", "File"),
    "col.result": ("结果", "Result"),
    "col.detail": ("说明", "Detail"),
    "col.issues_imported": ("期次", "Issues"),
}


class Messages:
    """Looks up CATALOG entries in one language."""

    def __init__(self, lang: str = "zh"):
        self.index = 0 if lang == "zh" else 1

    def __call__(self, key: str, **values: Any) -> str:
        return CATALOG[key][self.index].format(**values)
