"""The event stage's windows kept in memory (issue 21) are the windows the store holds.

Each new article's window drawn from an :class:`EventWindow` must be the one read from
the store (:func:`jianbao.stories._window`): the same articles, in the same order, with
their stories as they are now — through near-copy merges made here, and through what
another process or transaction changes (an editor's split and merge, a relevance judged
again, a title edited, a transaction rolled back), and not through a source's health,
which changes no window. Ties in time are many and the window
is cut small, so the nearest-first cut at either end is tested too.
"""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from jianbao import stored_facts, stories
from jianbao.config import Settings
from jianbao.db import revision
from jianbao.db.models import Article, Source, StoryLink
from jianbao.db.session import Database
from jianbao.db.store import lock_article_writes
from jianbao.pipeline import Pipeline
from jianbao.records import SHANGHAI
from jianbao.stories import (
    EventWindow,
    assign_story,
    event_window,
    merge_stories,
    split_article,
)

PLACES = ["东川", "西岭", "南湖", "北塘"]
ACTIONS = [
    "上线互联网医院服务平台",
    "通过电子病历系统应用水平五级评审",
    "启用电子健康卡",
    "召开智慧医院建设推进会",
]
#: publication times shared by many articles: the window's cut falls among ties
TIMES = [(10, 9), (12, 9), (12, 15), (13, 9), (14, 9), (16, 15), (17, 9)]


def article(session, n: int, rnd: random.Random, *, facts: bool = False) -> Article:
    """Article ``n``; with ``facts``, stored with its event facts as collection prepares
    them (:mod:`jianbao.stored_facts`)."""
    place, action = rnd.choice(PLACES), rnd.choice(ACTIONS)
    day, hour = rnd.choice(TIMES)
    row = Article(
        url=f"https://outlet{n}.example/a",
        canonical_url=f"https://outlet{n}.example/a",
        content_hash=f"{n:064d}",
        title=f"{place}市{action}",
        body=f"11月{day}日，{place}市卫生健康委员会宣布{action}，编号{n}。" * 3,
        source_name=f"媒体{n % 7}",
        relevant=rnd.random() < 0.85,
        imported=rnd.random() < 0.05,
        category="政策文件" if rnd.random() < 0.05 else None,
        published_at=datetime(2026, 11, day, hour, tzinfo=SHANGHAI),
    )
    if facts and stored_facts.compared(row.relevant, row.title, row.category):
        row.event_facts = stored_facts.make(row.title, row.body, row.published_at)
    session.add(row)
    session.flush()
    return row


def same_window(session, memory: EventWindow, row: Article) -> None:
    expected = [(ident, story) for ident, story, _f in stories._window(session, row)]
    got = [(ident, story) for ident, story, _f in memory.window(session, row)]
    assert got == expected


def store_some(db: Database, memory: EventWindow, rnd: random.Random, first: int, count: int):
    for n in range(first, first + count):
        with db.session() as session:
            row = article(session, n, rnd)
            same_window(session, memory, row)
            similar: list[int] = []
            if n % 9 == 0:  # a near-copy of two stored articles: their stories merge here
                similar = list(session.scalars(sa.select(Article.id).order_by(Article.id)))
                similar = rnd.sample(similar[:-1], min(2, len(similar) - 1))
            assign_story(session, row, similar, memory=memory)


def ids_of_shared_story(db: Database) -> tuple[int, int]:
    with db.session() as session:
        rows = session.execute(
            sa.select(Article.id, Article.story_id).where(Article.relevant.is_(True))
        ).all()
    by_story: dict[int | None, list[int]] = {}
    for ident, story in rows:
        by_story.setdefault(story, []).append(ident)
    members = next(ids for ids in by_story.values() if len(ids) > 1)
    return members[0], members[1]


