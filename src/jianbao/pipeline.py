"""The collection cycle: collect → extract → judge → store, idempotent and resumable.

One cycle visits every due source, discovers article links, fetches the pages it has not
stored yet, extracts and judges them, groups republications into stories and stores each
article in its own transaction: a crash mid-cycle leaves every stored article whole, and
the next cycle picks up what is missing (a source's ETag is saved only after all of its
articles are stored, so an interrupted source is fetched again in full).

A source's or an article's failure is recorded (on the source row, on the fetch attempt
and in the cycle report) and never aborts the cycle. The store's own failure (a full
disk, a database that stopped answering: StoreError) does: every write after it would
fail too, so the cycle stops at once with the error saying what to do. Fetch attempts a
killed or failed cycle left ``running`` are closed as ``interrupted`` when the next cycle
starts, and those past ``fetch_attempts_keep_days`` are deleted after a cycle, about once a
day (jianbao.db.attempts).
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import time
from collections.abc import Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from typing import Protocol
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, OperationalError
from sqlalchemy.orm import Session

from jianbao.archive.search import index_article
from jianbao.collect.browser import BrowserFetcher
from jianbao.collect.discover import discover_source
from jianbao.collect.fetcher import Fetcher, SharedHostGate
from jianbao.collect.urls import canonicalize_url
from jianbao.config import Settings
from jianbao.db import store
from jianbao.db.attempts import close_interrupted_statement, prune_attempts
from jianbao.db.models import Article as ArticleRow
from jianbao.db.models import FetchAttempt, Source
from jianbao.db.session import Database
from jianbao.errors import FetchError, JianbaoError, StoreError, excerpt
from jianbao.extract.cleanup import without_controls
from jianbao.i18n import Messages
from jianbao.judge.authority import authority_rules
from jianbao.judge.dedup import StoryIndex
from jianbao.judge.fingerprint import judge_fingerprint
from jianbao.judge.topic import Topic, parse_topic
from jianbao.learning import current_model_files
from jianbao.policy_links import PolicyLinker
from jianbao.prepare import Judging, Prepared, Preparer, worker_count
from jianbao.records import SHANGHAI, FetchedPage, Link, SourceSpec
from jianbao.risk_file import RiskTrainingError, risk_file_of, risk_numbers_of, risk_order
from jianbao.stage_times import StageTimes
from jianbao.stories import assign_story, event_window
from jianbao.watermark import Watermark

log = logging.getLogger("jianbao.pipeline")


@dataclass
class CycleReport:
    """What one cycle did, for the progress display and the logs."""

    sources: int = 0
    sources_failed: int = 0
    not_modified: int = 0
    links_found: int = 0
    articles_new: int = 0
    already_known: int = 0
    same_content: int = 0
    relevant_new: int = 0
    #: fetch attempts of earlier cycles found still ``running`` and closed as interrupted
    interrupted: int = 0
    #: fetch attempts past ``fetch_attempts_keep_days`` deleted after the cycle
    attempts_pruned: int = 0
    errors: list[str] = field(default_factory=list)
    #: CPU time per stage of the articles prepared and written (benchmarks report it)
    cpu: StageTimes = field(default_factory=StageTimes)

    def summary(self, language: str = "zh") -> str:
        """One line saying what the cycle did, in the user's language."""
        return Messages(language)(
            "collect.summary",
            sources=self.sources,
            failed=self.sources_failed,
            not_modified=self.not_modified,
            links=self.links_found,
            new=self.articles_new,
            relevant=self.relevant_new,
            known=self.already_known,
            same=self.same_content,
            errors=len(self.errors),
        )


#: how deep a backfill (``collect --since``) follows a listing's pagination
BACKFILL_PAGES = 30

#: the note on a fetch attempt that a cycle left running (killed, power cut, store failure)
INTERRUPTED_NOTE = (
    "采集中断：这次访问所在的一轮采集没有正常结束（进程被终止或存储出错）；"
    "之后的采集会重新访问该来源"
)


def _column_chars(name: str) -> int:
    """How many characters a column of the articles table holds (db.models)."""
    length = getattr(ArticleRow.__table__.c[name].type, "length", None)
    assert isinstance(length, int), f"articles.{name} has no length"
    return length


