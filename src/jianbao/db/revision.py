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

A third (row 3, :data:`STRUCTURE`) moves for every change of articles, stories or
corrections except new articles stored in order (issue 19): a split or merge, a merge
of near-copies' stories, a relevance rejudged, a title edited, an article deleted, a
correction recorded. New articles (and their stories, new or grown) are stored in order
when the transaction holds the store's article lock, taken before their ids (the event
stage says so: :func:`stored_in_order`); a window that sees only this kind of change
since it last looked reads the new articles by id and keeps the rest. A transaction
that adds articles without saying so moves this counter too, when it commits.

Changes made through the ORM (objects added, changed or deleted) and ORM-enabled
``update``/``delete`` statements are counted by session events installed once at import;
a process writing with plain SQL must call :func:`bump` itself (it moves all three).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import bindparam, event, inspect, text
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
#: every article or story change but new articles stored in order (issue 19)
STRUCTURE = 3

#: the mapped classes whose rows the editor sees in lists
WATCHED: tuple[type, ...] = (Article, Story, Decision, Issue, IssueItem, Publication, Source)
#: the mapped classes whose rows the event stage's window (and threshold) is drawn from
STORY_WATCHED: tuple[type, ...] = (Article, Story, StoryCorrection)

#: the article columns an event window reads of a stored article: a change of any other
#: (a policy document linked, a tone judged) is none of :data:`STRUCTURE`'s
WINDOW_COLUMNS = frozenset(
    {"id", "story_id", "title", "body", "relevant", "imported", "category", "published_at"}
)

_FLAG = "jianbao_revision_bumped"
#: the articles added in this transaction (their later changes are part of adding them)
_ADDED = "jianbao_revision_added"
#: the transaction said its new articles are stored in order (:func:`stored_in_order`)
_IN_ORDER = "jianbao_revision_in_order"


def current(session: Session, counter: int = STORE) -> int:
    """A counter's value as this session sees it (read it before the data it guards)."""
    value = session.execute(
        text("SELECT value FROM store_revision WHERE id = :id"), {"id": counter}
    ).scalar()
    return int(value or 0)


_BUMP = text("UPDATE store_revision SET value = value + 1 WHERE id IN :ids").bindparams(
    bindparam("ids", expanding=True)
)


def bump(session: Session, counters: tuple[int, ...] = (STORE, STORIES, STRUCTURE)) -> None:
    """Count a change in the caller's transaction (each counter once per transaction).

    A plain-SQL writer calls it with no ``counters``: all move, as they must when it
    may have touched articles or stories."""
    bumped: set[int] = session.info.setdefault(_FLAG, set())
    new = sorted(set(counters) - bumped)
    if not new:
        return
    # one statement for all of them: a collecting process's first flush moves two, under
    # the store's article lock, where each round trip is waited for by every other writer
    session.execute(_BUMP, {"ids": new})
    bumped.update(new)


def stored_in_order(session: Session) -> None:
    """Say that the articles this transaction adds were given their ids under the
    store's article lock, held until it commits (or on a store with one writer): ids are
    then committed in order, and adding them does not move :data:`STRUCTURE`."""
    session.info[_IN_ORDER] = True


def _counters(watched: bool, stories: bool, structure: bool = False) -> tuple[int, ...]:
    return (STORE,) * watched + (STORIES,) * stories + (STRUCTURE,) * structure


def _structural(session: Session) -> bool:
    """Whether the flush to come changes articles or stories other than by adding
    articles (and the stories they start or join); notes the articles added."""
    added: dict[int, object] = session.info.setdefault(_ADDED, {})
    for obj in session.new:
        if isinstance(obj, Article):
            added[id(obj)] = obj  # kept: an id is not reused while the object lives
        elif isinstance(obj, StoryCorrection):
            return True
    if any(isinstance(obj, STORY_WATCHED) for obj in session.deleted):
        return True
    # a story's size and representative are no window's; an article's own changes in
    # the transaction that adds it (its story) are part of adding it
    return any(
        isinstance(obj, StoryCorrection)
        or (isinstance(obj, Article) and id(obj) not in added and _window_changed(obj))
        for obj in session.dirty
    )


def _window_changed(row: Article) -> bool:
    """Whether a stored article's columns a window reads are changed in the session."""
    attributes = inspect(row).attrs
    return any(attributes[name].history.has_changes() for name in WINDOW_COLUMNS)


def _statement_structural(state: ORMExecuteState, classes: list[type]) -> bool:
    """Whether an update or delete statement may change what a window reads: any
    delete, any statement on stories or corrections, an update of articles setting
    one of :data:`WINDOW_COLUMNS` (or columns it cannot tell)."""
    if state.is_delete or any(cls in (Story, StoryCorrection) for cls in classes):
        return True
    values = getattr(state.statement, "_values", None)  # what ``.values(...)`` set
    if not values:
        return True  # a bulk update by primary key: its columns are not known here
    names = {getattr(column, "key", column) for column in values}
    return bool(names & WINDOW_COLUMNS)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    done = session.info.get(_FLAG, ())
    if STORE in done and STORIES in done and STRUCTURE in done:
        return
    watched = stories = False
    for group in (session.new, session.deleted, session.dirty):
        for obj in group:
            watched = watched or isinstance(obj, WATCHED)
            stories = stories or isinstance(obj, STORY_WATCHED)
            if watched and stories:
                break
    structure = stories and STRUCTURE not in done and _structural(session)
    if watched or stories:
        bump(session, _counters(watched, stories, structure))


@event.listens_for(Session, "do_orm_execute")
def _on_execute(state: ORMExecuteState) -> None:
    if not (state.is_update or state.is_delete):
        return
    classes = [mapper.class_ for mapper in state.all_mappers]
    watched = any(cls in WATCHED for cls in classes)
    stories = any(cls in STORY_WATCHED for cls in classes)
    if watched or stories:
        # an update or delete statement on articles or stories: a merge, a rejudge…
        structure = stories and _statement_structural(state, classes)
        bump(state.session, _counters(watched, stories, structure))


@event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    """Articles added without saying they were stored in order move :data:`STRUCTURE`:
    a window reading new articles by id could miss one committed after a higher id."""
    if session.info.get(_IN_ORDER) or STRUCTURE in session.info.get(_FLAG, ()):
        return
    if session.new or session.dirty or session.deleted:
        session.flush()  # the commit flushes after this: classified now
    if session.info.get(_ADDED):
        bump(session, (STRUCTURE,))


@event.listens_for(Session, "after_transaction_end")
def _forget(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost transaction ended: count afresh
        session.info.pop(_FLAG, None)
        session.info.pop(_ADDED, None)
        session.info.pop(_IN_ORDER, None)
