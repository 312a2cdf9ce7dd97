"""The job functions: plain functions the embedded runner (``jianbao run``) calls, and that
a Celery deployment calls the same way.

Each takes the store and the settings and returns a :class:`JobResult` (outcome and what
it did) or raises a :class:`~jianbao.errors.JianbaoError` the runner records as a failed
run. What decides *when* a job runs lives in ``jianbao.jobs.due``; what decides whether a
missed job is still made lives in the runner. Here:

- :func:`collect_cycle` and :func:`collect_urls`: one collection cycle over the due
  sources, or pasted article URLs, through ``jianbao.pipeline`` as ``jianbao collect``;
- :func:`make_draft`: the day's draft of a publication filled with the top candidates
  (the daily covers the days since the previous broadcast, so Monday's covers the
  weekend), and the duty editor told on their own channel with a link to the composer;
- :func:`send_publication`: the issue sent if the editor published it; else the editor
  reminded and the day marked late — or, when the publication sets ``auto_send``,
  checked, published and sent (checker errors block it);
- :func:`retrain_models`: the learned models retrained when enough new decisions came
  in (the daily backup is :mod:`jianbao.jobs.backup`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.models import Decision, Issue
from jianbao.db.models import Publication as PublicationRow
from jianbao.db.session import Database
from jianbao.deliver.send import DeliveryReport
from jianbao.errors import DeliveryError, IssueConflict, IssueError, JianbaoError
from jianbao.installation import workstation_url
from jianbao.jobs.messages import say
from jianbao.jobs.orphans import Liveness, close_orphaned_runs, running_collection, this_process
from jianbao.jobs.runs import NoticeFn, RunKey, claim_run, finish_run, notify_admins, update_detail
from jianbao.pipeline import CycleReport, Pipeline, ProgressFn

log = logging.getLogger("jianbao.jobs")


@dataclass
class JobResult:
    """How a job ended: ``outcome`` (ok, skipped, late, failed) and what it did."""

    outcome: str = "ok"
    detail: dict[str, Any] = field(default_factory=dict)
    error: str | None = None


class Stopped(JianbaoError):
    """The service is stopping: the job gave up between two articles."""

    stage = "jobs"


# -- notices ---------------------------------------------------------------------------


def notice_sender(db: Database, settings: Settings) -> NoticeFn:
    """Sends a notice to a named channel through jianbao.deliver; raises a DeliveryError
    naming the channel when the platform refused it."""

    def send(channel: str, title: str, text: str, url: str) -> None:
        from jianbao.deliver.base import Notice
        from jianbao.deliver.send import send_notice

        results = send_notice(db, settings, channel, Notice(title=title, text=text, url=url))
        refused = [result for result in results if not result.ok]
        if refused or not results:
            reason = refused[0].error or refused[0].answer if refused else "没有发出任何消息"
            raise DeliveryError(
                f"通知未送达：{reason}", item=f"channels.{channel}", hint="检查该渠道的配置"
            )

    return send


# -- collection ------------------------------------------------------------------------


async def _until_stopped(work: Any, stop: threading.Event | None) -> Any:
    """Await ``work``; when ``stop`` is set, cancel it at its next await. Each article is
    stored in one synchronous transaction, so the one in hand is finished, and the next
    cycle fetches what was left."""
    task = asyncio.ensure_future(work)
    while not task.done():
        if stop is not None and stop.is_set():
            task.cancel()
            try:
                await task
            except asyncio.CancelledError:
                raise Stopped(
                    "服务停止，本轮采集已中断", hint="下一轮采集会补上未采的文章"
                ) from None
        await asyncio.wait({task}, timeout=0.2)
    return task.result()


def collect_cycle(
    db: Database,
    settings: Settings,
    *,
    progress: ProgressFn | None = None,
    stop: threading.Event | None = None,
    run_id: int | None = None,
) -> JobResult:
    """One collection cycle over the sources whose poll interval has passed. With
    ``run_id``, its progress is written on that run as 立即采集's is (the due sources are
    then picked here, to know the total), so a click on 立即采集 during a scheduled cycle
    shows this cycle moving."""
    names = due_sources(db) if run_id is not None else []
    if run_id is not None:
        progress = RunProgress(db, run_id, len(names), also=progress)
    pipeline = Pipeline(settings, db, progress=progress)
    # the names when known (an empty list would mean every source)
    cycle = pipeline.run_cycle(names) if names else pipeline.run_cycle(only_due=True)
    report: CycleReport = asyncio.run(_until_stopped(cycle, stop))
    return JobResult("ok", cycle_detail(report, settings.language))


def due_sources(db: Database) -> list[str]:
    """The enabled sources due now, by name (what ``run_cycle(only_due=True)`` visits)."""
    from jianbao.db import store

    now = datetime.now(UTC)
    with db.session() as session:
        return [
            row.name
            for row in store.list_sources(session, enabled_only=True)
            if store.source_is_due(session, row, now)
        ]


class RunProgress:
    """A cycle's progress events counted into its run's detail (sources done of total,
    articles stored, errors) for the workstation to poll; a few writes a second at most."""

    def __init__(
        self, db: Database, run_id: int, total: int, *, also: ProgressFn | None = None
    ) -> None:
        self.db = db
        self.run_id = run_id
        self.also = also
        self.counts: dict[str, Any] = {"total": total, "done": 0, "articles": 0, "failed": 0}
        self._written = 0.0
        update_detail(db, run_id, self.counts)

    def __call__(self, event: str, detail: str) -> None:
        if self.also is not None:
            self.also(event, detail)
        key = {"source_done": "done", "article": "articles", "error": "failed"}.get(event)
        if key is None:
            return
        self.counts[key] += 1
        clock = time.monotonic()
        if event == "source_done" or clock - self._written > 0.5:
            self._written = clock
            update_detail(self.db, self.run_id, self.counts)


#: the manual cycles running in this process: run id → their stop event and thread
_manual: dict[int, tuple[threading.Event, threading.Thread]] = {}
_manual_lock = threading.Lock()
_starting = threading.Lock()


def manual_runs_here() -> set[int]:
    """Ids of the 立即采集 cycles whose thread runs in this process now."""
    with _manual_lock:
        return {run_id for run_id, (_stop, thread) in _manual.items() if thread.is_alive()}


def liveness(db: Database, now: datetime, *, lease_holder: str | None = None) -> Liveness:
    """Who may still be running, seen from this process (its manual cycles included)."""
    return Liveness.of(
        db, now, manual_runs_here(), claiming=_starting.locked(), lease_holder=lease_holder
    )


def stop_manual_collections(timeout: float = 30.0) -> None:
    """Ask this process's 立即采集 cycles to stop (each finishes the article in hand and is
    recorded as skipped, as a scheduled cycle is) and wait up to ``timeout`` seconds.
    ``jianbao run`` calls it when it stops; a web-only process's shutdown should too."""
    with _manual_lock:
        running = list(_manual.values())
    for stop, _thread in running:
        stop.set()
    deadline = time.monotonic() + timeout
    for _stop, thread in running:
        thread.join(max(0.0, deadline - time.monotonic()))