def test_windows_from_memory_are_the_stores_through_changes(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stories, "MAX_WINDOW", 8)  # four on each side: the cut bites
    rnd = random.Random(5)
    memory = EventWindow()
    store_some(db, memory, rnd, 1, 28)
    assert memory.reloads == 0  # only this window's transactions changed the store
    # several articles in one transaction (as the importer stores them)
    with db.session() as session:
        for n in range(29, 32):
            row = article(session, n, rnd)
            same_window(session, memory, row)
            assign_story(session, row, [], memory=memory)
    assert memory.reloads == 0

    # an editor's split, elsewhere: the split article's new story is seen
    one, other = ids_of_shared_story(db)
    with db.session() as session:
        split_article(session, other, editor="王编辑")
    store_some(db, memory, rnd, 32, 3)
    assert memory.reloads == 1
    # and a merge of two stories
    with db.session() as session:
        merge_stories(session, one, other, editor="王编辑")
    store_some(db, memory, rnd, 35, 3)
    assert memory.reloads == 2
    # a relevance judged again, a title edited
    with db.session() as session:
        ids = list(session.scalars(sa.select(Article.id).where(Article.relevant.is_(True))))
        session.get(Article, ids[0]).relevant = False
        session.get(Article, ids[1]).title = "南湖市启用电子健康卡"
    store_some(db, memory, rnd, 38, 3)
    assert memory.reloads == 3
    # a source's health written between two articles changes no window: the window's own
    # counter stays (the workstation's moves) and nothing is read again
    with db.session() as session:
        before = revision.current(session)
    with db.session() as session:
        session.add(Source(name="来源", url="https://source.example/", kind="listing"))
    with db.session() as session:
        assert revision.current(session) == before + 1
    store_some(db, memory, rnd, 41, 2)
    assert memory.reloads == 3
    # another process stores an article (no story assigned there): read again
    with db.session() as session:
        article(session, 1000, rnd)
    store_some(db, memory, rnd, 1001, 2)
    assert memory.reloads == 4

    # a transaction that assigned a story and was rolled back leaves nothing behind, even
    # when another one commits before the next article (the revision moved by one)
    alone = datetime(2026, 11, 15, 3, tzinfo=SHANGHAI)  # no other article's time
    with pytest.raises(RuntimeError), db.session() as session:
        row = article(session, 43, rnd)
        row.relevant, row.imported, row.category = True, False, None
        row.published_at = alone
        session.flush()
        assign_story(session, row, [], memory=memory)
        assert row.id in memory._held
        raise RuntimeError("the store failed")
    with db.session() as session:
        article(session, 1100, rnd)
    store_some(db, memory, rnd, 44, 3)
    assert memory.reloads == 5
    assert all(facts.published != alone for _i, _s, facts in memory._held.values())


def test_a_window_article_is_held_only_within_what_memory_covers(db: Database) -> None:
    rnd = random.Random(3)
    memory = EventWindow()
    store_some(db, memory, rnd, 1, 12)
    with db.session() as session:
        far = article(session, 100, rnd)
        far.relevant, far.imported, far.category = True, False, None
        far.published_at = datetime(2026, 10, 1, 9, tzinfo=SHANGHAI)  # a month before
        session.flush()
        assign_story(session, far, [], memory=memory)
        # its own window was read (it covers its time now), so it is held
        assert far.id in memory._held
    with db.session() as session:
        plain = article(session, 101, rnd)
        plain.relevant = False  # no window read for it
        assign_story(session, plain, [], memory=memory)
        assert plain.id not in memory._held
    store_some(db, memory, rnd, 102, 3)
    assert memory.reloads == 0


def test_the_pipelines_of_one_store_share_its_windows(db: Database, settings: Settings) -> None:
    """``jianbao run`` makes a pipeline for each cycle: the next starts from the windows
    the last one kept."""
    assert Pipeline(settings, db).events is event_window(db) is Pipeline(settings, db).events
    other = Database.from_settings(settings)  # another store (here: the same one again)
    try:
        assert event_window(other) is not event_window(db)
    finally:
        other.close()


# -- several processes storing side by side (issue 19) -----------------------------------


def store_locked(
    db: Database, memory: EventWindow | None, rnd: random.Random, n: int, *, facts: bool = False
) -> None:
    """Store article ``n`` as a pipeline does: under the article lock, then its story."""
    with db.session() as session:
        lock_article_writes(session)
        row = article(session, n, rnd, facts=facts)
        if memory is not None:
            same_window(session, memory, row)
        assign_story(session, row, [], memory=memory)


def outcome(db: Database) -> tuple[list[list[str]], dict[str, tuple[str, float]]]:
    """The stories (each its articles' URLs) and the event links (URL: matched URL,
    score) of a store, whatever its ids."""
    with db.session() as session:
        urls = dict(session.execute(sa.select(Article.id, Article.url)).all())
        by_story: dict[int | None, list[str]] = {}
        for ident, story in session.execute(sa.select(Article.id, Article.story_id)):
            by_story.setdefault(story, []).append(urls[ident])
        links = {
            urls[link.article_id]: (urls[link.matched_id], round(link.score, 9))
            for link in session.scalars(sa.select(StoryLink))
        }
    return sorted(sorted(members) for members in by_story.values()), links


