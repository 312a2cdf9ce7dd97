"""Story clusters in the store: joining, merging, and choosing a representative.

A new article joins the story of the stored articles it is a near-duplicate of. When it
is similar to articles of several stories (a republication that bridges an edited copy
and the original), those stories are one event and are merged, so an issue can never
carry the same event twice through two half-clusters.

Joining one story is the common case and costs the same whatever the story's size: the
members are counted through the database index on ``story_id`` (no rows read) and the
newcomer is compared with the representative alone (the representative is the minimum
of a key, so the new minimum is the old one or the newcomer). Only a merge reads every
member again.

Outlets that write the same event in their own words share too few shingles for the
near-copy index. When it finds nothing, the event stage (:mod:`jianbao.judge.events`)
compares a new relevant article with the relevant articles published within its window
of days — a bounded set however large the store, read through the index on
``published_at`` — and joins the story of the best match, recording why
(:class:`~jianbao.db.models.StoryLink`). Editors' splits and merges are recorded as
:class:`~jianbao.db.models.StoryCorrection` rows the stage's threshold is learned from.
A collecting process keeps its windows and the threshold in memory (:class:`EventWindow`),
read again only when the store's story revision (:data:`jianbao.db.revision.STORIES`,
moved by article and story changes only) shows that something else changed it — and
not even then when all that changed is new articles other processes stored under the
article lock (:data:`jianbao.db.revision.STRUCTURE` has not moved): those are read by id.
"""

from __future__ import annotations

import threading
import weakref
from bisect import bisect_left, insort
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, delete, event, func, or_, select, text, update
from sqlalchemy.orm import Session, SessionTransaction, aliased

from jianbao.db.models import Article, Story, StoryCorrection, StoryLink
from jianbao.db.revision import STORIES, STRUCTURE, bump, stored_in_order
from jianbao.db.store import article_lock_held
from jianbao.judge.authority import DEFAULT_RULES, AuthorityRules, representative_key
from jianbao.judge.events import (
    DEFAULT_THRESHOLD,
    LEAD_CHARS,
    WINDOW_DAYS,
    EventFacts,
    EventMatch,
    best_match,
    compare,
    event_facts,
    learned_threshold,
    similarity_matrices,
)
from jianbao.records import SHANGHAI
from jianbao.stored_facts import POLICY_DOCUMENT
from jianbao.stored_facts import loads as stored_facts
from jianbao.watermark import Watermark

#: the most articles of a window the event stage compares a new one with (the nearest in
#: time on either side): bounds the work on the busiest days. The same event is told
#: within hours to a day or two; 200 relevant articles on each side is three days of an
#: information center's collection, half a day of a large provincial one. Each compared
#: article costs collection CPU: at 3,000 the event stage took 28 of 39 CPU ms per
#: article, at 800 17 of 25 (issue 21, benchmarks/collect.py)
MAX_WINDOW = 400


def assign_story(
    session: Session,
    row: Article,
    similar: list[int],
    rules: AuthorityRules = DEFAULT_RULES,
    *,
    events: bool = True,
    memory: EventWindow | None = None,
) -> int:
    """Put ``row`` (a new article, flushed, with an id) into a story and return the
    story's id.

    ``similar`` are the ids of stored articles the near-duplicate index found; when there
    are none and ``events`` is true, the event stage looks for the same event told in
    other words (relevant articles only; items imported from back issues never: an
    issue's items are distinct by the editor's choice). ``memory``: the collecting
    process's windows (:class:`EventWindow`), instead of reading each from the store;
    ``row`` is then given its id under the store's article lock
    (:func:`jianbao.db.store.lock_article_writes`), as the pipeline does.
    """
    if memory is not None:
        memory.sync(session)
    found = (
        session.scalars(
            select(Article.story_id).where(Article.id.in_(similar), Article.story_id.is_not(None))
        )
        if similar
        else ()  # most articles are no near-copy: no round trip to learn it
    )
    story_ids = sorted({sid for sid in found if sid is not None})
    facts: EventFacts | None = None
    if not story_ids and events:
        joined, facts = _event_story(session, row, memory)
        if joined is not None:
            story_ids = [joined]
    if not story_ids:
        story = Story(representative_id=row.id, size=1)
        session.add(story)
        session.flush()
        row.story_id = story.id
        if memory is not None:
            memory.stored(row, facts)
        return story.id
    keep, *merged = story_ids
    if merged:
        session.execute(update(Article).where(Article.story_id.in_(merged)).values(story_id=keep))
        for story_id in merged:
            gone = session.get(Story, story_id)
            if gone is not None:
                session.delete(gone)
        if memory is not None:
            memory.renamed(merged, keep)
    row.story_id = keep
    session.flush()
    if merged:
        refresh_story(session, keep, rules)
    else:
        _join(session, keep, row, rules)
    if memory is not None:
        memory.stored(row, facts)
    return keep


