"""Preparing fetched pages for the store — extract, judge, sign — on every core.

This is the CPU work of a collection cycle (a real page takes tens of milliseconds, most
of it parsing and extracting), and it needs nothing but the page and the topic: no store,
no other article. So a cycle runs it in a pool of worker processes (threads would take
turns on the interpreter lock) while the event loop goes on fetching and the writer goes
on storing. The near-duplicate signature and the search index's tokens are computed here
too; querying and updating the story index, which depends on every article stored before,
and writing the rows stay with the writer.

The pool starts only when a cycle has enough articles to be worth it (a worker needs a
second or two to import the extractor and unpickle the topic); before that, and with one
worker, :func:`prepare_article` runs in the caller's process. Both paths call the same
function on the same inputs, so they store the same articles with the same judgements.
"""

from __future__ import annotations

import asyncio
import gc
import os
import threading
from collections.abc import Awaitable, Callable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jianbao.archive.search import index_tokens
from jianbao.collect.urls import canonicalize_url, trusted_canonical
from jianbao.extract import decode_page, extract_decoded
from jianbao.extract.budget import ExtractBudget
from jianbao.judge import judge_article
from jianbao.judge.batch import default_workers, watch_owner
from jianbao.judge.batch import worker_context as batch_worker_context
from jianbao.judge.dedup import StoryIndex
from jianbao.judge.model_files import ModelFiles
from jianbao.judge.tone import judge_tone
from jianbao.learning import load_models
from jianbao.records import Article, Judgement, Link
from jianbao.stage_times import StageTimes
from jianbao.stored_facts import compared
from jianbao.stored_facts import make as make_event_facts

if TYPE_CHECKING:  # the models pull in scikit-learn
    from jianbao.judge.category_model import CategoryModel
    from jianbao.judge.model import RelevanceModel
    from jianbao.judge.risk_direct import RiskNumbers
    from jianbao.judge.topic import Topic

#: articles a cycle prepares in its own process before it starts the workers
POOL_AFTER = 32
#: pages waiting for or in a worker, per worker, before the fetcher holds back requests
BACKLOG_PER_WORKER = 8
#: pages fetched while the judging context is still being completed (the risk classifier
#: trained in a child process), waiting for it: fetching pauses beyond these
WAITING_PAGES = 64
#: names, for the workers' fork server as it starts, the risk classifier's file it loads
#: before forking any worker (:func:`warm_up`)
WARM_RISK_FILE = "JIANBAO_PREPARE_WARM_RISK_FILE"
#: the module the fork server imports last: it calls :func:`warm_up`
WARM_MODULE = "jianbao.prepare_warm"


@dataclass
class Prepared:
    """An article ready to store: extracted, judged, with its near-duplicate signature."""

    article: Article
    judgement: Judgement
    signature: bytes
    source_id: int | None
    #: CPU seconds of decode, extract, judge and sign for this page, where it was prepared
    cpu: dict[str, float] = field(default_factory=dict)
    #: the search index's tokens of the title and body (:func:`index_tokens`), made here
    #: because segmenting is CPU work the collecting process, the cycle's bound, is spared
    search_tokens: str | None = None
    #: the event stage's facts of a relevant article, as stored (:mod:`jianbao.stored_facts`):
    #: made here, outside the store's article lock, once for every process (issue 19)
    event_facts: str | None = None


@dataclass(frozen=True)
class Judging:
    """What preparing needs besides the page; sent to each worker once, when it starts.

    The learned models travel as their file names (``models``) and are loaded by the
    process that first judges with them: a big cycle's collecting process then never
    holds scikit-learn and the models, only its workers do.

    The store's risk classifier (trained on the shipped pages and the editors' ⚠ marks,
    :func:`jianbao.alerts.learn.risk_classifier`) travels as its file of numbers
    (``risk_file``, :mod:`jianbao.risk_file`: numpy alone loads it, no scikit-learn), or
    as the numbers themselves (``risk``) where the file could not be written; with
    neither, the risk lexicon alone judges. ``risk_later``: the classifier could not be
    trained: the lexicon's risk is not stored, and the alert pass judges it."""

    topic: Topic
    summary_chars: int
    models: ModelFiles | None = None
    risk: RiskNumbers | None = None
    risk_file: Path | None = None
    risk_later: bool = False

    def risk_classifier(self) -> RiskNumbers | None:
        """The risk classifier's numbers, loaded once per process from their file."""
        if self.risk is not None or self.risk_file is None:
            return self.risk
        from jianbao.risk_file import load_risk_numbers

        return load_risk_numbers(self.risk_file)

    def learned(self) -> tuple[RelevanceModel | None, CategoryModel | None]:
        """The relevance and category models, loaded once per process (a newer version
        replaces the one loaded before: a long-running process keeps one set)."""
        global _loaded
        if _loaded is None or _loaded[0] != self.models:
            _loaded = (self.models, load_models(self.models))
        return _loaded[1]


