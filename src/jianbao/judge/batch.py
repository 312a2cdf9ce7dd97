"""Judging many articles at once, on every core.

Judging an article is CPU work of its own — the keyword topic, the learned model, the
category, the summary, the near-duplicate signature — that depends on no other article,
so a batch spreads over a pool of worker processes (threads would take turns on the
interpreter lock). The near-duplicate index is state that every article reads and
changes in order: querying and adding stay with the caller, who gets the results in the
order of the articles, as soon as each chunk is done, and indexes one chunk while the
workers judge the next ones.

Results are those of the one-article path: ``Judged.judgement`` equals
:func:`jianbao.judge.judge_article` and ``Judged.signature`` equals
``StoryIndex.signature(title + "\\n" + body)``, whatever the number of workers (with one
worker, or a batch smaller than a chunk, nothing is sent anywhere)::

    with BatchJudge(topic, model=model, summary_chars=settings.summary_length) as judge:
        for key, judged in zip(keys, judge.judge_iter(articles), strict=True):
            similar = index.query(judged.signature)
            index.add(key, judged.signature)

or in one call ``judge_batch(articles, topic, model=model)``. Workers are started once
per :class:`BatchJudge` (two seconds or so: a server process imports the judge and
scikit-learn, the workers fork from it and unpickle the topic and the model), so one
judge serves a whole collection cycle or re-judging run. ``workers`` defaults to the
cores this process may use.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence, Sized
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any

from jianbao.judge.category import DEFAULT_CATEGORIES, categorize
from jianbao.judge.dedup import NUM_PERM, StoryIndex
from jianbao.judge.normalize import simplified
from jianbao.judge.relevance import MODEL_FEATURES, combine
from jianbao.judge.scope import scope_of
from jianbao.judge.summary import summarize_many
from jianbao.judge.topic import Topic
from jianbao.records import Article, Judgement

if TYPE_CHECKING:  # the models pull in scikit-learn
    from jianbao.judge.category_model import CategoryModel
    from jianbao.judge.model import RelevanceModel

#: articles per task sent to a worker: each step costs some milliseconds per call whatever
#: the number of articles (the model's most of all), so a task is a few hundred of them
CHUNK = 256
#: texts per task when only signing (a signature costs a tenth of a judgement)
SIGN_CHUNK = 1024
#: chunks in flight per worker: the next one is queued while a worker sends its result
IN_FLIGHT = 2

#: (title, paragraphs): what judging reads of an article
Item = tuple[str, list[str]]
#: relevant, score, matched terms, category, summary, signature, model probability, model
#: features, scope: one article's result
_Row = tuple[bool, float, list[str], str, str, bytes, float | None, list[str], str | None]


@dataclass(frozen=True, slots=True)
class Judged:
    """One article's judgement and its near-duplicate signature (to query and index)."""

    judgement: Judgement
    signature: bytes


