"""Editor decisions: the record of what people accepted, rejected, edited and published.

Appended, never updated: they are the training data of the learned relevance and
category models and the audit trail of every issue.
"""

from __future__ import annotations

from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.db.models import Article, Decision
from jianbao.errors import InputError, NotFound

Action = Literal["accept", "reject", "publish", "edit", "category"]
ACTIONS: tuple[Action, ...] = ("accept", "reject", "publish", "edit", "category")


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