#: the models loaded in this process, with the files they came from
_loaded: tuple[ModelFiles | None, tuple[RelevanceModel | None, CategoryModel | None]] | None = None


_signing: StoryIndex[Any] | None = None


def _signer() -> StoryIndex[Any]:
    """An index used only to sign (a signature depends on no indexed article)."""
    global _signing
    if _signing is None:
        _signing = StoryIndex()
    return _signing


def prepare_article(
    judging: Judging,
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None,
    link: Link,
    source_id: int | None,
    *,
    from_feed: bool = False,
) -> Prepared:
    """Extract, judge (relevance, category, scope, sentiment, risk), sign and tokenise
    for search one page (``url`` is where it was fetched from, after
    redirects). ``from_feed``: the page could not be fetched and ``body`` is the full text
    the feed carried for ``link``."""
    times = StageTimes()
    budget = ExtractBudget().start()
    with times.timing("decode"):
        text = decode_page(body, None if from_feed else headers)
    with times.timing("extract"):
        if from_feed:
            article = extract_decoded(text, link.url, link, budget)
            article.canonical_url = canonicalize_url(link.url)
        else:
            article = extract_decoded(text, url, link, budget)
            # the page's claimed canonical, unless it cannot be this article's own
            # address (another site's, the home page's, a folder above the page's)
            article.canonical_url = canonicalize_url(trusted_canonical(article.canonical_url, url))
    with times.timing("judge"):
        model, category_model = judging.learned()
        judgement = judge_article(
            article,
            judging.topic,
            summary_chars=judging.summary_chars,
            model=model,
            category_model=category_model,
        )
        # how it is told and whether it reports an incident, judged now so the candidates
        # list shows 负面 at once and the alert pass reads it from the store (issue 18)
        tone = judge_tone(article.title, article.body, judging.risk_classifier())
        judgement.sentiment = tone.sentiment
        # without the classifier (it could not be trained) no risk is stored: the alert
        # pass judges a row without one with the classifier (jianbao.alerts.job)
        judgement.risk = None if judging.risk_later else tone.risk
    with times.timing("sign"):
        signature = _signer().signature(article.title + "\n" + article.body)
    with times.timing("search_index"):
        tokens = index_tokens(article.title, article.body)
    facts = None
    if compared(judgement.relevant, article.title, judgement.category):
        with times.timing("event_facts"):  # what the event stage reads of it
            facts = make_event_facts(article.title, article.body, article.published_at)
    return Prepared(article, judgement, signature, source_id, times.seconds, tokens, facts)


# -- in the worker processes -------------------------------------------------------------

#: a small page of this module's own, prepared once by :func:`warm_up` (a Traditional
#: sentence too, so that the converter to Simplified is built)
_WARM_PAGE = (
    "<html><head><meta charset='utf-8'><title>东川省人民医院上线互联网医院</title></head>"
    "<body><h1>东川省人民医院上线互联网医院</h1><div class='info'>发布时间：2026-11-16 09:30</div>"
    "<div class='content'><p>11月16日，东川省人民医院互联网医院正式上线，患者可在线复诊、"
    "处方流转到药店，电子病历和电子健康卡同步启用。</p><p>醫院表示，將推進全民健康資訊平台"
    "互聯互通，做好資料安全和個人資訊保護。</p></div></body></html>"
).encode()