class _Judge:
    """What judging needs, in the worker (or in the caller's process, without workers)."""

    def __init__(
        self,
        topic: Topic | None,
        model: RelevanceModel | None,
        category_model: CategoryModel | None,
        categories: tuple[str, ...],
        summary_chars: int,
        num_perm: int,
    ):
        self.topic = topic
        self.model = model
        self.category_model = category_model
        self.categories = categories
        self.summary_chars = summary_chars
        self.signer: StoryIndex[Any] = StoryIndex(num_perm=num_perm)

    def judge(self, items: Sequence[Item]) -> list[_Row]:
        """The steps of :func:`jianbao.judge.judge_article`, each over the whole chunk."""
        topic = self.topic
        if topic is None:
            raise ValueError("BatchJudge 没有配置主题，只能计算签名")
        originals = [(title, "\n".join(paragraphs)) for title, paragraphs in items]
        # judged and signed in the normalised form (繁體 made Simplified, mirror artefacts
        # removed); summaries quote the original
        titles = [simplified(title) for title, _ in originals]
        bodies = [simplified(body) for _, body in originals]
        matches = [topic.match(title, body) for title, body in zip(titles, bodies, strict=True)]
        model = self.model
        # one feature matrix for the probabilities and the relevant items' reasons
        matrix = model.matrix(list(zip(titles, bodies, strict=True))) if model is not None else None
        probabilities: Sequence[float | None] = (
            model.probabilities_of(matrix)
            if model is not None and matrix is not None
            else [None] * len(items)
        )
        categories = [
            self.categorize(title, body) for title, body in zip(titles, bodies, strict=True)
        ]
        summaries = summarize_many(
            items, self.summary_chars, policies=[category == "政策文件" for category in categories]
        )
        signatures = self.sign(
            [title + "\n" + body for title, body in zip(titles, bodies, strict=True)]
        )
        rows: list[_Row] = []
        for n, (match, probability, category, summary, signature) in enumerate(
            zip(matches, probabilities, categories, summaries, signatures, strict=True)
        ):
            decision = combine(match, probability, title=titles[n], body=bodies[n])
            features = (
                model.reasons_of(matrix, n, MODEL_FEATURES)
                if model is not None and matrix is not None and decision.relevant
                else []
            )
            rows.append(
                (
                    decision.relevant,
                    decision.score,
                    list(match.terms),
                    category,
                    summary,
                    signature,
                    probability,
                    features,
                    scope_of(titles[n], bodies[n]),
                )
            )
        return rows

    def categorize(self, title: str, body: str) -> str:
        if self.category_model is None:
            return categorize(title, body, self.categories)
        from jianbao.judge.category_model import refine_category

        return refine_category(title, body, self.category_model, self.categories)

    def sign(self, texts: Sequence[str]) -> list[bytes]:
        return self.signer.signatures(texts)


#: how often a worker makes sure the process it works for is still there, in seconds
OWNER_CHECK_SECONDS = 1.0


def watch_owner(owner: int) -> None:
    """Let this worker exit when process ``owner`` (the one whose pool it is in) is gone.

    A pool's workers wait on a queue whose writing end they hold themselves, and each
    holds the fork server's lifeline: when the owner is killed outright (kill -9, the
    out-of-memory killer, a cron job's timeout), nothing tells them, and they and the
    fork server would wait forever, each holding its memory. A daemon thread checks."""

    def watch() -> None:
        while True:
            time.sleep(OWNER_CHECK_SECONDS)
            if not _alive(owner):
                os._exit(0)

    threading.Thread(target=watch, name="jianbao-owner-watch", daemon=True).start()


def _alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie, killed but not yet reaped, does not)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return True
    return state not in ("Z", "X")


#: the worker process's judge, set once by _start_worker
_worker: _Judge | None = None


def _start_worker(owner: int, *args: Any) -> None:
    global _worker
    watch_owner(owner)
    _worker = _Judge(*args)
    _worker.signer.signature("预热")  # build the code tables now, not in the first task


def _judge_in_worker(items: list[Item]) -> list[_Row]:
    assert _worker is not None, "worker not started"
    return _worker.judge(items)


def _sign_in_worker(texts: list[str]) -> list[bytes]:
    assert _worker is not None, "worker not started"
    return _worker.sign(texts)