#: what :func:`_join` reads, in one round trip (it runs under the store's article lock,
#: where each is waited for by every other writer): the story, what ranks its
#: representative (not the whole row: its page's HTML among it) and its members, counted
#: through the index on ``story_id``; built once, as joining happens for many articles
_MEMBER = aliased(Article)
_JOINING = (
    select(
        Story,
        Article.story_id,
        Article.url,
        Article.source_name,
        Article.published_at,
        Article.body,
        select(func.count())
        .select_from(_MEMBER)
        .where(_MEMBER.story_id == bindparam("story"))
        .scalar_subquery()
        .label("members"),
    )
    .outerjoin(Article, Article.id == Story.representative_id)
    .where(Story.id == bindparam("story"))
)


def _join(session: Session, story_id: int, row: Article, rules: AuthorityRules) -> None:
    """Count ``row`` (flushed into the story) and let it represent the story when it
    ranks before the representative; the same result as :func:`refresh_story`, without
    reading the other members."""
    current = session.execute(_JOINING, {"story": story_id}).first()
    if current is None:  # no such story
        return
    story: Story = current[0]
    if not story.representative_id or current.story_id != story_id:
        refresh_story(session, story_id, rules)  # no representative, or one gone elsewhere
        return
    story.size = current.members or 0
    if representative_key(row, rules) < representative_key(current, rules):
        story.representative_id = row.id


def refresh_story(session: Session, story_id: int, rules: AuthorityRules = DEFAULT_RULES) -> None:
    """Recount a story's members and choose its representative again."""
    story = session.get(Story, story_id)
    if story is None:
        return
    members = list(
        session.scalars(select(Article).where(Article.story_id == story_id).order_by(Article.id))
    )
    story.size = len(members)
    if members:
        story.representative_id = min(
            members, key=lambda member: representative_key(member, rules)
        ).id


# -- the event stage ---------------------------------------------------------------------


def _moment(row: Article) -> datetime:
    return row.published_at or row.extracted_at or datetime.now(UTC)