#: the longest canonical URL, source name and author the articles table holds: nothing
#: bounds what a feed or a page gives, so longer ones are bounded before the write
KEY_CHARS = _column_chars("canonical_url")
NAME_CHARS = _column_chars("source_name")
AUTHOR_CHARS = _column_chars("author")
#: how much of an over-long canonical URL its stored key keeps before the hash
_KEY_PREFIX = KEY_CHARS - 100


def stored_key(canonical: str) -> str:
    """The key a canonical URL is stored and looked up under: itself, or when it is longer
    than the column holds (a tracking link with a base64 payload), its beginning and
    ``#h=`` with the SHA-256 of all of it.

    The same URL always gives the same key, so a long link is known on the next cycle,
    and two long URLs with the same beginning keep two keys. A canonical URL never has a
    fragment, so no short URL's key is spelled like a long one's."""
    if len(canonical) <= KEY_CHARS:
        return canonical
    digest = hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{canonical[:_KEY_PREFIX]}#h={digest}"


def _link_key(link: Link) -> str:
    """The key a link is looked up under: its canonical spelling, bounded as stored."""
    return stored_key(canonicalize_url(link.url))


def _clipped(value: str | None, limit: int) -> str | None:
    """``value`` cut to ``limit`` characters (a feed's author can run to hundreds)."""
    if value is None or len(value) <= limit:
        return value
    return value[:limit].rstrip() or None


#: PostgreSQL's SQLSTATE classes of a statement refused for its values: data exception
#: (a value too long, a bad character), integrity constraint violation, program limit
#: exceeded (an index row or a search vector too big)
_REFUSED_CLASSES = ("22", "23", "54")


def _refused_row(exc: DBAPIError) -> bool:
    """Whether the store refused one row for what it holds (this article's own failure,
    and the next article may be stored), rather than failing as a store."""
    if isinstance(exc, (DataError, IntegrityError)):
        return True
    driver = exc.orig
    code = getattr(driver, "sqlstate", None) or getattr(driver, "pgcode", None)
    args = getattr(driver, "args", ())
    if code is None and args and isinstance(args[0], dict):
        code = args[0].get("C")  # pg8000's error reply
    return isinstance(code, str) and code[:2] in _REFUSED_CLASSES


def _refused(exc: DBAPIError, source: str | None) -> StoreError:
    """The error recorded for an article the store refused: which source it came from and
    the store's own reason (the link's URL is named where it is recorded)."""
    reason = excerpt(str(exc.orig))
    where = f"来源“{source}”的文章" if source else "这篇文章"
    return StoreError(
        f"数据库拒绝存入{where}（the store refused this article）：{reason}",
        hint=(
            "这篇文章已跳过，本轮其他文章照常存入；下一轮会再试一次"
            " (skipped; the cycle's other articles are stored, the next cycle tries it again)"
        ),
    )


def _is_locked(exc: OperationalError | StoreError) -> bool:
    """Whether a store error is SQLite's "database is locked" (another connection's write),
    which a best-effort step may leave to the next cycle."""
    cause = exc if isinstance(exc, OperationalError) else exc.__cause__
    return "locked" in str(cause)


async def _gather_or_stop(awaitables: Iterator[Awaitable[None]], limit: int | None = None) -> None:
    """Run ``awaitables`` together, at most ``limit`` at a time (all at once without one);
    when one fails, cancel the others and raise its error (a StoreError, or a bug: the
    items' own failures are recorded, never raised).

    With a limit, ``limit`` runners take the next awaitable as each finishes, so the
    awaitables a generator makes are made only when their turn comes: a cycle of a
    thousand sources once held a pending task (and its coroutine) for every link found,
    about 21,000 in the collect benchmark's world and 35 MB of the collecting process's
    peak (issue 21), while the hosts' politeness let a few of them fetch at a time."""
    if limit is None:
        tasks = [asyncio.ensure_future(awaitable) for awaitable in awaitables]
    else:
        shared = iter(awaitables)

        async def runner() -> None:
            for awaitable in shared:  # one iterator: each awaitable is taken once
                await awaitable

        tasks = [asyncio.ensure_future(runner()) for _ in range(max(1, limit))]
    try:
        await asyncio.gather(*tasks)
    except BaseException:
        await _cancel_all(tasks)
        raise


