"""Editor decisions: the record of what people accepted, rejected, edited and published.

Appended, never updated: they are the training data of the learned relevance and
category models and the audit trail of every issue. Recording one also counts it in the
session (:data:`NEW_DECISIONS`), so the store can retrain the models once enough new
decisions are committed (see :class:`jianbao.learning.AutoRetrainer`).
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.db.models import Article, Decision
from jianbao.errors import InputError, NotFound

Action = Literal["accept", "reject", "publish", "edit", "category"]
ACTIONS: tuple[Action, ...] = ("accept", "reject", "publish", "edit", "category")
#: the actions a model learns from (an edit of a title or summary teaches nothing)
LEARNED: tuple[Action, ...] = ("accept", "reject", "publish", "category")
#: ``Session.info`` key: learned decisions recorded in the session's current transaction
NEW_DECISIONS = "jianbao_new_decisions"


def record_decision(
    session: Session,
    article_id: int,
    action: str,
    *,
    editor: str | None = None,
    detail: dict[str, Any] | None = None,
) -> Decision:
    """Append one decision on an article."""
    if action not in ACTIONS:
        raise InputError(f"未知的处理动作 {action!r}", hint="可用：" + "、".join(ACTIONS))
    if session.get(Article, article_id) is None:
        raise NotFound("没有这篇文章", item=str(article_id))
    decision = Decision(article_id=article_id, action=action, editor=editor, detail=detail)
    session.add(decision)
    session.flush()
    if action in LEARNED:
        session.info[NEW_DECISIONS] = session.info.get(NEW_DECISIONS, 0) + 1
    return decision


def latest_decisions(session: Session, article_ids: list[int]) -> dict[int, str]:
    """The latest accept/reject/publish decision per article (for the candidates' status)."""
    rows = session.execute(
        select(Decision.article_id, Decision.action)
        .where(
            Decision.article_id.in_(article_ids),
            Decision.action.in_(("accept", "reject", "publish")),
        )
        .order_by(Decision.at, Decision.id)
    )
    status: dict[int, str] = {}
    for article_id, action in rows:
        status[article_id] = action
    return status


def training_labels(session: Session) -> list[tuple[int, int]]:
    """(article id, label) from decisions: accepted or published → 1, rejected → 0;
    the latest decision on an article wins."""
    rows = session.execute(
        select(Decision.article_id, Decision.action)
        .where(Decision.action.in_(("accept", "reject", "publish")))
        .order_by(Decision.at, Decision.id)
    )
    labels: dict[int, int] = {}
    for article_id, action in rows:
        labels[article_id] = 0 if action == "reject" else 1
    return sorted(labels.items())


def category_labels(session: Session) -> dict[int, str]:
    """Article id → the category an editor set (``category`` decisions, the latest wins);
    a cleared category teaches nothing and drops the article."""
    rows = session.execute(
        select(Decision.article_id, Decision.detail)
        .where(Decision.action == "category")
        .order_by(Decision.at, Decision.id)
    )
    labels: dict[int, str] = {}
    for article_id, detail in rows:
        change = (detail or {}).get("category")
        new = change[-1] if isinstance(change, list) and change else None
        if isinstance(new, str) and new.strip():
            labels[article_id] = new.strip()
        else:
            labels.pop(article_id, None)
    return labels