def _aware(moment: datetime) -> datetime:
    """``moment`` with a zone (the store reads a naive one as Shanghai's)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)


#: where a stored article stands in a window's order: (publication, article id). A
#: window's bounds are keys too, with an id below or above every article's
Key = tuple[datetime, int]
_BELOW, _ABOVE = -1, 2**63
#: (article id, story id, facts): one article of a window
Neighbour = tuple[int, int, EventFacts]


def _bounds(when: datetime) -> tuple[Key, Key, Key]:
    """The keys bounding ``when``'s window: [start, middle) is the half before the
    article (its own instant among it), [middle, end) the half after."""
    span = timedelta(days=WINDOW_DAYS)
    return (when - span, _BELOW), (when, _ABOVE), (when + span, _ABOVE)


#: the stored articles a window is drawn from: relevant, not imported from a back issue,
#: not a policy document, in a story (the one being assigned is not in one yet), with the
#: facts stored with them (jianbao.stored_facts)
_RELEVANT_STORED = select(
    Article.id, Article.story_id, Article.title, Article.published_at, Article.event_facts
).where(
    Article.relevant.is_(True),
    Article.imported.is_(False),
    Article.story_id.is_not(None),
    or_(Article.category.is_(None), Article.category != POLICY_DOCUMENT),
)


def _in_window(row: Article) -> bool:
    """Whether a stored ``row`` is drawn into other articles' windows (as selected by
    ``_RELEVANT_STORED`` with a publication time)."""
    return bool(
        row.relevant
        and not row.imported
        and row.story_id is not None
        and row.category != POLICY_DOCUMENT
        and row.published_at is not None
    )


def _read(
    session: Session,
    low: Key,
    high: Key,
    *,
    descending: bool,
    limit: int,
    exclude: int = 0,
    known: Made | None = None,
) -> list[tuple[Key, int, EventFacts]]:
    """(key, story id, facts) of the stored window articles with keys in [low, high):
    the ``limit`` nearest to ``high`` (``descending``) or to ``low``, nearest first;
    ``known``: the facts already made (:func:`_with_facts`)."""
    (start, low_id), (end, high_id) = low, high
    query = _RELEVANT_STORED.where(Article.published_at.between(start, end))
    # the bounds' sentinel ids are never sent: a whole instant is in or out
    if low_id == _ABOVE:
        query = query.where(Article.published_at > start)
    elif low_id != _BELOW:
        query = query.where(
            or_(
                Article.published_at > start,
                and_(Article.published_at == start, Article.id >= low_id),
            )
        )
    if high_id == _BELOW:
        query = query.where(Article.published_at < end)
    elif high_id != _ABOVE:
        query = query.where(
            or_(Article.published_at < end, and_(Article.published_at == end, Article.id < high_id))
        )
    if exclude:
        query = query.where(Article.id != exclude)
    # ties in time in the order of their ids, as SQLite's index on published_at gives
    # them (PostgreSQL's order among ties was its own): a window is the same whoever
    # reads it, the store or a process's memory
    order = (
        (Article.published_at.desc(), Article.id.desc())
        if descending
        else (Article.published_at.asc(), Article.id.asc())
    )
    found = session.execute(query.order_by(*order).limit(limit)).all()
    return _with_facts(session, found, known)[0]


#: the facts made of stored articles, by id, with the title they were made from: an
#: :class:`EventWindow`'s, which holds those of its own articles only
Made = dict[int, tuple[str, EventFacts]]


def _with_facts(
    session: Session, found: Sequence[Any], known: Made | None = None
) -> tuple[list[tuple[Key, int, EventFacts]], int]:
    """(key, story id, facts) of rows (id, story id, title, publication, stored facts)
    read from the store, in their order, and how many facts were made: the facts
    ``known`` has of the same title and publication (an edited title makes new ones),
    else those stored with the row when made from it as it is now, else made from the
    lead; the facts not known are put in ``known``."""
    rows = [
        (ident, story_id, title or "", published, stored)
        for ident, story_id, title, published, stored in found
        if story_id is not None and published is not None  # as selected (for the types)
    ]
    facts = []
    for ident, _s, title, published, stored in rows:
        made = _known(known, ident, title, published)
        if made is None:
            made = stored_facts(stored, title, published)
            if made is not None and known is not None:
                known[ident] = (title, made)
        facts.append(made)
    # the leads of articles whose facts are not known: reading every body of a window
    # again for each new article was a third of the event stage
    unknown = [row[0] for row, made in zip(rows, facts, strict=True) if made is None]
    leads: dict[int, str] = {}
    for at in range(0, len(unknown), 500):
        chunk = select(Article.id, func.substr(Article.body, 1, 2 * LEAD_CHARS)).where(
            Article.id.in_(unknown[at : at + 500])
        )
        leads.update((ident, lead) for ident, lead in session.execute(chunk))
    found_facts = []
    for (ident, story_id, title, published, _stored), made in zip(rows, facts, strict=True):
        if made is None:
            made = event_facts(title, leads.get(ident) or "", published)
            if known is not None:
                known[ident] = (title, made)
        found_facts.append(((published, ident), story_id, made))
    return found_facts, len(unknown)


def _known(
    known: Made | None, ident: int, title: str, published: datetime | None
) -> EventFacts | None:
    """The facts ``known`` has of article ``ident`` as titled and published now."""
    found = known.get(ident) if known is not None else None
    if found is None or found[0] != title or found[1].published != published:
        return None
    return found[1]


def _nearest_first(when: datetime, found: list[Neighbour]) -> list[Neighbour]:
    """``found`` (the half before, nearest first, then the half after) ordered by the
    distance in time from ``when``; at equal distance the earlier article first."""
    found.sort(key=lambda item: abs((item[2].published or when) - when))
    return found


def _window(session: Session, row: Article) -> list[Neighbour]:
    """(article id, story id, facts) of the relevant articles within the window of
    ``row``'s publication, nearest in time first, read from the store."""
    when = _aware(_moment(row))
    start, middle, end = _bounds(when)
    # the nearest in time on either side: half the window before the article, half after
    # (an index range scan each way), so a busy week is cut at its far ends, not its near
    half = MAX_WINDOW // 2
    before = _read(session, start, middle, descending=True, limit=half, exclude=row.id)
    after = _read(session, middle, end, descending=False, limit=half, exclude=row.id)
    return _nearest_first(when, [(key[1], sid, facts) for key, sid, facts in [*before, *after]])


