"""The store's risk classifier as a file, for collection's worker processes.

Collection judges each new article's incident risk with the store's risk classifier
(jianbao.alerts.learn: trained on the labelled pages shipped with jianbao and the editors'
⚠ marks). Training it takes seconds of CPU and scikit-learn in the process that trains;
a collecting process that trained it at every start would pay that on every ``jianbao
collect`` with something new, and hold scikit-learn beside its event loop. So the trained
classifier is kept as a file in the models folder, named for what it was trained on (the
judge's risk code, lexicon and shipped pages, and the marks: their count and newest id),
and travels to the workers as that name, as the relevance models do
(jianbao.judge.model_files): the first process after a change trains and writes it, the
others only check that it is there, and each worker loads it once.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.models import RiskMark
from jianbao.judge.fingerprint import files_digest
from jianbao.judge.risk import RiskClassifier
from jianbao.learning import models_dir

#: the judge's files a trained risk classifier depends on
RISK_FILES = ("risk.py", "risk_lexicon.toml", "risk_examples.tsv", "tokenize.py")
PREFIX = "risk-"
SUFFIX = ".pickle"
#: files of earlier keys kept (a process still judging with one may load it late)
KEEP = 2


def classifier_key(session: Session) -> str:
    """What the store's classifier is trained on, as a short name."""
    count, last = session.execute(select(func.count(RiskMark.id), func.max(RiskMark.id))).one()
    marks = f"{int(count or 0)}-{int(last or 0)}"
    return hashlib.sha256(f"{files_digest(RISK_FILES).hex()}:{marks}".encode()).hexdigest()[:16]


def risk_classifier_file(session: Session, settings: Settings) -> Path:
    """The file of the store's risk classifier, trained and written when it is missing."""
    folder = models_dir(settings)
    path = folder / f"{PREFIX}{classifier_key(session)}{SUFFIX}"
    if path.is_file():
        return path
    from jianbao.alerts.learn import risk_classifier

    classifier = risk_classifier(session, settings.resolved_database_url)
    folder.mkdir(parents=True, exist_ok=True)
    # written whole under a temporary name, then renamed: a reader never sees half a file
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".risk-", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(classifier, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    _prune(folder, keep=path)
    return path


def _prune(folder: Path, keep: Path) -> None:
    """Remove the files of older keys but the newest ``KEEP``."""
    others = sorted(
        (p for p in folder.glob(f"{PREFIX}*{SUFFIX}") if p != keep),
        key=lambda p: p.stat().st_mtime,
        reverse=True,
    )
    for old in others[KEEP - 1 :]:
        old.unlink(missing_ok=True)


#: the classifier loaded in this process, with its file
_loaded: tuple[Path, RiskClassifier] | None = None


def load_risk_classifier(path: Path) -> RiskClassifier:
    """The classifier in ``path``, loaded once per process (a newer file replaces it)."""
    global _loaded
    if _loaded is None or _loaded[0] != path:
        with path.open("rb") as handle:
            classifier = pickle.load(handle)  # our own file, in the data folder
        if not isinstance(classifier, RiskClassifier):
            raise TypeError(f"{path} holds no risk classifier")
        _loaded = (path, classifier)
    return _loaded[1]