def warm_up(risk_file: Path | None = None) -> None:
    """Load in this process what preparing a page loads on first use, by preparing a
    small page of its own — the segmenters' dictionaries (rjieba's for the search index
    and the tokenizer's with the domain terms: about 60 MB together), the converter to
    Simplified, the extractor's and the judge's tables, and the risk classifier's
    numbers when ``risk_file`` names them — then let the garbage collector leave every
    object made so far alone (:func:`gc.freeze`).

    The workers' fork server runs it before it forks any worker (:mod:`jianbao.
    prepare_warm`): each worker then shares these pages with the server and the other
    workers, copy-on-write, instead of loading its own copy; and its collections, which
    would write to every object they walk, no longer copy the server's pages."""
    from jianbao.config import DEFAULT_TOPIC
    from jianbao.judge.topic import parse_topic

    if risk_file is not None:
        from jianbao.risk_file import load_risk_numbers

        load_risk_numbers(risk_file)
    judging = Judging(parse_topic(DEFAULT_TOPIC), 120, risk_file=risk_file)
    url = "http://warm-up.invalid/a.html"
    prepare_article(judging, _WARM_PAGE, url, {"content-type": "text/html"}, Link(url), None)
    gc.collect()
    gc.freeze()


_judging: Judging | None = None


def _start_worker(owner: int, judging: Judging) -> None:
    global _judging
    watch_owner(owner)
    _judging = judging


def _prepare_in_worker(
    body: bytes,
    url: str,
    headers: Mapping[str, str] | None,
    link: Link,
    source_id: int | None,
    from_feed: bool,
) -> Prepared:
    assert _judging is not None, "the worker was started without its judging context"
    return prepare_article(_judging, body, url, headers, link, source_id, from_feed=from_feed)


def worker_context(judging: Judging) -> BaseContext:
    """How the workers start: forked from a fresh server process ("forkserver"; "spawn"
    where there is none), never from the collecting process (see
    :func:`jianbao.judge.batch.worker_context`, whose modules the server imports too).

    The server imports this module (what preparing needs) and the jianbao modules this
    process's main module takes names from (a worker runs it again), not all this
    process has of jianbao (its fetcher, store and event stage: about 18 MB of the
    server's, issue 21), scikit-learn's models when there are learned ones, and last
    :mod:`jianbao.prepare_warm`, which prepares a page (:func:`warm_up`, with
    ``judging``'s risk classifier file) before the first worker is forked. The server
    is started here when it is not running yet, so that it finds the file's name in its
    environment; one that runs already (an earlier cycle of this process) keeps what it
    loaded, and a worker loads a newer classifier itself."""
    context = batch_worker_context(
        bool(judging.models), last=[__name__, WARM_MODULE], only=[__name__]
    )
    if context.get_start_method() != "forkserver":
        return context
    from multiprocessing import forkserver

    before = os.environ.get(WARM_RISK_FILE)
    if judging.risk_file is not None:
        os.environ[WARM_RISK_FILE] = str(judging.risk_file)
    try:
        forkserver.ensure_running()
    finally:
        if before is None:
            os.environ.pop(WARM_RISK_FILE, None)
        else:
            os.environ[WARM_RISK_FILE] = before
    return context


def worker_count(setting: int) -> int:
    """The ``pipeline_workers`` setting as a number of processes (0: one per core this
    process may use, as the judge's batches count them)."""
    return setting if setting > 0 else default_workers()