def test_two_windows_storing_by_turns_catch_up_and_give_the_stores_stories(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two processes' windows storing by turns read the other's new articles instead of
    reading themselves again, and the stories and links are those of a store whose every
    window is read from the store."""
    monkeypatch.setattr(stories, "MAX_WINDOW", 8)
    first, second = EventWindow(), EventWindow()
    rnd = random.Random(11)
    for n in range(1, 41):
        store_locked(db, first if n % 2 else second, rnd, n)
    assert first.reloads == second.reloads == 0
    assert first.catch_ups >= 19 and second.catch_ups >= 19
    # each made the facts of the other's articles as it caught up (benchmarks/scale.py)
    assert first.made_locked > 0 and second.made_locked > 0

    reference = Database(f"sqlite:///{(tmp_path / 'reference.db').as_posix()}")
    try:
        rnd = random.Random(11)
        for n in range(1, 41):
            store_locked(reference, None, rnd, n)
        stories_got, links_got = outcome(db)
        stories_expected, links_expected = outcome(reference)
    finally:
        reference.close()
    assert links_expected  # the event stage joined some: the comparison says something
    assert stories_got == stories_expected
    assert links_got == links_expected


def facts_made(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The articles (their numbers, as their leads name them) whose facts the event stage
    makes from now on (not those it reads)."""
    numbers: list[int] = []
    make = stories.event_facts

    def counted(title: str, body: str, published: datetime | None = None):
        numbers.append(int(body.split("编号", 1)[1].split("。", 1)[0]))
        return make(title, body, published)

    monkeypatch.setattr(stories, "event_facts", counted)
    return numbers


def reference_outcome(tmp_path: Path, first: int, count: int, seed: int):
    """The stories and links of the same articles stored without stored facts, every
    window read from the store."""
    reference = Database(f"sqlite:///{(tmp_path / 'reference.db').as_posix()}")
    try:
        rnd = random.Random(seed)
        for n in range(first, first + count):
            store_locked(reference, None, rnd, n)
        return outcome(reference)
    finally:
        reference.close()


def test_facts_stored_with_the_articles_are_read_not_made_under_the_lock(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With each article's facts stored with it (made where it was prepared, outside the
    article lock), two windows storing by turns read the other's instead of making them:
    none are made under the lock, none at all; the stories and links are those of a
    store without stored facts (the test above is the counter-example)."""
    monkeypatch.setattr(stories, "MAX_WINDOW", 8)
    expected = reference_outcome(tmp_path, 1, 40, 11)
    made = facts_made(monkeypatch)
    first, second = EventWindow(), EventWindow()
    rnd = random.Random(11)
    for n in range(1, 41):
        store_locked(db, first if n % 2 else second, rnd, n, facts=True)
    assert first.reloads == second.reloads == 0
    assert first.catch_ups >= 19 and second.catch_ups >= 19
    assert first.made_locked == second.made_locked == 0
    assert made == []
    assert expected[1]  # the event stage joined some: the comparison says something
    assert outcome(db) == expected


def test_articles_stored_without_facts_get_them_made(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Articles stored before facts were stored (migration 0024), and stored facts that
    are stale (an edited title), have their facts made from the row, as before."""
    monkeypatch.setattr(stories, "MAX_WINDOW", 8)
    expected = reference_outcome(tmp_path, 1, 30, 13)
    rnd = random.Random(13)
    for n in range(1, 16):  # the store before the upgrade: no facts stored
        store_locked(db, None, rnd, n)
    made = facts_made(monkeypatch)
    first, second = EventWindow(), EventWindow()
    for n in range(16, 31):
        store_locked(db, first if n % 2 else second, rnd, n, facts=True)
    assert made and max(made) <= 15  # the old rows' only
    assert outcome(db) == expected
    with db.session() as session:
        row = session.scalars(sa.select(Article).where(Article.event_facts.is_not(None))).first()
        assert row is not None
        stale = (row.id, row.story_id, row.title + "（更正）", row.published_at, row.event_facts)
        [(_key, _story, facts)], count = stories._with_facts(session, [stale], {})
    assert count == 1 and facts.title.endswith("更正")


def test_anything_but_new_articles_elsewhere_reads_the_window_again(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stories, "MAX_WINDOW", 8)
    first, second = EventWindow(), EventWindow()
    rnd = random.Random(7)
    n = 0

    def turns(count: int) -> None:
        nonlocal n
        for _ in range(count):
            n += 1
            store_locked(db, first if n % 2 else second, rnd, n)

    turns(16)
    assert (first.reloads, second.reloads) == (0, 0)
    # a policy document linked to a stored reading (no column a window reads): no drop
    with db.session() as session:
        ids = list(session.scalars(sa.select(Article.id).order_by(Article.id)))
        session.execute(
            sa.update(Article).where(Article.id == ids[0]).values(policy_article_id=ids[1])
        )
    turns(2)
    assert (first.reloads, second.reloads) == (0, 0)

    # an editor's split, then a merge: both windows read again, and agree with the store
    one, other = ids_of_shared_story(db)
    changes = [
        lambda session: split_article(session, other, editor="王编辑"),
        lambda session: merge_stories(session, one, other, editor="王编辑"),
        # a relevance judged again, a title edited (through the ORM)
        lambda session: setattr(session.get(Article, ids[2]), "relevant", False),
        lambda session: setattr(session.get(Article, ids[3]), "title", "南湖市启用电子健康卡"),
        # an article stored elsewhere without the lock's order (no window of its own)
        lambda session: assign_story(session, article(session, 500 + n, rnd), []),
    ]
    for drops, change in enumerate(changes, start=1):
        with db.session() as session:
            change(session)
        turns(2)  # each window checks its windows against the store's (same_window)
        assert (first.reloads, second.reloads) == (drops, drops)

    # a near-copy merge by one window's process: the other reads again, it does not
    with db.session() as session:
        lock_article_writes(session)
        row = article(session, 900, rnd)
        by_story = dict(
            session.execute(
                sa.select(Article.story_id, Article.id).where(Article.story_id.is_not(None))
            ).all()
        )
        similar = sorted(by_story.values())[:2]  # articles of two stories: they become one
        assert len(similar) == 2
        same_window(session, first, row)
        assign_story(session, row, similar, memory=first)
    before = (first.reloads, second.reloads)
    n += 1  # the next turn is the second window's
    turns(3)
    assert (first.reloads, second.reloads) == (before[0], before[1] + 1)


# -- the window's facts are its own ------------------------------------------------------


def relevant(session, title: str, body: str, when: datetime) -> Article:
    """A relevant article (flushed, in no story yet), under the article lock."""
    lock_article_writes(session)
    row = Article(
        url=f"https://outlet.example/{body[:12]}",
        canonical_url=f"https://outlet.example/{body[:12]}",
        content_hash=str(abs(hash(body))).rjust(64, "0"),
        title=title,
        body=body,
        relevant=True,
        published_at=when,
    )
    session.add(row)
    session.flush()
    return row


def test_two_stores_in_one_process_never_get_each_others_facts(
    db: Database, settings: Settings, tmp_path: Path
) -> None:
    """Two stores number their articles alike: article 1 of each, with the same title and
    publication and other leads, is judged by its own lead in its own store's window (a
    cache of the process keyed by id and title gave the second store the first's)."""
    when = datetime(2026, 11, 10, 9, tzinfo=SHANGHAI)
    title = "市卫生健康委员会发布通知"
    leads = {
        "first": "11月10日，东川市人民医院上线互联网医院服务平台，首批开通在线复诊和处方流转。",
        "second": "11月10日，西岭市疾病预防控制中心启动流感疫苗接种，全市设立三十个接种点。",
    }
    other = Database(f"sqlite:///{(tmp_path / 'other.db').as_posix()}")
    try:
        stores = {"first": db, "second": other}
        for name, store in stores.items():
            with store.session() as session:  # by another process: no window holds it
                row = relevant(session, title, leads[name], when)
                assign_story(session, row, [])
                assert row.id == 1
        for name, store in stores.items():
            with store.session() as session:
                new = relevant(session, "互联网医院服务平台上线", "东川市互联网医院上线。", when)
                window = event_window(store).window(session, new)
            (ident, _story, facts), *_ = window
            assert ident == 1
            assert facts == stories.event_facts(title, leads[name], facts.published)
        assert event_window(db)._made[1][1].text != event_window(other)._made[1][1].text
    finally:
        other.close()


def test_the_windows_facts_go_with_its_articles(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Facts are kept for the articles a window holds and through a drop (reading the
    window again makes none anew; an edited title makes new ones); those of articles no
    window holds any more go."""
    monkeypatch.setattr(stories, "MAX_WINDOW", 8)
    rnd = random.Random(9)
    memory = EventWindow()
    store_some(db, memory, rnd, 1, 20)
    assert set(memory._made) == set(memory._held)
    before = {ident: facts for ident, (_title, facts) in memory._made.items()}
    # an editor's title edit elsewhere: the window is dropped and read again
    edited = min(memory._held)
    with db.session() as session:
        row = session.get(Article, edited)
        row.title = "南湖市启用电子健康卡（更正）"
        as_read = (edited, row.story_id, row.title, row.published_at, row.event_facts)
    store_some(db, memory, rnd, 21, 4)
    assert memory.reloads == 1
    kept = [ident for ident in memory._held if ident in before and ident != edited]
    assert kept  # read again, with the facts made before the drop
    assert all(memory._held[ident][2] is before[ident] for ident in kept)
    with db.session() as session:
        [(_key, _story, facts)], made = stories._with_facts(session, [as_read], memory._made)
    assert made == 1
    assert facts is not before[edited]
    assert facts.title == "南湖市启用电子健康卡更正"
    assert memory._made[edited] == ("南湖市启用电子健康卡（更正）", facts)
    # evicted articles' facts go with them
    memory.max_articles = 4
    store_some(db, memory, rnd, 25, 1)
    assert set(memory._made) == set(memory._held)
    assert len(memory._made) < len(before)