class EventWindow:
    """The event stage's windows kept in a collecting process's memory (issue 21).

    Reading a window from the store for every new relevant article (two index range
    reads, up to 400 rows and their facts) was a third of the event stage. A pipeline
    keeps one of these instead: the stored window articles of the stretches of time it
    has read, in their order (publication, id), each stretch known to hold every such
    article of the store. A window is drawn from memory, and only the parts of it no
    stretch covers yet are read (the nearest first, no more than the window takes); an
    article stored here joins its stretch, a near-copy merge here renames its stories.

    Whatever another process (or another transaction of this one) changes — an article
    stored, a story split or merged by an editor, a relevance rejudged, a title edited —
    moves the store's story revision (a second counter beside the workstation's, which a
    source's health written after each visit moves as well; this one it leaves). Each
    transaction that assigns stories reads it after its own bump: when it follows the
    revision of this window's last transaction, and that transaction committed, nothing
    else changed and memory is the store.

    When other processes only stored new articles (issue 19: Celery workers storing side
    by side), the third counter (:data:`jianbao.db.revision.STRUCTURE`, moved by every
    change but such an addition) has not moved: the window reads the window articles
    with ids above the highest it has seen and holds those its stretches cover. This is
    sound under the store's article lock, which the transaction holds (checked) and which
    every writer of new articles in order took before their ids: ids are committed in
    order. Otherwise the stretches are dropped and read again as needed and the
    threshold, which editors' corrections move, is read again.

    The facts of the articles held are the window's own (:data:`Made`, by id with the
    title they were made from), not a process's: two stores in one process number their
    articles alike. They are kept through a drop, so reading the stretches again makes
    none anew (only those of an article whose title or publication changed), and go
    with the articles no window holds any more: those evicted, and those held before a
    drop and not read again by the next one.
    """

    def __init__(self, max_articles: int = 20000):
        self.max_articles = max_articles
        #: sorted keys of the articles held, and each article's key, story and facts
        self._keys: list[Key] = []
        self._held: dict[int, Neighbour] = {}
        self._key_of: dict[int, Key] = {}
        #: the facts of the articles held, and of those held before the last drop
        self._made: Made = {}
        #: the stretches [low, high) of keys that hold every window article of the store
        self._stretches: list[tuple[Key, Key]] = []
        self._revision = Watermark()
        #: the structure counter as last seen, whether this window's last transaction
        #: moved it (a near-copy merge), and the highest article id accounted for (None:
        #: not known, so any article stored elsewhere drops the window)
        self._structure = 0
        self._restructured = False
        self._last_id: int | None = None
        #: the transaction that last used the window, and whether it committed
        self._transaction: weakref.ref[SessionTransaction] | None = None
        self._committed = False
        self._threshold: float | None = None
        #: how often the store's changes made the window read again (tests, benchmarks),
        #: and how often it caught up with articles stored elsewhere instead
        self.reloads = 0
        self.catch_ups = 0
        #: the facts of others' articles a catch-up made (under the article lock, which
        #: every other process waits for: most of a catch-up's cost)
        self.made_locked = 0
        #: the pipelines of one process store one article at a time (the store's write
        #: lock), but a commit is confirmed after the lock is let go
        self._lock = threading.Lock()

    # -- keeping in step with the store ---------------------------------------------------

    def sync(self, session: Session) -> None:
        """Drop what memory holds unless the store changed only through this window
        since it was filled (see the class's docstring). Called by :func:`assign_story`
        first, in the transaction that then writes the story."""
        # the story is written in this transaction: counted now, not later
        bump(session, (STORIES,))
        transaction = session.get_transaction()
        if (
            transaction is not None
            and self._transaction is not None
            and self._transaction() is transaction
        ):
            return  # a second article of the same transaction
        revision, structure, highest, in_order = self._counters(session)
        if in_order:
            stored_in_order(session)  # this transaction's articles move no structure
        with self._lock:
            expected = self._structure + int(self._restructured)
            if self._committed and self._revision.follows(revision):
                pass  # only this window changed the store
            elif (
                self._committed and in_order and self._last_id is not None and structure == expected
            ):
                self._catch_up(session, self._last_id)
            else:
                # facts made in a transaction that did not commit may be of rows that
                # never were (an id given again to another article): none are kept then
                self._drop(keep_facts=self._committed)
            self._revision.seen = revision
            self._structure = structure
            self._restructured = False
            self._last_id = highest if in_order else None
            self._committed = False
            # weakly: a transaction (and its session) is not kept alive by the window
            token = weakref.ref(transaction) if transaction is not None else None
            self._transaction = token
        if token is not None:
            event.listen(session, "after_commit", lambda _s: self._confirm(token), once=True)

    @staticmethod
    def _counters(session: Session) -> tuple[int, int, int, bool]:
        """The stories and structure counters, the highest article id, and whether
        articles are stored in order now (PostgreSQL: this transaction holds the article
        lock, so no other is storing; SQLite has one writer), in one round trip."""
        locked, parameters = article_lock_held(session.get_bind().dialect.name)
        row = session.execute(
            text(
                f"SELECT (SELECT value FROM store_revision WHERE id = {STORIES}),"
                f" (SELECT value FROM store_revision WHERE id = {STRUCTURE}),"
                f" (SELECT max(id) FROM articles), {locked}"
            ),
            parameters,
        ).one()
        return int(row[0] or 0), int(row[1] or 0), int(row[2] or 0), bool(row[3])

    def _catch_up(self, session: Session, after: int) -> None:
        """Hold the window articles stored elsewhere since article ``after`` that the
        stretches cover (nothing else changed: their stories are as memory has them)."""
        self.catch_ups += 1
        if not self._stretches:
            return
        found = session.execute(
            _RELEVANT_STORED.where(Article.id > after, Article.published_at.is_not(None))
        ).all()
        covered = [
            row
            for row in found
            if row.published_at is not None  # the query's own condition, for the type checker
            and any(
                low <= (_aware(row.published_at), row.id) < high for low, high in self._stretches
            )
        ]
        held, made = _with_facts(session, covered, self._made)
        self.made_locked += made  # those stored with the rows are read, not made
        for key, story_id, facts in held:
            self._hold((_aware(key[0]), key[1]), story_id, facts)

    def _confirm(self, token: weakref.ref[SessionTransaction]) -> None:
        """The transaction of ``token`` committed: what it wrote is the store's."""
        with self._lock:
            if self._transaction is token:
                self._committed = True

    def _drop(self, *, keep_facts: bool = True) -> None:
        if self._stretches or self._threshold is not None:
            self.reloads += 1
        # the facts of what is held now stay for reading it again; those held before the
        # last drop and not read since go
        self._made = self._facts_held() if keep_facts else {}
        self._forget_held()
        self._threshold = None

    def _facts_held(self) -> Made:
        """The facts of the articles held now (every one has them), without the others."""
        return {ident: self._made[ident] for ident in self._held}

    def _forget_held(self) -> None:
        """Hold no article and cover no stretch (the facts stay as they are)."""
        self._keys.clear()
        self._held.clear()
        self._key_of.clear()
        self._stretches.clear()

    def threshold(self, session: Session) -> float:
        """The event threshold, read once for as long as the store changes only here."""
        self.sync(session)
        if self._threshold is None:
            self._threshold = event_threshold(session)
        return self._threshold

    # -- windows --------------------------------------------------------------------------

    def window(self, session: Session, row: Article) -> list[Neighbour]:
        """What :func:`_window` reads from the store, from memory where it can."""
        self.sync(session)
        when = _aware(_moment(row))
        start, middle, end = _bounds(when)
        half = MAX_WINDOW // 2
        before = self._side(session, start, middle, True, half, row.id)
        after = self._side(session, middle, end, False, half, row.id)
        found = _nearest_first(when, [*before, *after])
        if len(self._held) > self.max_articles:
            self._evict(when)
        elif len(self._made) > self.max_articles:  # spare facts kept through a drop
            self._made = self._facts_held()
        return found

    def _side(
        self, session: Session, low: Key, high: Key, descending: bool, limit: int, exclude: int
    ) -> list[Neighbour]:
        """The ``limit`` held articles nearest ``high`` (``descending``) or ``low`` within
        [low, high), reading the store for the stretches not covered."""
        found: list[Neighbour] = []
        cursor = high if descending else low  # the next key to take, exclusive if descending
        while len(found) < limit and (low < cursor if descending else cursor < high):
            stretch = self._covering(cursor, descending)
            if stretch is None:
                self._fill(session, low, high, cursor, descending, limit - len(found))
                continue
            edge = max(stretch[0], low) if descending else min(stretch[1], high)
            room = limit - len(found)
            if descending:
                top = bisect_left(self._keys, cursor)
                bottom = max(bisect_left(self._keys, edge), top - room - 1)
                keys = self._keys[bottom:top][::-1]
            else:
                bottom = bisect_left(self._keys, cursor)
                top = min(bisect_left(self._keys, edge), bottom + room + 1)
                keys = self._keys[bottom:top]
            # one more than room was sliced, in case the article itself is among them
            taken = [self._held[key[1]] for key in keys if key[1] != exclude][:room]
            found += taken
            if len(taken) == room:
                break
            cursor = edge
        return found

    def _covering(self, cursor: Key, descending: bool) -> tuple[Key, Key] | None:
        """The stretch holding the keys just below ``cursor`` (``descending``) or from
        ``cursor`` on."""
        for low, high in self._stretches:
            if (low < cursor <= high) if descending else (low <= cursor < high):
                return low, high
        return None

    def _fill(
        self, session: Session, low: Key, high: Key, cursor: Key, descending: bool, need: int
    ) -> None:
        """Read the ``need`` nearest of the gap at ``cursor`` (up to the next stretch or
        the window's end) and cover what was read."""
        if descending:
            below = [h for _l, h in self._stretches if h < cursor]
            gap = (max([low, *below]), cursor)
        else:
            above = [lo for lo, _h in self._stretches if lo > cursor]
            gap = (cursor, min([high, *above]))
        # the article being assigned is in no story yet, so not among those read
        rows = _read(session, gap[0], gap[1], descending=descending, limit=need, known=self._made)
        for key, story_id, facts in rows:
            self._hold(key, story_id, facts)
        if len(rows) == need:  # cut at the last one read
            last = rows[-1][0]
            gap = (last, gap[1]) if descending else (gap[0], (last[0], last[1] + 1))
        self._cover(gap)

    def _cover(self, stretch: tuple[Key, Key]) -> None:
        low, high = stretch
        kept = []
        for one in self._stretches:
            if one[1] < low or one[0] > high:
                kept.append(one)
            else:  # overlapping or touching: one stretch
                low, high = min(low, one[0]), max(high, one[1])
        kept.append((low, high))
        kept.sort()
        self._stretches = kept

    def _hold(self, key: Key, story_id: int, facts: EventFacts) -> None:
        old = self._key_of.get(key[1])
        if old is not None and old != key:
            del self._keys[bisect_left(self._keys, old)]
            old = None
        if old is None:
            insort(self._keys, key)
        self._key_of[key[1]] = key
        self._held[key[1]] = (key[1], story_id, facts)

    def _evict(self, when: datetime) -> None:
        """Keep the stretches within two windows of ``when`` (the articles of a cycle
        come mostly from a few days); all of them go if that is still too many."""
        span = timedelta(days=2 * WINDOW_DAYS)
        low, high = (when - span, _BELOW), (when + span, _ABOVE)
        for key in [k for k in self._keys if not low <= k < high]:
            del self._held[key[1]]
            del self._key_of[key[1]]
        self._keys = [k for k in self._keys if low <= k < high]
        self._stretches = [
            (max(lo, low), min(hi, high)) for lo, hi in self._stretches if lo < high and hi > low
        ]
        if len(self._held) > self.max_articles:
            self._forget_held()
        self._made = self._facts_held()

    # -- what this process changes --------------------------------------------------------

    def stored(self, row: Article, facts: EventFacts | None = None) -> None:
        """``row`` was given its story in the window's transaction: held when it is a
        window article of a stretch held (a stretch not held reads it when needed)."""
        if not _in_window(row) or row.published_at is None or row.story_id is None:
            return
        key = (_aware(row.published_at), row.id)
        if not any(low <= key < high for low, high in self._stretches):
            return
        if facts is None or facts.published != key[0]:  # as the store reads it: zoned
            facts = _own_facts(row, key[0])
        self._made[row.id] = (row.title or "", facts)  # as reading the store makes them
        self._hold(key, row.story_id, facts)

    def renamed(self, stories: list[int], keep: int) -> None:
        """The articles of ``stories`` were moved into story ``keep`` (a merge)."""
        self._restructured = True  # the merge moved the structure counter
        gone = set(stories)
        for ident, story_id, facts in list(self._held.values()):
            if story_id in gone:
                self._held[ident] = (ident, keep, facts)


