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
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from jianbao.db.models import Article, Story
from jianbao.judge.authority import DEFAULT_RULES, AuthorityRules, representative_key


def assign_story(
    session: Session, row: Article, similar: list[int], rules: AuthorityRules = DEFAULT_RULES
) -> int:
    """Put ``row`` (flushed, with an id) into a story and return the story's id.

    ``similar`` are the ids of stored articles the near-duplicate index found.
    """
    found = session.scalars(
        select(Article.story_id).where(Article.id.in_(similar), Article.story_id.is_not(None))
    )
    story_ids = sorted({sid for sid in found if sid is not None})
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


def _join(session: Session, story_id: int, row: Article, rules: AuthorityRules) -> None:
    """Count ``row`` (flushed into the story) and let it represent the story when it
    ranks before the representative; the same result as :func:`refresh_story`, without
    reading the other members."""
    story = session.get(Story, story_id)
    if story is None:
        return
    current = session.get(Article, story.representative_id) if story.representative_id else None
    if current is None or current.story_id != story_id:
        refresh_story(session, story_id, rules)
        return
    story.size = (
        session.scalar(
            select(func.count()).select_from(Article).where(Article.story_id == story_id)
        )
        or 0
    )
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
