"""Looking ahead of the article lock (issue 19): a process that sees others storing takes
their committed articles in (near-copy signatures, policy documents, the event window's
facts) before it takes the lock, so that the catch-ups under the lock — which every other
process waits for — find them done. The stories must be exactly those of storing without
looking ahead; one process storing alone never looks ahead.
"""

from __future__ import annotations

import asyncio
import random
from pathlib import Path

import pytest
import sqlalchemy as sa

from jianbao import stories
from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.pipeline import CycleReport, Pipeline
from jianbao.stories import EventWindow
from jianbao.testing import LoopbackSite, Route
from pipeline_site import article_page
from test_event_window import outcome, store_locked
from test_story_index_processes import site  # noqa: F401  (the pages, a fixture)


def test_windows_looking_ahead_make_others_facts_before_the_lock_and_give_the_same_stories(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(stories, "MAX_WINDOW", 8)
    first, second = EventWindow(), EventWindow()
    rnd = random.Random(11)
    for n in range(1, 41):
        memory = first if n % 2 else second
        with db.session() as session:
            memory.look_ahead(session)
        store_locked(db, memory, rnd, n)
    assert first.reloads == second.reloads == 0
    # every other article's facts were made ahead; none was left for the locked catch-up
    assert first.made_ahead > 0 and second.made_ahead > 0
    assert first.made_locked == second.made_locked == 0

    reference = Database(f"sqlite:///{(tmp_path / 'reference.db').as_posix()}")
    try:
        rnd = random.Random(11)
        for n in range(1, 41):
            store_locked(reference, None, rnd, n)
        stories_got, links_got = outcome(db)
        stories_expected, links_expected = outcome(reference)
    finally:
        reference.close()
    assert links_expected
    assert stories_got == stories_expected
    assert links_got == links_expected


def test_windows_not_looking_ahead_make_others_facts_under_the_lock(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The counter-example: the same turns without looking ahead leave the facts of the
    other's articles to the catch-up under the lock."""
    monkeypatch.setattr(stories, "MAX_WINDOW", 8)
    first, second = EventWindow(), EventWindow()
    rnd = random.Random(11)
    for n in range(1, 41):
        store_locked(db, first if n % 2 else second, rnd, n)
    assert first.made_locked > 0 and second.made_locked > 0
    assert first.made_ahead == second.made_ahead == 0


def _ingest(pipeline: Pipeline, served: LoopbackSite, path: str) -> CycleReport:
    report = asyncio.run(pipeline.ingest_urls([served.url(path)]))
    assert report.articles_new == 1, report.errors
    return report


def test_a_pipeline_looks_ahead_while_others_store_and_stops_when_they_stop(
    db: Database,
    settings: Settings,
    site: LoopbackSite,  # noqa: F811
) -> None:
    for n in (1, 2, 3):
        site.routes[f"/c/{n}.html"] = Route(
            article_page(
                f"北塘区第{n}届社区运动会开幕",
                "2026-11-18 09:00",
                "北塘新闻",
                [f"第{n}届：{line}" for line in EXTRA],
            )
        )
    first, second = Pipeline(settings, db), Pipeline(settings, db)
    assert "look_ahead" not in _ingest(first, site, "/a/other.html").cpu.seconds  # alone
    _ingest(second, site, "/a/report.html")  # another process stores the original
    # the catch-up under the lock finds it: others store, but this article is in already
    assert "look_ahead" not in _ingest(first, site, "/c/1.html").cpu.seconds
    _ingest(second, site, "/c/2.html")
    # taken in ahead of the lock: the other's article, then the republication joins the
    # original's story as under the lock
    assert "look_ahead" in _ingest(first, site, "/b/copy.html").cpu.seconds
    found = dict(stories_of(db, site))
    assert found["/b/copy.html"] == found["/a/report.html"]
    # nobody stored since: one look finds nothing, and the next article looks no more
    assert "look_ahead" in _ingest(first, site, "/c/3.html").cpu.seconds
    site.routes["/c/4.html"] = Route(
        article_page("北塘区社区运动会闭幕", "2026-11-19 09:00", "北塘新闻", EXTRA)
    )
    assert "look_ahead" not in _ingest(first, site, "/c/4.html").cpu.seconds


EXTRA = [
    "11月18日，北塘区社区运动会在区体育中心开幕，来自各街道的八百余名运动员参加比赛。",
    "本届运动会设田径、拔河、跳绳等十二个项目，比赛将持续三天。",
    "区文体局负责人表示，运动会旨在丰富居民业余生活，推动全民健身。",
]


def stories_of(db: Database, served: LoopbackSite) -> list[tuple[str, int | None]]:
    with db.session() as session:
        rows = session.execute(sa.select(Article.url, Article.story_id)).all()
    return [(url.removeprefix(served.base_url), story) for url, story in rows]