def collect_now(
    db: Database,
    settings: Settings,
    *,
    by: str,
    now: datetime | None = None,
    stop: threading.Event | None = None,
) -> int:
    """Start one collection cycle over every enabled source now (the workstation's
    立即采集) on a thread of its own; returns its run's id, whose ``detail`` carries the
    progress (sources done of total, articles stored, errors) for the page to poll.

    A collection already running — another click's, or the scheduled cycle — is returned
    instead of a second: two cycles side by side would each visit every host with its own
    per-host gates, doubling what a site sees. A run left ``running`` by a process that
    is gone (a restart mid-cycle) is first recorded as interrupted, so it neither blocks
    the button nor shows a box that never moves. ``stop`` (or
    :func:`stop_manual_collections`) ends the cycle at its next article.
    """
    with _starting:  # one click at a time here: a row claimed but not yet registered
        return _start_collection(db, settings, by=by, now=now, stop=stop)  # is not "dead"


def _start_collection(
    db: Database,
    settings: Settings,
    *,
    by: str,
    now: datetime | None,
    stop: threading.Event | None,
) -> int:
    from jianbao.db.models import Source

    moment = now or datetime.now(UTC)
    seen = Liveness.of(db, moment, manual_runs_here())  # this process's claim is ours
    close_orphaned_runs(
        db,
        seen,
        reason=lambda run: say(settings, "run.interrupted", holder=run.holder),
        which=lambda run: run.job == "collect",
    )
    running = running_collection(db, seen)
    if running is not None:
        return running
    with db.session() as session:
        total = session.scalar(select(func.count(Source.id)).where(Source.enabled)) or 0
    run_id = claim_run(db, RunKey("collect", "", moment), now=moment, holder=f"web:{by}")
    if run_id is None:  # two clicks in the same microsecond
        later = moment + timedelta(microseconds=1)
        return _start_collection(db, settings, by=by, now=later, stop=stop)
    update_detail(db, run_id, {"manual": True, **this_process()})
    stop = stop or threading.Event()
    earlier = running_collection(db, Liveness.of(db, moment, manual_runs_here()), before=run_id)
    if earlier is not None:  # another starter claimed first: it runs, this one steps back
        finish_run(db, run_id, "skipped", now=moment, error=say(settings, "collect.busy"))
        return earlier
    progress = RunProgress(db, run_id, total)

    def cycle() -> None:
        try:
            pipeline = Pipeline(settings, db, progress=progress)
            report = asyncio.run(_until_stopped(pipeline.run_cycle(only_due=False), stop))
        except Stopped as exc:
            finish_run(db, run_id, "skipped", now=datetime.now(UTC), error=exc.message)
            return
        except Exception as exc:
            log.exception("立即采集失败")
            finish_run(db, run_id, "failed", now=datetime.now(UTC), error=str(exc))
            return
        finally:
            with _manual_lock:
                _manual.pop(run_id, None)
        finish_run(
            db,
            run_id,
            "ok",
            now=datetime.now(UTC),
            detail={**progress.counts, **cycle_detail(report, settings.language)},
        )

    thread = threading.Thread(target=cycle, name=f"collect-now-{run_id}", daemon=True)
    with _manual_lock:
        _manual[run_id] = (stop, thread)
    thread.start()
    return run_id