#: each store's windows in this process (by its Database): shared by the pipelines of one
#: process, so each cycle of ``jianbao run`` starts from the windows the last one kept
_WINDOWS: weakref.WeakKeyDictionary[object, EventWindow] = weakref.WeakKeyDictionary()
_WINDOWS_LOCK = threading.Lock()


def event_window(store: object) -> EventWindow:
    """The event windows this process keeps for ``store`` (a :class:`Database`)."""
    with _WINDOWS_LOCK:
        found = _WINDOWS.get(store)
        if found is None:
            found = _WINDOWS[store] = EventWindow()
        return found


def event_threshold(session: Session) -> float:
    """The event stage's threshold, learned from the editors' splits and merges."""
    rows = session.execute(
        select(StoryCorrection.score, StoryCorrection.action).where(
            StoryCorrection.score.is_not(None)
        )
    ).all()
    return learned_threshold(
        [(float(score), action == "merge") for score, action in rows if score is not None],
        DEFAULT_THRESHOLD,
    )


def _event_story(
    session: Session, row: Article, memory: EventWindow | None = None
) -> tuple[int | None, EventFacts | None]:
    """The story of the same event told in other words, recording why (or None), and
    the facts of ``row`` when they were made."""
    if not row.relevant or row.imported or not row.title or row.category == POLICY_DOCUMENT:
        return None, None
    window = memory.window(session, row) if memory is not None else _window(session, row)
    if not window:
        return None, None
    facts = _own_facts(row, _moment(row))
    threshold = memory.threshold(session) if memory is not None else event_threshold(session)
    best = best_match(facts, [f for _i, _s, f in window], threshold)
    if best is None:
        return None, facts
    at, match = best
    matched_id, story_id, _facts = window[at]
    # added, not merged: ``row`` was just inserted (assign_story's callers store new
    # articles), so it has no link yet, and a merge's look for one was a round trip
    # under the article lock
    session.add(
        StoryLink(
            article_id=row.id,
            matched_id=matched_id,
            score=match.score,
            reasons=[list(reason) for reason in match.reasons],
        )
    )
    return story_id, facts


