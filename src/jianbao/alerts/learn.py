"""The risk classifier of a store: trained on the labelled pages shipped with jianbao
(:func:`jianbao.judge.risk.seed_examples`: real pages, incidents and the guides, drills,
notices and reports from abroad that name the same harms) together with the editors'
marks (the ⚠ on a story, alerts acknowledged or dismissed), retrained when a mark is
added. The newest mark of an article wins (an editor may change their mind).

Starting from the shipped pages, a new deployment alerts with the precision measured by
``benchmarks/alerts.py`` (the same classifier, the same pages) instead of the bare word
list's; each mark then moves the classifier towards the center's own idea of an incident.
"""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jianbao.db.models import Article, RiskMark
from jianbao.judge.risk import Example, RiskClassifier, seed_examples

_lock = threading.Lock()
#: store URL → (marks seen, their newest id) and the classifier trained on them
_trained: dict[str, tuple[tuple[int, int], RiskClassifier]] = {}
#: the classifier of the shipped pages alone, shared by every store without marks
_seeded: RiskClassifier | None = None


def marked_examples(session: Session) -> list[Example]:
    newest = (
        select(RiskMark.article_id, func.max(RiskMark.id).label("last"))
        .group_by(RiskMark.article_id)
        .subquery()
    )
    rows = session.execute(
        select(Article.title, Article.body, RiskMark.incident)
        .join(newest, newest.c.last == RiskMark.id)
        .join(Article, Article.id == RiskMark.article_id)
    )
    return [Example(title, body[:2000], int(incident)) for title, body, incident in rows]


def seeded_classifier() -> RiskClassifier:
    """The classifier trained on the shipped pages only (trained once a process)."""
    global _seeded
    with _lock:
        if _seeded is None:
            _seeded = RiskClassifier().fit(seed_examples())
        return _seeded


def risk_classifier(session: Session, store: str) -> RiskClassifier:
    """The classifier for this store's marks and the shipped pages, trained again only
    when the marks changed."""
    count, last = session.execute(select(func.count(RiskMark.id), func.max(RiskMark.id))).one()
    key = (int(count or 0), int(last or 0))
    if key[0] == 0:
        return seeded_classifier()
    with _lock:
        cached = _trained.get(store)
        if cached is not None and cached[0] == key:
            return cached[1]
    classifier = RiskClassifier().fit([*seed_examples(), *marked_examples(session)])
    with _lock:
        _trained[store] = (key, classifier)
    return classifier