def collect_urls(
    db: Database,
    settings: Settings,
    urls: list[str],
    *,
    progress: ProgressFn | None = None,
) -> CycleReport:
    """Fetch and store article URLs a person pasted (WeChat articles included), at once."""
    pipeline = Pipeline(settings, db, progress=progress)
    return asyncio.run(pipeline.ingest_urls(urls))


def cycle_detail(report: CycleReport, language: str = "zh") -> dict[str, Any]:
    return {
        "sources": report.sources,
        "sources_failed": report.sources_failed,
        "articles_new": report.articles_new,
        "relevant_new": report.relevant_new,
        "errors": report.errors[:20],
        "summary": report.summary(language),
    }


# -- the duty editor -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Editor:
    """Who is on duty, and the channel that reaches them ('' when none is set)."""

    name: str
    channel: str = ""


def duty_editor_of(session: Session, settings: Settings, day: date) -> Editor | None:
    """The roster's duty editor for ``day`` (jianbao.jobs.roster), or None when no roster
    is kept."""
    from jianbao.editions.issue_store import calendar_override
    from jianbao.jobs.roster import duty_editor

    person = duty_editor(session, day, calendar_override(settings))
    if person is None:
        return None
    return Editor(name=person.name, channel=person.channel or "")


def _tell_editor(
    settings: Settings,
    notify: NoticeFn | None,
    editor: Editor | None,
    title: str,
    text: str,
    url: str,
) -> dict[str, Any]:
    """Tell the duty editor on their own channel; what happened, for the run's detail.

    Never raises. The reminder is a courtesy around the job, not the job: a refused robot
    or a roster channel that names no configured channel must not turn a draft already
    made into a failed run, nor a ``late`` send into a failed one (the late follow-up
    only looks at ``late`` runs, so the issue would then never go out once published).
    What could not be said is kept on the run and passed to the admins' channel instead,
    so that someone tells the editor."""
    if editor is None:
        return {"editor": "", "editor_told": False, "editor_note": "未排值班表"}
    detail: dict[str, Any] = {"editor": editor.name, "editor_told": False}
    if not editor.channel:
        detail["editor_note"] = f"{editor.name} 未设置通知渠道"
        return detail
    if notify is None:
        detail["editor_note"] = "通知功能未启用"
        return detail
    try:
        notify(editor.channel, title, text, url)
    except JianbaoError as exc:  # refused, or the channel is unknown (NotConfigured)
        why = str(exc)
    except Exception as exc:  # a bug in a channel: the traceback in the log
        log.exception("通知值班编辑 %s 出错", editor.name)
        why = say(settings, "editor.unreached.bug", kind=type(exc).__name__)
    else:
        detail["editor_told"] = True
        return detail
    detail["editor_note"] = why
    detail["admins_told"] = notify_admins(
        settings,
        notify,
        say(settings, "editor.unreached.title", editor=editor.name),
        say(
            settings,
            "editor.unreached.text",
            channel=editor.channel,
            why=why,
            editor=editor.name,
            title=title,
            text=text,
        ),
        url,
    )
    return detail


