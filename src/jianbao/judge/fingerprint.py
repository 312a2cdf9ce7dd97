"""Which judge judged an article: a short fingerprint of what decides its judgement.

A stored article keeps what the judge said when it was collected. When the judge changes
— a broader lexicon, the normalised Simplified form, a retrained model — old articles
keep the old judgement until they are judged again (``jianbao rejudge``). To know which
ones, each article stores the fingerprint of the judge that judged it
(``articles.judged_with``); an article whose fingerprint is not today's is *stale*.

The fingerprint covers the code and data that make an article's relevance, category,
scope, near-duplicate signature, sentiment and risk (the judge's own source files and
lexicon files, read from the installed package), the configured topic expression, and
the learned models in use (the relevance version, the category model's file). It does not
cover the risk classifier learned from the editors' ⚠ marks: it changes with every mark,
and re-judging a store for each would cost far more than it tells; an article's risk is
the one judged when it was collected (or re-judged).
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib import resources

from jianbao.judge.model_files import CATEGORY_FILE, ModelFiles

#: the judge's files whose content decides a judgement (not events, rank, links, summary:
#: they order, group or describe, they do not judge)
JUDGING_FILES = (
    "__init__.py",
    "category.py",
    "dedup.py",
    "lexicon.py",
    "normalize.py",
    "relevance.py",
    "risk.py",
    "risk_direct.py",
    "risk_lexicon.toml",
    "scope.py",
    "sentiment.py",
    "sentiment_lexicon.toml",
    "tokenize.py",
    "tone.py",
    "topic.py",
)
#: hex digits kept: collisions between two judges of one store are not a concern
LENGTH = 16


@cache
def files_digest(names: tuple[str, ...]) -> bytes:
    """The named files of the judge package, hashed once per process: what was judged
    with them (an article, a trained classifier) is stale when one of them changes."""
    digest = hashlib.sha256()
    package = resources.files("jianbao.judge")
    for name in names:
        entry = package.joinpath(name)
        digest.update(name.encode() + b"\0")
        digest.update(entry.read_bytes() if entry.is_file() else b"-")
    return digest.digest()


def judge_fingerprint(topic: str, models: ModelFiles | None) -> str:
    """The fingerprint of judging with the ``topic`` expression and the ``models``."""
    digest = hashlib.sha256(files_digest(JUDGING_FILES))
    digest.update(b"\0topic\0" + topic.encode())
    if models is not None:
        digest.update(f"\0relevance\0{models.relevance_version}".encode())
        if models.category:
            path = models.folder / CATEGORY_FILE
            try:
                stat = path.stat()
                digest.update(f"\0category\0{stat.st_size}\0{stat.st_mtime_ns}".encode())
            except OSError:
                digest.update(b"\0category\0missing")
    return digest.hexdigest()[:LENGTH]
