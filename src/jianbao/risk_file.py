"""The store's risk classifier as a file of numbers, for collection's worker processes.

Collection judges each new article's incident risk with the store's risk classifier
(jianbao.alerts.learn: trained on the labelled pages shipped with jianbao and the editors'
⚠ marks). It travels to the workers as a file of plain numbers
(:class:`jianbao.judge.risk_direct.RiskNumbers`: vocabularies, IDF, weights, intercepts,
calibration, in a ``.npz`` that loads with numpy alone — no scikit-learn, no pickle),
named for what it was trained on (the judge's risk code, lexicon and shipped pages, and
the marks: their count and newest id); each worker loads it once. The processes sharing a
data folder train it once between them (a lock in the models folder), and the classifier
of the shipped pages alone — the same for every store without marks — is kept in the
machine's cache (``$XDG_CACHE_HOME/jianbao``) for the next store, the demo or a re-created
data folder.

Training takes seconds of CPU and about 80 MB with scikit-learn. The collecting process
must not pay that in its own memory (it is the cycle's bound, and it lives on), so when
the file is missing it is trained in a short-lived child process (``python -m
jianbao.risk_file``): the collecting process reads the marks from its store (a small
query), hands them to the child on its standard input, and waits for it in a thread
while its event loop keeps fetching (pages wait, bounded, for the classifier before
they are judged); the child trains, writes the file and exits, returning its memory.
If the child fails, the caller judges with the lexicon alone and stores no risk, and the
alert pass judges those articles with the classifier
(:func:`jianbao.alerts.job.judge_new`): nothing loses the classifier's judgement, it
only comes later.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.models import RiskMark
from jianbao.judge.fingerprint import files_digest
from jianbao.judge.risk_direct import RiskNumbers
from jianbao.learning import models_dir
from jianbao.whole_file import copy_whole

#: the judge's files a trained risk classifier depends on
RISK_FILES = (
    "risk.py",
    "risk_cues.py",
    "risk_direct.py",
    "risk_framing.py",
    "risk_genre.py",
    "risk_lexicon.toml",
    "risk_examples.tsv",
    "tokenize.py",
)
PREFIX = "risk-"
SUFFIX = ".npz"
#: the file in a models folder whose lock one training holds (hidden: never a classifier)
LOCK_NAME = ".risk-training.lock"
#: files of earlier keys kept (a process still judging with one may load it late)
KEEP = 2
#: seconds the training child may take (the shipped pages alone: about 10 on one core)
TRAIN_TIMEOUT = 600.0


_log = logging.getLogger(__name__)


class RiskTrainingError(RuntimeError):
    """The child process could not train and write the classifier."""


def classifier_key(session: Session) -> str:
    """What the store's classifier is trained on, as a short name."""
    count, last = session.execute(select(func.count(RiskMark.id), func.max(RiskMark.id))).one()
    return _key(int(count or 0), int(last or 0))


def _key(count: int, last: int) -> str:
    marks = f"{count}-{last}"
    return hashlib.sha256(f"{files_digest(RISK_FILES).hex()}:{marks}".encode()).hexdigest()[:16]


def seed_file_name() -> str:
    """The file name of the classifier of the shipped pages alone (a store without marks)."""
    return f"{PREFIX}{_key(0, 0)}{SUFFIX}"


@dataclass(frozen=True)
class RiskOrder:
    """What the store's classifier file needs: its path and, when it is missing, the
    marks to train on (read from the store first, so the training needs no session)."""

    path: Path
    marks: list[list[Any]] | None = None


def risk_order(session: Session, settings: Settings) -> RiskOrder:
    """The store's classifier file and, when it is missing, the marks (a small query)."""
    path = models_dir(settings) / f"{PREFIX}{classifier_key(session)}{SUFFIX}"
    if path.is_file():
        return RiskOrder(path)
    return RiskOrder(path, _marks_of_store(session))


def risk_classifier_file(session: Session, settings: Settings) -> Path:
    """The file of the store's risk classifier, trained (in a child process) and written
    when it is missing. Raises ``OSError`` when the models folder cannot be written and
    :class:`RiskTrainingError` when the child fails."""
    return risk_file_of(risk_order(session, settings))


def risk_file_of(order: RiskOrder) -> Path:
    """The ordered file, trained in a child process when it is missing (blocking: the
    collecting process calls it in a thread, its event loop keeps fetching). One training
    per models folder at a time, across threads and processes: a second caller waits for
    the first's and finds the file. The classifier of the shipped pages alone is copied
    when this process or this machine has it (:func:`_seed_into`)."""
    path = order.path
    if path.is_file():
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with _lock_of(path.name), _folder_lock(path.parent):
        if path.is_file():  # made meanwhile by another thread or process of this store
            return path
        if order.marks:
            train_in_child(order.marks, path)
        else:
            _seed_into(path)
    _prune(path.parent, keep=path)
    return path


def _seed_into(path: Path) -> None:
    """Write the classifier of the shipped pages alone to ``path``. It is the same for
    every store without marks: copied from where this process last wrote it, else from
    this machine's cache (:func:`cache_dir`), else trained in a child process and kept in
    the cache — one training per machine and version of jianbao, not per store."""
    earlier = _seed_files.get(path.name)
    if earlier is not None and earlier.is_file():
        copy_whole(earlier, path)  # as RiskNumbers.save writes: a reader sees it whole
        return
    with _cache_lock() as cache:
        cached = cache / path.name if cache is not None else None
        if cached is not None and cached.is_file():
            copy_whole(cached, path)
        else:
            train_in_child([], path)
            if cached is not None:
                _keep_in_cache(path, cached)
    _seed_files[path.name] = path