class Preparer:
    """Prepares a cycle's pages: in worker processes once the cycle has more than
    ``pool_after`` articles and ``workers`` > 1, in the caller's process otherwise.

    Use as a context manager around the cycle: leaving it stops the workers. Give
    :meth:`room` to the fetcher as its ``admit`` hook: when the network delivers pages
    faster than the workers prepare them, requests wait instead of pages piling up in
    memory (in the caller's process, preparing holds the event loop, which is its own
    brake).
    """

    def __init__(
        self,
        judging: Judging,
        workers: int,
        *,
        pool_after: int = POOL_AFTER,
        finish: Callable[[Judging], Awaitable[Judging]] | None = None,
    ):
        self.judging = judging
        #: completes ``judging`` when the first article needs it (the store's risk
        #: classifier: training it costs seconds, which a cycle with nothing new never pays);
        #: awaited, so the event loop keeps fetching meanwhile
        self._finish = finish
        self._finishing: asyncio.Future[Judging] | None = None
        #: pages fetched and waiting for ``_finish`` (bounded by ``room``, as the backlog)
        self._waiting = 0
        self._want_pool = False
        self.workers = workers
        self.pool_after = pool_after
        self.backlog = BACKLOG_PER_WORKER * max(1, workers)
        self._expected = 0
        self._pending = 0
        self._drained: asyncio.Event | None = None
        self._pool: ProcessPoolExecutor | None = None
        #: the workers' start, in a thread of its own (:meth:`_start`): forking the first
        #: one waits for the fork server to import and warm up, a second or two in which
        #: the event loop goes on fetching
        self._starting: Future[None] | None = None
        self._start_lock = threading.Lock()
        self._closed = False

    def __enter__(self) -> Preparer:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def close(self) -> None:
        with self._start_lock:  # a start under way ends first, then its workers stop
            self._closed = True
            if self._pool is not None:
                self._pool.shutdown(wait=True, cancel_futures=True)
                self._pool = None

    @property
    def pooled(self) -> bool:
        """Whether pages now go to the worker processes."""
        return self._pool is not None

    def expect(self, count: int) -> None:
        """``count`` more articles are coming; start the workers when the cycle is big."""
        self._expected += count
        if self._pool is None and self.workers > 1 and self._expected > self.pool_after:
            self._want_pool = True
            if self._finish is None:
                self._start()
            else:
                self._begin()  # the workers start when it is done (see _judging)

    def _start(self) -> Future[None]:
        """Start the workers in a thread (once); done when they are forked."""
        if self._starting is None:
            started: Future[None] = Future()
            started.set_running_or_notify_cancel()  # a waiter's cancellation leaves it be

            def start() -> None:
                try:
                    self._start_pool()
                except BaseException as exc:  # every waiting page gets the error
                    started.set_exception(exc)
                else:
                    started.set_result(None)

            self._starting = started
            threading.Thread(target=start, name="jianbao-prepare-start", daemon=True).start()
        return self._starting

    def _start_pool(self) -> None:
        with self._start_lock:
            if self._pool is not None or self._closed:
                return
            judging = self.judging
            pool = ProcessPoolExecutor(
                max_workers=self.workers,
                # forked from a fresh server process that imported the extractor and the
                # judge once and prepared a page (never from this one: it runs an event
                # loop and holds database connections), so the workers share those pages
                # (the risk classifier's numbers need numpy only, not scikit-learn)
                mp_context=worker_context(judging),
                initializer=_start_worker,
                initargs=(os.getpid(), judging),
            )
            # each submission forks a worker while none is idle: all of them forked here
            for _ in range(self.workers):
                pool.submit(os.getpid)
            self._pool = pool

    def _begin(self) -> asyncio.Future[Judging]:
        """Start completing the judging context (once)."""
        if self._finishing is None:
            assert self._finish is not None
            self._finishing = asyncio.ensure_future(self._finish(self.judging))
        return self._finishing

    async def _judging(self) -> Judging:
        """The judging context, completed on first need (awaited: other pages keep being
        fetched meanwhile, up to ``WAITING_PAGES``); the workers start once it is."""
        if self._finish is not None:
            finishing = self._begin()
            self._waiting += 1
            try:
                judging = await asyncio.shield(finishing)
            finally:
                self._waiting -= 1
                self._wake()
            if self._finish is not None:
                self.judging, self._finish = judging, None
        if self._want_pool:
            self._start()
        return self.judging

    def _full(self) -> bool:
        return self._pending >= self.backlog or self._waiting >= WAITING_PAGES

    def _wake(self) -> None:
        if self._drained is not None and not self._full():
            self._drained.set()

    async def room(self) -> None:
        """Return when the workers' backlog is below its bound."""
        while self._full():
            if self._drained is None:
                self._drained = asyncio.Event()
            self._drained.clear()
            await self._drained.wait()

    async def prepare(
        self,
        body: bytes,
        url: str,
        headers: Mapping[str, str] | None,
        link: Link,
        source_id: int | None,
        *,
        from_feed: bool = False,
    ) -> Prepared:
        """:func:`prepare_article` for one page, in a worker when the pool runs."""
        judging = await self._judging()
        if not self._want_pool:
            return prepare_article(
                judging, body, url, headers, link, source_id, from_feed=from_feed
            )
        loop = asyncio.get_running_loop()
        self._pending += 1
        try:
            await asyncio.wrap_future(self._start())
            if self._pool is None:  # closed meanwhile: the cycle is ending
                raise RuntimeError("the preparer was closed")
            return await loop.run_in_executor(
                self._pool,
                _prepare_in_worker,
                body,
                url,
                dict(headers) if headers is not None else None,
                link,
                source_id,
                from_feed,
            )
        finally:
            self._pending -= 1
            self._wake()
