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
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import UTC, datetime, timedelta

from sqlalchemy import bindparam, delete, func, or_, select, update
from sqlalchemy.orm import Session

from jianbao.db.models import Article, Story, StoryCorrection, StoryLink
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

#: the most articles of a window the event stage compares a new one with (the nearest in
#: time on either side): bounds the work on the busiest days. The same event is told
#: within hours to a day or two; 200 relevant articles on each side is three days of an
#: information center's collection, half a day of a large provincial one. Each compared
#: article costs collection CPU: at 3,000 the event stage took 28 of 39 CPU ms per
#: article, at 800 17 of 25 (issue 21, benchmarks/collect.py)
MAX_WINDOW = 400
#: a policy document is a story of its own: its readings and reports are linked to it by
#: jianbao.policy_links (解读：《…》), which refuses a document inside the reading's story
POLICY_DOCUMENT = "政策文件"


def assign_story(
    session: Session,
    row: Article,
    similar: list[int],
    rules: AuthorityRules = DEFAULT_RULES,
    *,
    events: bool = True,
) -> int:
    """Put ``row`` (flushed, with an id) into a story and return the story's id.

    ``similar`` are the ids of stored articles the near-duplicate index found; when there
    are none and ``events`` is true, the event stage looks for the same event told in
    other words (relevant articles only; items imported from back issues never: an
    issue's items are distinct by the editor's choice).
    """
    found = (
        session.scalars(
            select(Article.story_id).where(Article.id.in_(similar), Article.story_id.is_not(None))
        )
        if similar
        else ()  # most articles are no near-copy: no round trip to learn it
    )
    story_ids = sorted({sid for sid in found if sid is not None})
    if not story_ids and events:
        joined = _event_story(session, row)
        if joined is not None:
            story_ids = [joined]
    if not story_ids:
        story = Story(representative_id=row.id, size=1)
        session.add(story)
        session.flush()
        row.story_id = story.id
        return story.id
    keep, *merged = story_ids
    if merged:
        session.execute(update(Article).where(Article.story_id.in_(merged)).values(story_id=keep))
        for story_id in merged:
            gone = session.get(Story, story_id)
            if gone is not None:
                session.delete(gone)
    row.story_id = keep
    session.flush()
    if merged:
        refresh_story(session, keep, rules)
    else:
        _join(session, keep, row, rules)
    return keep


#: what :func:`_join` reads of a story's representative: what ranks it, not the whole row
#: (its page's HTML among it); built once, as joining happens for many stored articles
_REPRESENTATIVE = select(
    Article.story_id, Article.url, Article.source_name, Article.published_at, Article.body
).where(Article.id == bindparam("id"))
_MEMBERS = select(func.count()).select_from(Article).where(Article.story_id == bindparam("story"))


def _join(session: Session, story_id: int, row: Article, rules: AuthorityRules) -> None:
    """Count ``row`` (flushed into the story) and let it represent the story when it
    ranks before the representative; the same result as :func:`refresh_story`, without
    reading the other members."""
    story = session.get(Story, story_id)
    if story is None:
        return
    current = (
        session.execute(_REPRESENTATIVE, {"id": story.representative_id}).first()
        if story.representative_id
        else None
    )
    if current is None or current.story_id != story_id:
        refresh_story(session, story_id, rules)
        return
    story.size = session.scalar(_MEMBERS, {"story": story_id}) or 0
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


def _window(session: Session, row: Article) -> list[tuple[int, int, EventFacts]]:
    """(article id, story id, facts) of the relevant articles within the window of
    ``row``'s publication, nearest in time first."""
    when = _moment(row)
    span = timedelta(days=WINDOW_DAYS)
    relevant_stored = select(
        Article.id, Article.story_id, Article.title, Article.published_at
    ).where(
        Article.relevant.is_(True),
        Article.imported.is_(False),
        Article.story_id.is_not(None),
        or_(Article.category.is_(None), Article.category != POLICY_DOCUMENT),
        Article.id != row.id,
    )
    # the nearest in time on either side: half the window before the article, half after
    # (an index range scan each way), so a busy week is cut at its far ends, not its near
    before = session.execute(
        relevant_stored.where(Article.published_at.between(when - span, when))
        .order_by(Article.published_at.desc())
        .limit(MAX_WINDOW // 2)
    ).all()
    after = session.execute(
        relevant_stored.where(Article.published_at > when, Article.published_at <= when + span)
        .order_by(Article.published_at.asc())
        .limit(MAX_WINDOW // 2)
    ).all()
    found = [*before, *after]
    # the leads of articles whose facts this process has not made yet: reading every
    # body of a window again for each new article was a third of the event stage
    unknown = [
        ident for ident, _s, title, published in found if not _known(ident, title, published)
    ]
    leads: dict[int, str] = {}
    for at in range(0, len(unknown), 500):
        chunk = select(Article.id, func.substr(Article.body, 1, 2 * LEAD_CHARS)).where(
            Article.id.in_(unknown[at : at + 500])
        )
        leads.update((ident, lead) for ident, lead in session.execute(chunk))
    window = [
        (ident, story_id, _stored_facts(ident, title or "", leads.get(ident) or "", published))
        for ident, story_id, title, published in found
        if story_id is not None  # as selected; the filter tells the type checker
    ]
    window.sort(key=lambda item: abs((item[2].published or when) - when))
    return window


#: the facts of stored articles, read again for every article that joins in their window:
#: made once per process (a title edited by hand makes a new key)
_MAX_FACTS = 50000
_facts: OrderedDict[tuple[int, str], EventFacts] = OrderedDict()


def _known(ident: int, title: str | None, published: datetime | None) -> bool:
    found = _facts.get((ident, title or ""))
    return found is not None and found.published == published


def _stored_facts(ident: int, title: str, lead: str, published: datetime | None) -> EventFacts:
    key = (ident, title)
    found = _facts.get(key)
    if found is None or found.published != published:
        found = _facts[key] = event_facts(title, lead, published)
        if len(_facts) > _MAX_FACTS:
            _facts.popitem(last=False)
    else:
        _facts.move_to_end(key)
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


def _event_story(session: Session, row: Article) -> int | None:
    """The story of the same event told in other words, recording why; or None."""
    if not row.relevant or row.imported or not row.title or row.category == POLICY_DOCUMENT:
        return None
    window = _window(session, row)
    if not window:
        return None
    facts = event_facts(row.title, (row.body or "")[: 2 * LEAD_CHARS], _moment(row))
    best = best_match(facts, [f for _i, _s, f in window], event_threshold(session))
    if best is None:
        return None
    at, match = best
    matched_id, story_id, _facts = window[at]
    session.merge(
        StoryLink(
            article_id=row.id,
            matched_id=matched_id,
            score=match.score,
            reasons=[list(reason) for reason in match.reasons],
        )
    )
    return story_id


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