def default_workers() -> int:
    """The cores this process may use (all of them unless restricted by affinity)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class BatchJudge:
    """A pool of worker processes that judge and sign articles; close it (or use it as a
    context manager) to stop them.

    ``topic`` may be None for a judge that only computes signatures (:meth:`signatures`).
    ``workers``: processes to use, by default one per core; 1 judges in this process.
    ``num_perm`` must be that of the index the signatures go into."""

    def __init__(
        self,
        topic: Topic | None,
        *,
        model: RelevanceModel | None = None,
        category_model: CategoryModel | None = None,
        categories: Sequence[str] = DEFAULT_CATEGORIES,
        summary_chars: int = 120,
        num_perm: int = NUM_PERM,
        workers: int | None = None,
        chunk: int = CHUNK,
        sign_chunk: int = SIGN_CHUNK,
    ):
        self.workers = max(1, workers if workers is not None else default_workers())
        self.chunk = max(1, chunk)
        self.sign_chunk = max(1, sign_chunk)
        args = (topic, model, category_model, tuple(categories), summary_chars, num_perm)
        self._local = _Judge(*args)
        self._pool: ProcessPoolExecutor | None = None
        #: how the workers start: "forkserver", or "spawn" where there is none (None: no
        #: workers)
        self.start_method: str | None = None
        if self.workers > 1:
            learned = model is not None or category_model is not None
            context = worker_context(learned)
            self.start_method = context.get_start_method()
            self._pool = ProcessPoolExecutor(
                self.workers,
                mp_context=context,
                initializer=_start_worker,
                initargs=(os.getpid(), *args),
            )

    def __enter__(self) -> BatchJudge:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the workers (waiting for tasks already handed out)."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def start(self) -> BatchJudge:
        """Start every worker now and wait until each is ready (else they start with the
        first batch)."""
        if self._pool is not None:
            ready = [self._pool.submit(os.getpid) for _ in range(self.workers)]
            for future in ready:
                future.result()
        return self

    def worker_pids(self) -> list[int]:
        """Process ids of the running workers (for measuring their memory)."""
        processes = getattr(self._pool, "_processes", None) or {}
        return sorted(processes)

    # -- judging ---------------------------------------------------------------------------

    def judge(self, articles: Iterable[Article | Item]) -> list[Judged]:
        """Judgements and signatures of the articles, in their order."""
        return list(self.judge_iter(articles))

    def judge_iter(self, articles: Iterable[Article | Item]) -> Iterator[Judged]:
        """Like :meth:`judge`, yielding each article's result as soon as its chunk is done
        (the caller indexes one chunk while the workers judge the next)."""
        items = (_item(article) for article in articles)
        size = self._chunk_for(articles, self.chunk)
        for row in self._run(items, size, _judge_in_worker, self._local.judge):
            relevant, score, terms, category, summary, signature, probability, features, scope = row
            yield Judged(
                Judgement(relevant, score, terms, category, summary, probability, features, scope),
                signature,
            )

    def signatures(self, texts: Iterable[str]) -> list[bytes]:
        """Near-duplicate signatures of texts (``StoryIndex.signature(text)``), in order."""
        return list(self.signatures_iter(texts))

    def signatures_iter(self, texts: Iterable[str]) -> Iterator[bytes]:
        """Like :meth:`signatures`, yielding each as soon as its chunk is done."""
        size = self._chunk_for(texts, self.sign_chunk)
        return self._run(iter(texts), size, _sign_in_worker, self._local.sign)

    def _chunk_for(self, items: Iterable[Any], size: int) -> int:
        """The chunk size, smaller when a batch of known length would otherwise leave a
        worker idle (300 articles on two workers: two chunks of 150, not 256 and 44)."""
        if isinstance(items, Sized) and len(items) > 0:
            return max(1, min(size, -(-len(items) // self.workers)))
        return size

    def _run(self, items: Iterator[Any], size: int, remote: Any, local: Any) -> Iterator[Any]:
        """Results of ``remote`` (in a worker) or ``local`` over chunks of ``size`` items,
        in order, with at most IN_FLIGHT chunks per worker handed out at a time."""
        chunks = _chunks(items, size)
        pool = self._pool
        first = next(chunks, None)
        if first is None:
            return
        second = next(chunks, None)
        if pool is None or second is None:  # one chunk: sending it would only cost
            yield from local(first)
            if second is not None:
                yield from local(second)
            for chunk in chunks:
                yield from local(chunk)
            return
        pending: deque[Future[list[Any]]] = deque(
            [pool.submit(remote, first), pool.submit(remote, second)]
        )
        limit = IN_FLIGHT * self.workers
        try:
            for chunk in chunks:
                pending.append(pool.submit(remote, chunk))
                if len(pending) >= limit:
                    yield from pending.popleft().result()
            while pending:
                yield from pending.popleft().result()
        finally:
            for future in pending:  # the caller stopped early or a chunk failed
                future.cancel()


def judge_batch(
    articles: Sequence[Article | Item],
    topic: Topic,
    *,
    model: RelevanceModel | None = None,
    category_model: CategoryModel | None = None,
    categories: Sequence[str] = DEFAULT_CATEGORIES,
    summary_chars: int = 120,
    num_perm: int = NUM_PERM,
    workers: int | None = None,
) -> list[Judged]:
    """Judge a batch of articles on ``workers`` processes (default: one per core) and
    return each one's judgement and signature, in order. Starting the workers costs a
    second or two: for repeated batches keep a :class:`BatchJudge`."""
    if workers is None and len(articles) <= CHUNK:
        workers = 1
    with BatchJudge(
        topic,
        model=model,
        category_model=category_model,
        categories=categories,
        summary_chars=summary_chars,
        num_perm=num_perm,
        workers=workers,
    ) as judge:
        return judge.judge(articles)


def _item(article: Article | Item) -> Item:
    """Only what judging reads is sent to a worker (not the HTML, not the URLs)."""
    if isinstance(article, Article):
        return article.title, article.paragraphs
    title, paragraphs = article
    return title, list(paragraphs)


def _chunks(items: Iterator[Any], size: int) -> Iterator[list[Any]]:
    chunk: list[Any] = []
    for item in items:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _main_modules() -> list[str]:
    """The jianbao modules the caller's main module holds or takes names from (a
    console script's ``from jianbao.cli import main``): a worker runs the main module
    again, and finds these loaded. (A fork server never imports the main module itself:
    Python 3.11's forkserver asks for a ``main_path`` its preparation data does not
    carry, so "__main__" in a preload list does nothing.)"""
    main = sys.modules.get("__main__")
    found = set()
    for value in list(vars(main).values()) if main is not None else []:
        name = (
            value.__name__ if isinstance(value, ModuleType) else getattr(value, "__module__", None)
        )
        if isinstance(name, str) and name.startswith("jianbao.") and name in sys.modules:
            found.add(name)
    return sorted(found)


def worker_context(
    learned: bool, *, last: Sequence[str] = (), only: Sequence[str] | None = None
) -> multiprocessing.context.BaseContext:
    """How workers start: forked from a fresh server process ("forkserver"), never from
    the caller. Forking the caller copies its locks but not its threads, and the caller
    has threads: rensa's thread pool, once it has signed a batch, waits forever in a
    forked child; an event loop's resolver or a web server may hold a lock.

    Each worker imports the caller's main module again (multiprocessing does, to find
    what it may refer to). The server first imports what the caller has of jianbao —
    and scikit-learn when there are ``learned`` models: seconds of imports — so that
    every worker forked from it finds them loaded, and ``last`` after them (the collection's
    warm-up, :func:`jianbao.prepare.worker_context`).

    ``only``: the modules the workers need, imported instead of all the caller has of
    jianbao (a collecting process holds its fetcher, store and event stage, which no
    worker uses: about 18 MB of the server's, issue 21), with those the caller's main
    module takes from jianbao (:func:`_main_modules`)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    ours = (
        sorted(
            name
            for name in list(sys.modules)
            if name.startswith("jianbao.") and not name.endswith("__main__")
        )
        if only is None
        else [*_main_modules(), *only]
    )
    learned_modules = ["jianbao.judge.model", "jianbao.judge.category_model"] if learned else []
    preload = [__name__, *learned_modules, *ours]
    # what comes last stays last, even when it is already among ``ours``
    preload = [name for name in preload if name not in last] + list(last)
    context.set_forkserver_preload(list(dict.fromkeys(preload)))
    return context
