"""The store's revision: a counter that moves whenever what the editor sees changes.

The workstation keeps computed lists (the week's ranked candidates, the outlets of a
period) between requests and must never show one that is out of date. Rather than
guessing with a time-to-live, every transaction that changes an article, a story, a
decision, an issue or a source (its health after each visit) also adds one to a single
counter row, in the same transaction; a reader reads the counter first, and its cached
list is valid as long as the counter has not moved. Because the increment commits with
the change (and on PostgreSQL holds the row until then), a reader never sees a new
revision with old data.

Changes made through the ORM (objects added, changed or deleted) and ORM-enabled
``update``/``delete`` statements are counted by session events installed once at import;
a process writing with plain SQL must call :func:`bump` itself.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import ORMExecuteState, Session

from jianbao.db.models import Article, Decision, Issue, IssueItem, Publication, Source, Story

#: the mapped classes whose rows the editor sees in lists
WATCHED: tuple[type, ...] = (Article, Story, Decision, Issue, IssueItem, Publication, Source)

_FLAG = "jianbao_revision_bumped"


def current(session: Session) -> int:
    """The store's revision as this session sees it (read it before the data it guards)."""
    value = session.execute(text("SELECT value FROM store_revision WHERE id = 1")).scalar()
    return int(value or 0)


def bump(session: Session) -> None:
    """Count a change in the caller's transaction (once per transaction)."""
    if session.info.get(_FLAG):
        return
    session.execute(text("UPDATE store_revision SET value = value + 1 WHERE id = 1"))
    session.info[_FLAG] = True


def _watched(objects: Any) -> bool:
    return any(isinstance(obj, WATCHED) for obj in objects)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    if _watched(session.new) or _watched(session.deleted) or _watched(session.dirty):
        bump(session)


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if (state.is_update or state.is_delete) and any(
        mapper.class_ in WATCHED for mapper in state.all_mappers
    ):
        bump(state.session)


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended: count afresh
        session.info.pop(_FLAG, None)