@contextmanager
def _folder_lock(folder: Path) -> Iterator[None]:
    """One training per models folder at a time across processes: a worker's prefork
    children and the other workers sharing the data folder start together, find the file
    missing, and would each train it (four trainings at once on a two-core machine took
    45 s before the first article was judged); the first trains, the others wait, then
    find the file written."""
    with open(folder / LOCK_NAME, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)  # released when the file closes
        yield


def cache_dir() -> Path:
    """This machine's cache of the classifier of the shipped pages alone, shared by the
    user's stores (``$XDG_CACHE_HOME/jianbao``, else ``~/.cache/jianbao``): a new store, the
    demo, a re-created data folder find it there instead of training it again. The file's
    name holds the digest of the judge's risk files, so another version never reads it."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jianbao"


@contextmanager
def _cache_lock() -> Iterator[Path | None]:
    """The machine's cache folder, locked (one training of the shipped pages per machine
    at a time, across stores); None when it cannot be made or opened (a read-only home,
    no home at all): the store then trains its own, as without a cache."""
    try:
        folder = cache_dir()
        folder.mkdir(parents=True, exist_ok=True)
        handle = open(folder / LOCK_NAME, "a+b")  # noqa: SIM115 (closed below)
    except (OSError, RuntimeError) as exc:
        _log.info("本机缓存不可用，风险分类器在本库训练（machine cache unusable）：%s", exc)
        yield None
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield folder


def _keep_in_cache(path: Path, cached: Path) -> None:
    """Copy the classifier just trained to the machine's cache; a cache that cannot be
    written (a full disk) is only a saving missed."""
    try:
        copy_whole(path, cached)
        _prune(cached.parent, keep=cached)
    except OSError as exc:
        _log.info("风险分类器未能存入本机缓存（not cached）%s：%s", cached, exc)


#: file name → where this process last wrote the classifier of the shipped pages alone
_seed_files: dict[str, Path] = {}
#: file name → the lock its training holds
_locks: dict[str, threading.Lock] = {}
_locks_lock = threading.Lock()


def _lock_of(name: str) -> threading.Lock:
    with _locks_lock:
        return _locks.setdefault(name, threading.Lock())


def risk_numbers_in_memory(session: Session) -> RiskNumbers:
    """The store's classifier's numbers, trained in a child process that writes them to
    a temporary folder (for a models folder that cannot be written)."""
    path = Path(f"{PREFIX}{classifier_key(session)}{SUFFIX}")
    return risk_numbers_of(RiskOrder(path, _marks_of_store(session)))


def _marks_of_store(session: Session) -> list[list[Any]]:
    from jianbao.alerts.learn import marked_examples

    return [[e.title, e.text, int(e.label)] for e in marked_examples(session)]


def risk_numbers_of(order: RiskOrder) -> RiskNumbers:
    """The ordered classifier's numbers, trained in a child process that writes them to
    a temporary folder (for a models folder that cannot be written; blocking)."""
    with tempfile.TemporaryDirectory(prefix="jianbao-risk-") as folder:
        path = Path(folder) / order.path.name
        train_in_child(order.marks or [], path)
        return RiskNumbers.load(path)


def train_in_child(marks: list[list[Any]], path: Path) -> None:
    """Train the classifier on the shipped pages and ``marks`` in a child process and
    write it to ``path``."""
    request = json.dumps({"path": str(path), "marks": marks}, ensure_ascii=False)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "jianbao.risk_file"],
            input=request.encode("utf-8"),
            capture_output=True,
            timeout=TRAIN_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise RiskTrainingError(f"训练风险分类器的子进程未能完成：{exc}") from exc
    if done.returncode != 0 or not path.is_file():
        tail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        if done.returncode == 3:  # the child could not write the folder
            raise PermissionError(f"无法写入风险分类器文件 {path}：{' '.join(tail)}")
        raise RiskTrainingError(
            f"训练风险分类器的子进程失败（退出码 {done.returncode}）：{' '.join(tail)}"
        )


def _train_and_write(request: dict[str, Any]) -> None:
    """The child's work: train on the shipped pages and the marks, write the numbers."""
    from jianbao.alerts.learn import seeded_classifier
    from jianbao.judge.risk import Example, RiskClassifier, seed_examples

    marks = [Example(str(t), str(x), int(label)) for t, x, label in request["marks"]]
    # the shipped pages alone: the classifier every store without marks shares
    classifier = RiskClassifier().fit([*seed_examples(), *marks]) if marks else seeded_classifier()
    if classifier.numbers is None:
        raise RiskTrainingError("the shipped pages trained no classifier")
    classifier.numbers.save(Path(str(request["path"])))


def _prune(folder: Path, keep: Path) -> None:
    """Remove the files of older keys but the newest ``KEEP`` (and the pickles of
    earlier versions)."""
    for stale in folder.glob(f"{PREFIX}*.pickle"):
        stale.unlink(missing_ok=True)
    others = sorted(
        (p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[KEEP - 1 :]:
        old.unlink(missing_ok=True)


#: the numbers loaded in this process, with their file
_loaded: tuple[Path, RiskNumbers] | None = None


def load_risk_numbers(path: Path) -> RiskNumbers:
    """The classifier's numbers in ``path``, loaded once per process (a newer file
    replaces them)."""
    global _loaded
    if _loaded is None or _loaded[0] != path:
        _loaded = (path, RiskNumbers.load(path))
    return _loaded[1]


def main() -> int:
    """``python -m jianbao.risk_file``: read a request (JSON: ``path``, ``marks``) on
    standard input, train, write; exit 3 when the file cannot be written."""
    request = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    try:
        _train_and_write(request)
    except OSError as exc:
        print(f"{type(exc).__name__}: {exc}", file=sys.stderr)
        return 3
    return 0


if __name__ == "__main__":
    sys.exit(main())
