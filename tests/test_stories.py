"""Story clusters: joining, merging when an article bridges two, representatives."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from jianbao.db.models import Article, Story, StoryCorrection, StoryLink
from jianbao.db.session import Database
from jianbao.judge.authority import authority_rules
from jianbao.records import SHANGHAI
from jianbao.stories import (
    assign_story,
    event_threshold,
    merge_stories,
    refresh_story,
    split_article,
)


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


# -- the event stage (issue 20) ----------------------------------------------------------

CREW = [
    (
        "神舟十二号航天员名单确定",
        "中国载人航天工程办公室主任助理季启明在新闻发布会上介绍说，神舟十二号载人飞船飞行乘组"
        "由航天员聂海胜、刘伯明和汤洪波三人组成，聂海胜担任指令长。",
    ),
    (
        "神舟十二号三人乘组名单曝光 他们分别是聂海胜刘伯明和汤洪波",
        "季启明在新闻发布会上介绍说，神舟十二号载人飞船飞行乘组由航天员聂海胜、刘伯明和汤洪波"
        "三人组成，聂海胜担任指令长，备份航天员为翟志刚、王亚平、叶光富。",
    ),
]


def written(session, n: int, title: str, body: str, day: int, **extra) -> Article:
    row = Article(
        url=f"https://outlet{n}.example/a",
        canonical_url=f"https://outlet{n}.example/a",
        content_hash=f"{n:064d}",
        title=title,
        body=body,
        source_name=f"媒体{n}",
        relevant=True,
        published_at=datetime(2026, 11, day, 9, tzinfo=SHANGHAI),
        **extra,
    )
    session.add(row)
    session.flush()
    return row


def test_the_same_event_in_other_words_joins_its_story_and_says_why(db: Database) -> None:
    with db.session() as session:
        first = written(session, 1, *CREW[0], 16)
        story_id = assign_story(session, first, [])
        second = written(session, 2, *CREW[1], 17)
        assert assign_story(session, second, []) == story_id
        link = session.get(StoryLink, second.id)
        assert link is not None and link.matched_id == first.id
        kinds = [kind for kind, _detail in link.reasons]
        assert kinds[-1] == "title" and link.score >= event_threshold(session)
        story = session.get(Story, story_id)
        assert story is not None and story.size == 2


def test_the_event_stage_keeps_apart_what_it_should(db: Database) -> None:
    with db.session() as session:
        first = written(session, 1, *CREW[0], 10)
        story_id = assign_story(session, first, [])
        # a week later: outside the window
        late = written(session, 2, *CREW[1], 17)
        assert assign_story(session, late, []) != story_id
        # not relevant, or imported from a back issue: near-copies only
        other = written(session, 3, *CREW[1], 10, imported=True)
        assert assign_story(session, other, []) != story_id
        plain = written(session, 4, *CREW[1], 11)
        plain.relevant = False
        assert assign_story(session, plain, []) != story_id
        # asked not to
        again = written(session, 5, *CREW[1], 11)
        assert assign_story(session, again, [], events=False) != story_id
        assert session.scalar(sa.select(sa.func.count()).select_from(StoryLink)) == 0


def test_an_editors_split_and_merge_are_kept_and_move_the_threshold(db: Database) -> None:
    with db.session() as session:
        first = written(session, 1, *CREW[0], 16)
        story_id = assign_story(session, first, [])
        second = written(session, 2, *CREW[1], 16)
        assert assign_story(session, second, []) == story_id
        link = session.get(StoryLink, second.id)
        assert link is not None
        before = event_threshold(session)
        alone = split_article(session, second.id, editor="王编辑")
        assert alone != story_id and second.story_id == alone
        assert session.get(StoryLink, second.id) is None
        assert session.get(Story, story_id).size == 1  # type: ignore[union-attr]
        correction = session.scalars(sa.select(StoryCorrection)).one()
        assert (correction.action, correction.other_id) == ("split", first.id)
        assert correction.score == link.score and correction.editor == "王编辑"
        # the stage would now leave such a pair apart
        assert event_threshold(session) > link.score >= before
        # and the editor's merge puts them back, recorded too
        kept = merge_stories(session, first.id, second.id, editor="王编辑")
        assert first.story_id == second.story_id == kept
        story = session.get(Story, kept)
        assert story is not None and story.size == 2
        actions = session.scalars(sa.select(StoryCorrection.action).order_by(StoryCorrection.id))
        assert list(actions) == ["split", "merge"]
