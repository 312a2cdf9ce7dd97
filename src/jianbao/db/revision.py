"""The store's revision: a counter that moves whenever what the editor sees changes.

The workstation keeps computed lists (the week's ranked candidates, the outlets of a
period) between requests and must never show one that is out of date. Rather than
guessing with a time-to-live, every transaction that changes an article, a story, a
decision, an issue or a source (its health after each visit) also adds one to a single
counter row, in the same transaction; a reader reads the counter first, and its cached
list is valid as long as the counter has not moved. Because the increment commits with
the change (and on PostgreSQL holds the row until then), a reader never sees a new
revision with old data.

A second counter (row 2, :data:`STORIES`) moves only when articles, stories or the
editors' story corrections change: what the event stage's window in a collecting process's
memory holds (:class:`jianbao.stories.EventWindow`). A source's health, written after every
visit, moves the first counter but not this one, so the window is not read again for it.

Changes made through the ORM (objects added, changed or deleted) and ORM-enabled
``update``/``delete`` statements are counted by session events installed once at import;
a process writing with plain SQL must call :func:`bump` itself (it moves both counters).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, text
from sqlalchemy.orm import ORMExecuteState, Session

from jianbao.db.models import (
    Article,
    Decision,
    Issue,
    IssueItem,
    Publication,
    Source,
    Story,
    StoryCorrection,
)

#: the counters (rows of store_revision): everything the editor sees in lists, and only
#: articles and stories (the event stage's window and its threshold)
STORE = 1
STORIES = 2

#: the mapped classes whose rows the editor sees in lists
WATCHED: tuple[type, ...] = (Article, Story, Decision, Issue, IssueItem, Publication, Source)
#: the mapped classes whose rows the event stage's window (and threshold) is drawn from
STORY_WATCHED: tuple[type, ...] = (Article, Story, StoryCorrection)

_FLAG = "jianbao_revision_bumped"


def current(session: Session, counter: int = STORE) -> int:
    """A counter's value as this session sees it (read it before the data it guards)."""
    value = session.execute(
        text("SELECT value FROM store_revision WHERE id = :id"), {"id": counter}
    ).scalar()
    return int(value or 0)


def bump(session: Session, counters: tuple[int, ...] = (STORE, STORIES)) -> None:
    """Count a change in the caller's transaction (each counter once per transaction).

    A plain-SQL writer calls it with no ``counters``: both move, as they must when it
    may have touched articles or stories."""
    bumped: set[int] = session.info.setdefault(_FLAG, set())
    for counter in counters:
        if counter in bumped:
            continue
        session.execute(
            text("UPDATE store_revision SET value = value + 1 WHERE id = :id"), {"id": counter}
        )
        bumped.add(counter)


def _counters(watched: bool, stories: bool) -> tuple[int, ...]:
    return (STORE,) * watched + (STORIES,) * stories


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    done = session.info.get(_FLAG, ())
    if STORE in done and STORIES in done:
        return
    watched = stories = False
    for group in (session.new, session.deleted, session.dirty):
        for obj in group:
            watched = watched or isinstance(obj, WATCHED)
            stories = stories or isinstance(obj, STORY_WATCHED)
            if watched and stories:
                break
    if watched or stories:
        bump(session, _counters(watched, stories))


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    classes = [mapper.class_ for mapper in state.all_mappers]
    watched = any(cls in WATCHED for cls in classes)
    stories = any(cls in STORY_WATCHED for cls in classes)
    if watched or stories:
        bump(state.session, _counters(watched, stories))


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended: count afresh
        session.info.pop(_FLAG, None)