async def _cancel_all(tasks: Sequence[asyncio.Future[None]]) -> None:
    """Cancel ``tasks`` and wait until each has ended (their errors are the caller's no more)."""
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)


def links_in_flight(links: Sequence[Link], settings: Settings) -> int:
    """How many of one source's links are fetched and prepared at a time: twice what
    their hosts let be fetched at once (so a page is fetched while another is prepared),
    at most the cycle's whole concurrency. A source whose links are on one host gets
    four by default; an aggregator's links on many hosts get up to 32, as before."""
    hosts = len({urlsplit(link.url).hostname for link in links})
    return max(1, min(settings.total_concurrency, 2 * settings.per_host_concurrency * hosts))


def _dated_before(link: Link, day: date) -> bool:
    """True when the link's own date (from the feed or listing) is before ``day``."""
    if link.published_at is None:
        return False
    return link.published_at.astimezone(SHANGHAI).date() < day


@dataclass(frozen=True, slots=True)
class _Fetched:
    """A link's page as fetched (or its feed's text), waiting to be prepared."""

    body: bytes
    url: str
    headers: Mapping[str, str] | None
    from_feed: bool = False


class PageFetcher(Protocol):
    """What the cycle needs of a fetcher: the HTTP one, or the browser for sources that
    need JavaScript."""

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        robots: bool | None = None,
    ) -> FetchedPage: ...


#: called with (event, detail) — "source" when a source starts, "source_done",
#: "article" for each stored article, "error" for each recorded failure
ProgressFn = Callable[[str, str], None]


def _ignore(_event: str, _detail: str) -> None:
    return None