# -- drafts ----------------------------------------------------------------------------


def issue_of_day(
    session: Session, publication_id: int, day: date, *, published: bool = False
) -> Issue | None:
    """The newest issue (highest revision) of a publication dated ``day``; with
    ``published``, the newest published one (a correction draft opened after publishing
    is a newer revision that must not hide it)."""
    query = select(Issue).where(Issue.publication_id == publication_id, Issue.issue_date == day)
    if published:
        query = query.where(Issue.status == "published")
    return session.scalar(query.order_by(Issue.revision.desc(), Issue.id.desc()).limit(1))


def make_draft(
    db: Database, settings: Settings, key: str, day: date, *, notify: NoticeFn | None
) -> JobResult:
    """The day's draft of publication ``key`` (made once: an issue of that day already
    there is kept), and the duty editor told with a link to the composer."""
    from jianbao.editions.issue_store import get_publication, new_issue

    with db.session() as session:
        publication = get_publication(session, settings, key)
        issue = issue_of_day(session, publication.id, day)
        created = issue is None
        if issue is None:
            issue = new_issue(session, settings, key, day)
        issue_id, items, title = issue.id, len(issue.items), publication.title
        editor = duty_editor_of(session, settings, day)
    detail: dict[str, Any] = {"issue": issue_id, "items": items, "created": created}
    url = workstation_url(settings, f"/issues/{issue_id}")
    text = (
        f"{day.isoformat()} 的《{title}》草稿已生成，自动填入 {items} 条候选，请审阅、修改后发布。"
    )
    detail.update(_tell_editor(settings, notify, editor, f"{title}草稿待审", text, url))
    return JobResult("ok", detail)


# -- sending ---------------------------------------------------------------------------


def send_publication(
    db: Database,
    settings: Settings,
    key: str,
    day: date,
    *,
    notify: NoticeFn | None,
    auto_send: bool = False,
) -> JobResult:
    """Send the day's issue of ``key`` if the editor published it. A draft is never sent:
    the editor is reminded and the run is ``late`` — unless ``auto_send``, where the
    issue is checked, published and sent, and checker errors block it (a failure).

    The published issue is looked up first: a correction the editor opened before the
    send time (a newer draft revision of a published issue) is a correction in progress,
    not an unpublished day — the published revision goes out, and the correction is
    sent when it is published (as a 更正)."""
    from jianbao.editions.issue_store import get_publication, new_issue, publish_issue

    with db.session() as session:
        publication = get_publication(session, settings, key)
        title = publication.title
        issue = issue_of_day(session, publication.id, day, published=True) or issue_of_day(
            session, publication.id, day
        )
        if auto_send and issue is None:  # kept even when the checker blocks it below
            issue = new_issue(session, settings, key, day)
        editor = duty_editor_of(session, settings, day)
        state = None if issue is None else issue.status
        issue_id = None if issue is None else issue.id
    if auto_send and issue_id is not None and state != "published":
        try:
            with db.session() as session:
                publish_issue(session, settings, session.get_one(Issue, issue_id))
        except IssueConflict:
            pass  # the editor published it meanwhile: what they published is sent
        except IssueError as exc:  # the checker's errors block an unattended send
            url = workstation_url(settings, f"/issues/{issue_id}")
            text = f"{day.isoformat()} 的《{title}》自动发送被检查拦下：{exc.message}"
            _tell_editor(settings, notify, editor, f"{title}未能自动发送", text, url)
            raise
        state = "published"
    if state != "published":
        url = workstation_url(settings, f"/issues/{issue_id}" if issue_id else "/issues")
        text = (
            f"{day.isoformat()} 的《{title}》"
            + ("还没有草稿" if issue_id is None else "尚未发布")
            + "，已过发送时间，未发出。请尽快审阅并发布：宽限时间内发布后会自动发出。"
        )
        # the day, not only the id: the late follow-up looks the issue up again at each
        # tick, so one made (or made again) after 08:00 is the one sent
        detail: dict[str, Any] = {"issue": issue_id, "issue_date": day.isoformat(), "sent": False}
        detail.update(_tell_editor(settings, notify, editor, f"{title}未发送：待发布", text, url))
        return JobResult("late", detail, error="编辑尚未发布，未发送")
    assert issue_id is not None
    return deliver_issue(db, settings, issue_id)


