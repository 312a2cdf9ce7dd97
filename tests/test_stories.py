"""Story clusters: joining, merging when an article bridges two, representatives."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from jianbao.db.models import Article, Story
from jianbao.db.session import Database
from jianbao.judge.authority import authority_rules
from jianbao.records import SHANGHAI
from jianbao.stories import assign_story, refresh_story


def add(session, n: int, url: str, source: str, hour: int) -> Article:
    row = Article(
        url=url,
        canonical_url=url,
        content_hash=str(n) * 64,
        title=f"t{n}",
        body="正文" * n,
        source_name=source,
        published_at=datetime(2026, 11, 16, hour, tzinfo=SHANGHAI),
    )
    session.add(row)
    session.flush()
    return row


def test_a_bridging_article_merges_two_stories(db: Database) -> None:
    with db.session() as session:
        a = add(session, 1, "https://news.example/a", "新闻网", 10)
        b = add(session, 2, "https://other.example/b", "他网", 11)
        first = assign_story(session, a, [])
        second = assign_story(session, b, [])
        assert first != second
        gov = add(session, 3, "https://wsjkw.example.gov.cn/c", "某省卫生健康委员会", 12)
        joined = assign_story(session, gov, [a.id, b.id])
    with db.session() as session:
        stories = session.scalars(sa.select(Story)).all()
        assert len(stories) == 1 and stories[0].id == joined == first
        assert stories[0].size == 3
        # the government site represents the story although it published last
        assert stories[0].representative_id == gov.id
        assert {r.story_id for r in session.scalars(sa.select(Article))} == {joined}


def test_an_article_like_no_other_starts_a_story(db: Database) -> None:
    with db.session() as session:
        a = add(session, 1, "https://news.example/a", "新闻网", 10)
        story_id = assign_story(session, a, [])
        story = session.get(Story, story_id)
        assert story is not None and story.size == 1 and story.representative_id == a.id


def test_joining_a_story_counts_and_chooses_as_a_full_refresh_does(db: Database) -> None:
    with db.session() as session:
        first = add(session, 1, "https://news.example/a", "新闻网", 10)
        story_id = assign_story(session, first, [])
        # a later copy from an ordinary outlet joins without taking over
        later = add(session, 2, "https://other.example/b", "他网", 11)
        assert assign_story(session, later, [first.id]) == story_id
        story = session.get(Story, story_id)
        assert story is not None and story.size == 2 and story.representative_id == first.id
        # the government's copy takes over although it came last
        gov = add(session, 3, "https://wsjkw.example.gov.cn/c", "某省卫生健康委员会", 12)
        assign_story(session, gov, [later.id])
        assert story.size == 3 and story.representative_id == gov.id
        fast = (story.size, story.representative_id)
        refresh_story(session, story_id)
        assert (story.size, story.representative_id) == fast


def test_a_configured_government_site_represents_its_story(db: Database) -> None:
    rules = authority_rules({"government_domains": ["wsjkw.example"]})
    with db.session() as session:
        news = add(session, 1, "https://news.example/a", "新闻网", 10)
        story_id = assign_story(session, news, [], rules)
        own = add(session, 2, "https://wsjkw.example/b", "东川健康在线", 12)
        assign_story(session, own, [news.id], rules)
        story = session.get(Story, story_id)
        assert story is not None and story.representative_id == own.id
        # with the default tiers the earlier news site would stand for it
        refresh_story(session, story_id)
        assert story.representative_id == news.id