def _own_facts(row: Article, when: datetime) -> EventFacts:
    """The facts of ``row`` published ``when``: those stored with it when made from it as
    it is (made where it was prepared, outside the article lock), else made now."""
    found = stored_facts(row.event_facts, row.title or "", when)
    if found is None:
        found = event_facts(row.title or "", (row.body or "")[: 2 * LEAD_CHARS], when)
    return found


def pair_score(session: Session, first: Article, second: Article) -> EventMatch:
    """How the event stage judges two stored articles (weights fitted on ``first``'s
    window, as when it joined them)."""
    window = [f for ident, _s, f in _window(session, first) if ident != second.id]
    one = event_facts(first.title or "", (first.body or "")[: 2 * LEAD_CHARS], _moment(first))
    two = event_facts(second.title or "", (second.body or "")[: 2 * LEAD_CHARS], _moment(second))
    headline, lead = similarity_matrices([one, two, *window])
    return compare(one, two, float(headline[0, 1]), float(lead[0, 1]))


def split_article(
    session: Session, article_id: int, editor: str = "", rules: AuthorityRules = DEFAULT_RULES
) -> int:
    """Take an article out of its story into a story of its own (the editor's word that
    it is another event); returns the new story's id. Recorded as a correction."""
    row = session.get(Article, article_id)
    if row is None or row.story_id is None:
        raise LookupError(article_id)
    old = session.get(Story, row.story_id)
    link = session.get(StoryLink, article_id)
    other_id = link.matched_id if link is not None else (old.representative_id if old else None)
    if other_id == article_id or other_id is None:
        other_id = session.scalar(
            select(Article.id).where(Article.story_id == row.story_id, Article.id != article_id)
        )
    if other_id is None:  # alone in its story already
        return row.story_id
    other = session.get(Article, other_id)
    score = link.score if link is not None else None
    if score is None and other is not None:
        score = pair_score(session, row, other).score
    old_id = row.story_id
    story = Story(representative_id=row.id, size=1)
    session.add(story)
    session.flush()
    row.story_id = story.id
    session.execute(delete(StoryLink).where(StoryLink.article_id == article_id))
    session.add(
        StoryCorrection(
            article_id=article_id, other_id=other_id, action="split", score=score, editor=editor
        )
    )
    session.flush()
    refresh_story(session, old_id, rules)
    return story.id


def merge_stories(
    session: Session,
    article_id: int,
    other_id: int,
    editor: str = "",
    rules: AuthorityRules = DEFAULT_RULES,
) -> int:
    """Put the stories of two articles together (the editor's word that they are one
    event); returns the story kept. Recorded as a correction."""
    row, other = session.get(Article, article_id), session.get(Article, other_id)
    if row is None or other is None:
        raise LookupError(article_id if row is None else other_id)
    if row.story_id is None or other.story_id is None:
        raise LookupError(article_id if row.story_id is None else other_id)
    if row.story_id == other.story_id:
        return row.story_id
    match = pair_score(session, row, other)
    keep, gone = sorted((row.story_id, other.story_id))
    session.execute(update(Article).where(Article.story_id == gone).values(story_id=keep))
    dropped = session.get(Story, gone)
    if dropped is not None:
        session.delete(dropped)
    session.add(
        StoryCorrection(
            article_id=article_id,
            other_id=other_id,
            action="merge",
            score=match.score,
            editor=editor,
        )
    )
    session.flush()
    refresh_story(session, keep, rules)
    return keep
