"""The risk classifier of a store: trained on the editors' marks (the ⚠ on a story, alerts
acknowledged or dismissed), retrained when a mark is added. The newest mark of an
article wins (an editor may change their mind)."""

from __future__ import annotations

import threading

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from jianbao.db.models import Article, RiskMark
from jianbao.judge.risk import Example, RiskClassifier

_lock = threading.Lock()
#: store URL → (marks seen, their newest id) and the classifier trained on them
_trained: dict[str, tuple[tuple[int, int], RiskClassifier]] = {}


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


def risk_classifier(session: Session, store: str) -> RiskClassifier:
    """The classifier for this store's marks, trained again only when they changed."""
    count, last = session.execute(select(func.count(RiskMark.id), func.max(RiskMark.id))).one()
    key = (int(count or 0), int(last or 0))
    with _lock:
        cached = _trained.get(store)
        if cached is not None and cached[0] == key:
            return cached[1]
    classifier = RiskClassifier().fit(marked_examples(session))
    with _lock:
        _trained[store] = (key, classifier)
    return classifier