def deliver_issue(db: Database, settings: Settings, issue_id: int) -> JobResult:
    """Send a published issue to its publication's channels (the delivery log keeps a part
    once sent from being sent again); a part that failed makes the run fail. The detail
    says whether every failure was one the platform did not accept for now
    (``temporary``, with the platform's ``retry_after``): the scheduler tries those again
    within the grace (:mod:`jianbao.jobs.send_retry`)."""
    from jianbao.deliver.send import build_sender, send_issue
    from jianbao.jobs.send_retry import AnswerLog, classify

    answers = AnswerLog(build_sender(db, settings).build)
    report = send_issue(db, settings, issue_id, build=answers.build)
    detail: dict[str, Any] = {
        "issue": issue_id,
        "sent": True,
        "delivery": delivery_summary(report, settings),
    }
    failures = delivery_failures(report)
    if failures:
        temporary = classify(report, answers.answers)
        detail.update(temporary=temporary.temporary, retry_after=temporary.retry_after)
        return JobResult("failed", detail, error="；".join(failures[:5]))
    return JobResult("ok", detail)


def delivery_summary(report: DeliveryReport, settings: Settings | str = "zh") -> str:
    """Per channel, parts sent of the total (处室群 2/2，领导邮箱 0/1), and the parts another
    process is sending right now: a run that met a concurrent sender ends ``ok`` with
    fewer parts sent, and the note says why rather than leaving a bare 0/3."""
    notes = []
    for channel in report.channels:
        note = f"{channel.channel} {channel.sent}/{channel.total}"
        if channel.in_flight:
            parts = "、".join(str(part) for part in channel.in_flight)
            note += say(settings, "delivery.in_flight", parts=parts)
        notes.append(note)
    return say(settings, "list.separator").join(notes)


def delivery_failures(report: DeliveryReport) -> list[str]:
    """Why the issue did not reach everyone: one line per skipped channel or failed part."""
    failures: list[str] = []
    for channel in report.channels:
        if channel.skipped:
            failures.append(f"{channel.channel}：{channel.skipped}")
        for part, why in sorted(channel.failed.items()):
            failures.append(f"{channel.channel} 第 {part}/{channel.total} 部分：{why}")
        if channel.unconfirmed:
            parts = "、".join(str(part) for part in channel.unconfirmed)
            failures.append(f"{channel.channel} 第 {parts} 部分上次中断，未确认是否送达")
    if not report.channels:
        failures.append("没有可发送的频道")
    return failures


def publication_title_of(db: Database, key: str) -> str:
    """A publication's title for a notice ('' for the jobs of no publication)."""
    if not key:
        return ""
    with db.session() as session:
        row = session.scalar(select(PublicationRow).where(PublicationRow.key == key))
        return row.title if row is not None else key


def published_issue_of_day(db: Database, key: str, day: date) -> int | None:
    """The newest published issue of publication ``key`` dated ``day``, looked up now.

    The late follow-up asks this at every tick instead of keeping the id seen at the send
    time: the draft may have failed and the editor built the issue by hand afterwards, or
    deleted the draft and made a new one; and a correction started after publishing (a
    newer draft revision) must not hide the published one."""
    with db.session() as session:
        return session.scalar(
            select(Issue.id)
            .join(PublicationRow, Issue.publication_id == PublicationRow.id)
            .where(
                PublicationRow.key == key,
                Issue.issue_date == day,
                Issue.status == "published",
            )
            .order_by(Issue.revision.desc(), Issue.id.desc())
            .limit(1)
        )


# -- retraining ------------------------------------------------------------------------


def retrain_models(db: Database, settings: Settings) -> JobResult:
    """Retrain the learned models when ``retrain_after_decisions`` new decisions came in
    since the last training (the same rule as the automatic retraining after clicks)."""
    from jianbao.learning import retrain, trained_through

    if settings.retrain_after_decisions <= 0:
        return JobResult("skipped", {"reason": "retrain_after_decisions = 0"})
    through = trained_through(settings)
    with db.session() as session:
        new = session.scalar(select(func.count(Decision.id)).where(Decision.id > through)) or 0
        if new < settings.retrain_after_decisions:
            return JobResult("skipped", {"new_decisions": new})
        report = retrain(session, settings, automatic=True)
    if report is None:
        return JobResult("skipped", {"reason": "另一次训练正在进行"})
    skipped = {name: str(exc) for name, exc in report.skipped.items()}
    return JobResult("ok", {"new_decisions": new, "skipped": skipped})