class Pipeline:
    """Runs collection cycles against one store with one set of settings."""

    def __init__(self, settings: Settings, db: Database, progress: ProgressFn | None = None):
        self.settings = settings
        self.db = db
        self.progress = progress or _ignore
        self.topic: Topic = parse_topic(settings.topic)
        #: the editor-trained relevance and category models, when some were trained: the
        #: versions current now, loaded by whichever process judges first
        self.models = current_model_files(settings)
        #: which judge judges this pipeline's articles (stored on each, so that
        #: ``jianbao rejudge`` knows what a later judge must judge again)
        self.judged_with = judge_fingerprint(settings.topic, self.models)
        #: which outlets count as government sites and central media (representatives)
        self.authority = authority_rules(settings.authority)
        #: readings → the policy documents they cite
        self.policies = PolicyLinker()
        self._index: StoryIndex | None = None
        #: the highest article id the story index has looked at in the store
        self._seen = Watermark()
        #: the event stage's windows, kept in memory across articles and cycles (one per
        #: store in a process: ``jianbao run`` makes a pipeline for each cycle)
        self.events = event_window(db)
        self._since: date | None = None
        #: the cycle's extract-and-judge workers, while a cycle runs
        self._preparer: Preparer | None = None
        #: per-host politeness shared with other processes (set by a Celery worker)
        self.host_gate: SharedHostGate | None = None

    # -- the story index ---------------------------------------------------------------

    def story_index(self) -> StoryIndex:
        """The near-duplicate index, rebuilt from stored signatures on first use."""
        if self._index is None:
            with self.db.session() as session:
                self._seen = Watermark(session.scalar(select(func.max(ArticleRow.id))) or 0)
                self._index = StoryIndex.from_signatures(
                    store.stored_signatures(session), threshold=self.settings.dedup_threshold
                )
        return self._index

    def _catch_up(self, session: Session, index: StoryIndex, new_id: int) -> None:
        """Add to the story index the articles other processes (Celery workers, another
        cycle) stored since it was built, so a story is joined as one process would.

        Called with the id the article being stored was just given (``new_id``, flushed
        under the store's article lock): when it follows the last id seen, no other
        process stored an article since, and the query is skipped (it was one round trip
        for every article a cycle stores). Any gap (another process's article, or a
        PostgreSQL sequence's skipped value) reads the store."""
        if not self._seen.follows(new_id):
            for article_id, signature in store.stored_signatures(session, after_id=self._seen.seen):
                if article_id != new_id and article_id not in index:
                    index.add(article_id, signature)
        self._seen.advance(new_id)

    # -- cycles ------------------------------------------------------------------------

    async def run_cycle(
        self,
        source_names: Sequence[str] | None = None,
        *,
        only_due: bool = False,
        since: date | None = None,
    ) -> CycleReport:
        """Visit the enabled sources (or the named ones) once; with ``only_due``, only
        those whose adaptive poll interval has passed (named sources are always visited).

        ``since`` backfills: listing pages are followed up to ``BACKFILL_PAGES`` deep, the
        sources are fetched whole (no conditional GET), and links dated before ``since``
        are skipped."""
        report = CycleReport()
        report.interrupted = self.close_interrupted_attempts()
        with self.db.session() as session:
            if source_names:
                rows = [store.get_source(session, name) for name in source_names]
            else:
                rows = store.list_sources(session, enabled_only=True)
                if only_due:
                    now = datetime.now(UTC)
                    rows = [row for row in rows if store.source_is_due(session, row, now)]
            jobs = [(store.source_spec(row), row.etag, row.last_modified) for row in rows]
        if since is not None:
            jobs = [
                (replace(spec, max_pages=max(spec.max_pages, BACKFILL_PAGES)), None, None)
                for spec, _etag, _lm in jobs
            ]
        self._since = since
        self.story_index()
        async with contextlib.AsyncExitStack() as stack:
            preparer = stack.enter_context(self._preparing())
            fetcher: PageFetcher = await stack.enter_async_context(
                Fetcher(self.settings, admit=preparer.room, shared_gate=self.host_gate)
            )
            browser: PageFetcher | None = None
            if any(spec.render == "browser" for spec, _etag, _lm in jobs):
                browser = await stack.enter_async_context(
                    BrowserFetcher(self.settings, shared_gate=self.host_gate)
                )
            await _gather_or_stop(
                self._collect_source(
                    browser if spec.render == "browser" and browser else fetcher,
                    spec,
                    etag,
                    lm,
                    report,
                )
                for spec, etag, lm in jobs
            )
        self.policies.finish(self.db)
        report.attempts_pruned = self.prune_attempts()
        self._refresh_statistics()
        return report

    @contextlib.contextmanager
    def _preparing(self) -> Iterator[Preparer]:
        """The cycle's preparer (its workers start when the cycle proves big enough and
        stop with it), with the topic and models as they are when the cycle starts."""
        judging = Judging(self.topic, self.settings.summary_length, self.models)
        with Preparer(
            judging, worker_count(self.settings.pipeline_workers), finish=self._with_risk
        ) as preparer:
            self._preparer = preparer
            try:
                yield preparer
            finally:
                self._preparer = None

    async def _with_risk(self, judging: Judging) -> Judging:
        """``judging`` with the store's risk classifier, as the alert pass uses it: its
        file of numbers (trained and written, in a child process, by the first process
        after the marks changed: never in this one's memory, and waited for in a thread,
        so this process keeps fetching meanwhile), or its numbers themselves where the
        models folder cannot be written. Where training fails, the lexicon judges and the
        articles are stored without a risk, which the alert pass then judges with the
        classifier."""
        with self.db.session() as session:
            order = risk_order(session, self.settings)
        try:
            try:
                path = await asyncio.to_thread(risk_file_of, order)
                return replace(judging, risk_file=path)
            except OSError as exc:
                log.warning("风险分类器无法写入模型目录，改为随任务传递：%s", exc)
                return replace(judging, risk=await asyncio.to_thread(risk_numbers_of, order))
        except RiskTrainingError as exc:
            log.warning("风险分类器训练失败，本轮风险留待预警任务判断：%s", exc)
            return replace(judging, risk_later=True)

    def _refresh_statistics(self) -> None:
        """Let SQLite's planner see the new data (without statistics it reads a week's
        candidates through the wrong index); PostgreSQL's autovacuum does this itself."""
        if self.db.engine.dialect.name != "sqlite":
            return
        try:
            with self.db.engine.connect() as conn:
                conn.exec_driver_sql("PRAGMA optimize")
        except (OperationalError, StoreError) as exc:
            if not _is_locked(exc):
                raise  # a full disk or a lost store ends the cycle as before
            # best effort: another connection's write can refuse it at once (a read that
            # must become a write after someone else wrote); the articles are stored, and
            # the next cycle refreshes the statistics
            log.warning("本轮未能更新数据库统计信息（下一轮再试）：%s", exc)

    async def ingest_urls(self, urls: Sequence[str]) -> CycleReport:
        """Fetch and store single URLs a person pasted (no source needed)."""
        report = CycleReport()
        self.story_index()
        links = [Link(url=url) for url in urls]
        with self._preparing() as preparer:
            async with Fetcher(
                self.settings, admit=preparer.room, shared_gate=self.host_gate
            ) as fetcher:
                await self._ingest_links(fetcher, links, None, report)
        self.policies.finish(self.db)
        return report

    async def _collect_source(
        self,
        fetcher: PageFetcher,
        spec: SourceSpec,
        etag: str | None,
        last_modified: str | None,
        report: CycleReport,
    ) -> None:
        self.progress("source", spec.name)
        report.sources += 1
        attempt_id = self._start_attempt(spec)
        started = datetime.now(UTC)
        try:
            page = await fetcher.fetch(
                spec.url, etag=etag, last_modified=last_modified, robots=self._robots(spec)
            )
            if page.not_modified:
                report.not_modified += 1
                self._finish_source(spec, attempt_id, outcome="not_modified", status=304)
                self.progress("source_done", spec.name)
                return
            problems: list[str] = []
            links = await discover_source(fetcher, spec, page, problems)
            if self._since is not None:
                links = [link for link in links if not _dated_before(link, self._since)]
        except JianbaoError as exc:
            report.sources_failed += 1
            report.errors.append(f"{spec.name}: {exc}")
            self.progress("error", f"{spec.name}: {exc}")
            self._finish_source(spec, attempt_id, outcome="error", error=str(exc))
            return
        report.links_found += len(links)
        new_before = report.articles_new
        errors_before = len(report.errors)
        for problem in problems:  # parts of the source skipped (a refused child sitemap)
            report.errors.append(f"{spec.name}: {problem}")
            self.progress("error", f"{spec.name}: {problem}")
        await self._ingest_links(
            fetcher, links, spec.id, report, robots=self._robots(spec), source=spec.name
        )
        self._finish_source(
            spec,
            attempt_id,
            outcome="ok",
            status=page.status,
            etag=page.etag,
            last_modified=page.last_modified,
            links_found=len(links),
            articles_new=report.articles_new - new_before,
            errors=len(report.errors) - errors_before,
            started=started,
        )
        self.progress("source_done", spec.name)

    def _robots(self, spec: SourceSpec) -> bool:
        return self.settings.respect_robots and spec.respect_robots

    async def _ingest_links(
        self,
        fetcher: PageFetcher,
        links: list[Link],
        source_id: int | None,
        report: CycleReport,
        *,
        robots: bool | None = None,
        source: str | None = None,
    ) -> None:
        by_url: dict[str, Link] = {}
        for link in links:
            by_url.setdefault(_link_key(link), link)
        with self.db.session() as session:
            known = store.known_urls(session, by_url)
        report.already_known += len(known)
        todo = [link for url, link in by_url.items() if url not in known]
        if self._preparer is not None:
            self._preparer.expect(len(todo))

        # a link holds one of the source's places while it is fetched; its page is then
        # prepared and stored in a task of its own, so that fetching goes on while pages wait
        # for the workers or for the risk classifier being trained (the preparer's room bounds
        # how many fetched pages wait, as it bounds the fetcher)
        finishing: set[asyncio.Task[None]] = set()
        failed: list[BaseException] = []

        def settled(task: asyncio.Task[None]) -> None:
            finishing.discard(task)
            if not task.cancelled() and task.exception() is not None:
                failed.append(task.exception())  # type: ignore[arg-type]

        async def fetch(link: Link) -> None:
            if failed:  # a store error (or a bug) in a page's task stops the source
                raise failed[0]
            try:
                fetched = await self._fetch(fetcher, link, robots)
            except JianbaoError as exc:
                self._link_failed(report, link, exc)
                return
            task = asyncio.ensure_future(finish(link, fetched))
            finishing.add(task)
            task.add_done_callback(settled)

        async def finish(link: Link, fetched: _Fetched) -> None:
            assert self._preparer is not None, "articles are prepared within a cycle"
            try:
                prepared = await self._preparer.prepare(
                    fetched.body,
                    fetched.url,
                    fetched.headers,
                    link,
                    source_id,
                    from_feed=fetched.from_feed,
                )
            except JianbaoError as exc:
                self._link_failed(report, link, exc)
                return
            report.cpu.merge(prepared.cpu)
            report.cpu.articles += 1
            try:
                outcome = self._store(prepared, report.cpu, _link_key(link))
            except DBAPIError as exc:
                if not _refused_row(exc):
                    raise  # the store failing (translated to a StoreError where known)
                self._link_failed(report, link, _refused(exc, source))
                return
            if outcome == "new":
                report.articles_new += 1
                report.relevant_new += int(prepared.judgement.relevant)
                self.progress("article", prepared.article.title)
            elif outcome == "same_content":
                report.same_content += 1
            else:
                report.already_known += 1

        try:
            await _gather_or_stop(
                (fetch(link) for link in todo), links_in_flight(todo, self.settings)
            )
        except BaseException:
            await _cancel_all(list(finishing))
            raise
        await _gather_or_stop(iter(list(finishing)))
        if failed:
            raise failed[0]

    def _link_failed(self, report: CycleReport, link: Link, exc: JianbaoError) -> None:
        """A link's own failure: recorded on the report and told, the cycle goes on."""
        report.errors.append(f"{link.url}: {exc}")
        self.progress("error", f"{link.url}: {exc}")

    async def _fetch(
        self, fetcher: PageFetcher, link: Link, robots: bool | None = None
    ) -> _Fetched:
        """The link's page, or the full text its feed carried when the page is
        unreachable now (FetchError otherwise)."""
        try:
            page = await fetcher.fetch(link.url, robots=robots)
        except FetchError:
            if not link.content_html:
                raise
            # a feed's text can hold a lone surrogate (a JSON escape), which UTF-8 cannot
            # encode: dropped with the other control characters extraction drops
            text = without_controls(link.content_html)
            return _Fetched(text.encode("utf-8"), link.url, None, from_feed=True)
        return _Fetched(page.body, page.final_url, page.headers)

    # -- writes --------------------------------------------------------------------------

    def _store(
        self, prepared: Prepared, times: StageTimes | None = None, link_key: str | None = None
    ) -> str:
        """Store one article with its story in one transaction.

        Returns "new", "known" (the canonical URL is stored already) or "same_content"
        (the same text is stored under another URL). ``times`` gets the CPU time of the
        store, policy-link, story and search-index stages. ``link_key``: the key of the
        link the page was collected from (:func:`_link_key`), kept with the article where
        it differs from the page's canonical URL, so the link is known next time.
        """
        times = times if times is not None else StageTimes()
        with times.timing("store"):
            return self._store_timed(prepared, times, link_key)

    def _store_timed(self, prepared: Prepared, times: StageTimes, link_key: str | None) -> str:
        index = self.story_index()
        granted: float | None = None
        try:
            with self.db.session() as session:
                asked = time.perf_counter()
                store.lock_article_writes(session)  # other workers store one at a time too
                granted = time.perf_counter()
                times.add_wall("lock_wait", granted - asked)
                written = self._write_locked(session, prepared, index, times, link_key)
        finally:
            if granted is not None:  # held until the commit (or the rollback) ended
                times.add_wall("lock_held", time.perf_counter() - granted)
        if isinstance(written, str):
            return written
        with times.timing("stories"):
            index.add(written.id, prepared.signature)
        with times.timing("policies"):
            self.policies.add(written)
        return "new"

    def _write_locked(
        self,
        session: Session,
        prepared: Prepared,
        index: StoryIndex,
        times: StageTimes,
        link_key: str | None = None,
    ) -> ArticleRow | str:
        """The article's row, story, policy links and search entry, written under the
        article lock; or how it is stored already ("known", "same_content")."""
        article, judgement = prepared.article, prepared.judgement
        key = stored_key(article.canonical_url)
        stored = store.stored_as(session, key, article.content_hash)
        if stored is not None:
            if stored == "known" and link_key is not None:
                store.note_fetched_key(session, key, link_key)  # a row stored before 0026
            return stored
        row = ArticleRow(
            url=article.url,
            canonical_url=key,
            fetched_key=link_key if link_key != key else None,
            content_hash=article.content_hash,
            title=article.title,
            body=article.body,
            html=article.html,
            published_at=article.published_at,
            source_name=_clipped(article.source_name, NAME_CHARS),
            author=_clipped(article.author, AUTHOR_CHARS),
            language=article.language,
            source_id=prepared.source_id,
            relevant=judgement.relevant,
            score=judgement.score,
            matched_terms=list(judgement.matched_terms),
            model_probability=judgement.model_probability,
            model_features=list(judgement.model_features),
            category=judgement.category,
            scope=judgement.scope,
            summary=judgement.summary,
            signature=prepared.signature,
            sentiment=judgement.sentiment,
            risk=judgement.risk,
            judged_with=self.judged_with,
            event_facts=prepared.event_facts,
        )
        session.add(row)
        session.flush()
        with times.timing("stories"):
            self._catch_up(session, index, row.id)
            assign_story(
                session,
                row,
                index.query(prepared.signature),
                self.authority,
                memory=self.events,
            )
            session.flush()  # the story's writes count here, not in the next statement's
        with times.timing("policies"):
            self.policies.link(session, row)
        with times.timing("search_index"):
            index_article(session, row.id, row.title, row.body, prepared.search_tokens)
        return row

    def close_interrupted_attempts(self) -> int:
        """Close the fetch attempts that cycles gone before left ``running``; how many.

        A killed cycle never finishes its attempts. A cycle running at this moment in
        another process has its attempts closed too, but only for a while: finishing an
        attempt writes its real outcome over the mark. The running attempts are found
        through their partial index (migration 0025), not by reading every attempt."""
        with self.db.session() as session:
            closed = session.execute(
                close_interrupted_statement(datetime.now(UTC), INTERRUPTED_NOTE)
            )
            return int(getattr(closed, "rowcount", 0) or 0)

    def prune_attempts(self) -> int:
        """Delete the fetch attempts past ``fetch_attempts_keep_days`` (0: none), keeping
        what the poll interval and source health read (jianbao.db.attempts); how many.

        Housekeeping after the cycle's work: a store busy with another process's write
        leaves it to the next cycle instead of failing a cycle that stored its articles."""
        days = self.settings.fetch_attempts_keep_days
        if days <= 0:
            return 0
        try:
            pruned = prune_attempts(self.db.session, datetime.now(UTC), timedelta(days=days))
        except (OperationalError, StoreError) as exc:
            if not _is_locked(exc):
                raise
            log.warning("本轮未能清理过期的抓取记录（下一轮再试）：%s", exc)
            return 0
        if pruned:
            log.info("已删除 %d 条超过 %d 天的抓取记录", pruned, days)
        return pruned

    def _start_attempt(self, spec: SourceSpec) -> int:
        with self.db.session() as session:
            attempt = FetchAttempt(source_id=spec.id, url=spec.url)
            session.add(attempt)
            session.flush()
            return attempt.id

    def _finish_source(
        self,
        spec: SourceSpec,
        attempt_id: int,
        *,
        outcome: str,
        status: int | None = None,
        error: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        links_found: int = 0,
        articles_new: int = 0,
        errors: int = 0,
        started: datetime | None = None,
    ) -> None:
        now = datetime.now(UTC)
        with self.db.session() as session:
            attempt = session.get(FetchAttempt, attempt_id)
            if attempt is not None:
                attempt.finished_at = now
                attempt.outcome = outcome
                attempt.http_status = status
                attempt.error = error
                attempt.links_found = links_found
                attempt.articles_new = articles_new
                attempt.errors = errors
            source = session.get(Source, spec.id) if spec.id is not None else None
            if source is None:
                return
            source.last_checked_at = now
            if outcome == "error":
                source.last_error = error
                source.consecutive_failures += 1
                return
            source.last_success_at = now
            source.last_error = None
            source.consecutive_failures = 0
            if outcome == "ok":
                source.etag = etag
                source.last_modified = last_modified
