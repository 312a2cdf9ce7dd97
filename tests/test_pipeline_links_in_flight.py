"""A source's links are fetched a few at a time, not all at once (their pages are then
prepared and stored as the preparer has room): a cycle of a
thousand sources once held a pending task for every link it found (issue 21, the
collecting process's memory), while the hosts' politeness let only a few fetch."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from jianbao.config import Settings
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.pipeline import _gather_or_stop, links_in_flight
from jianbao.prepare import BACKLOG_PER_WORKER, WAITING_PAGES, worker_count
from jianbao.records import Link, SourceSpec
from jianbao.testing import LoopbackSite, Route

LINKS = 100


def test_at_most_limit_run_at_once_and_each_is_made_when_its_turn_comes() -> None:
    running = peak = made = 0
    made_at_start: list[int] = []

    async def item() -> None:
        nonlocal running, peak
        made_at_start.append(made)
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.001)
        running -= 1

    def items() -> Iterator[object]:
        nonlocal made
        for _ in range(20):
            made += 1
            yield item()

    asyncio.run(_gather_or_stop(items(), 3))  # type: ignore[arg-type]
    assert peak == 3
    assert len(made_at_start) == 20
    # never more than the limit made ahead of those that started
    assert all(made - started <= 3 for started, made in enumerate(made_at_start, 1))


def test_without_a_limit_all_run_together() -> None:
    running = peak = 0

    async def item() -> None:
        nonlocal running, peak
        running += 1
        peak = max(peak, running)
        await asyncio.sleep(0.001)
        running -= 1

    asyncio.run(_gather_or_stop(item() for _ in range(20)))
    assert peak == 20


def test_a_failure_cancels_the_others_and_leaves_the_rest_unstarted() -> None:
    started: list[int] = []
    cancelled: list[int] = []

    async def item(number: int) -> None:
        started.append(number)
        try:
            if number == 1:
                raise RuntimeError("坏了")
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.append(number)
            raise

    with pytest.raises(RuntimeError, match="坏了"):
        asyncio.run(_gather_or_stop((item(n) for n in range(10)), 2))
    assert sorted(started) == [0, 1]
    assert cancelled == [0]


def _links(hosts: int, each: int = 3) -> list[Link]:
    return [
        Link(url=f"http://h{host}.example.cn/{number}.html")
        for host in range(hosts)
        for number in range(each)
    ]


def test_links_in_flight_is_twice_what_their_hosts_allow_at_most_the_cycles() -> None:
    settings = Settings()
    assert links_in_flight(_links(1), settings) == 4  # one host, two requests at a time
    assert links_in_flight(_links(3), settings) == 12
    assert links_in_flight(_links(50), settings) == settings.total_concurrency
    assert links_in_flight([], settings) == 1
    wider = Settings(per_host_concurrency=5, total_concurrency=8)
    assert links_in_flight(_links(1), wider) == 8


@pytest.fixture
def many_links_site() -> Iterator[LoopbackSite]:
    site = LoopbackSite()
    base = site.base_url
    items = "".join(
        f"<item><title>第{n}号通知</title><link>{base}/n/{n}.html</link>"
        f"<pubDate>Mon, 16 Nov 2026 0{n % 9}:00:00 +0800</pubDate></item>"
        for n in range(LINKS)
    )
    site.routes["/rss.xml"] = Route(
        (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>通知</title><link>{base}/</link>{items}</channel></rss>"
        ).encode(),
        content_type="application/rss+xml; charset=utf-8",
    )
    for n in range(LINKS):
        site.routes[f"/n/{n}.html"] = Route(
            (
                f"<html><head><title>第{n}号通知</title></head><body><h1>第{n}号通知</h1>"
                f"<p>发布时间：2026-11-16 09:{n:02d}</p>"
                f"<p>东川省第{n}号通知：全省医疗机构第{n}批次设备检查工作安排如下，各单位按时完成。</p>"
                f"<p>检查内容包括第{n}批次设备的台账、维护记录和使用情况，结果按期报送。</p>"
                "</body></html>"
            ).encode()
        )
    with site:
        yield site


def test_a_cycle_holds_a_few_tasks_for_a_source_with_many_links(
    db: Database, settings: Settings, many_links_site: LoopbackSite
) -> None:
    from jianbao.pipeline import Pipeline

    tasks: list[int] = []

    def progress(kind: str, _detail: str) -> None:
        if kind == "article":
            tasks.append(len(asyncio.all_tasks()))

    with db.session() as session:
        add_source(
            session, SourceSpec(name="通知", url=many_links_site.url("/rss.xml"), kind="feed")
        )
    report = asyncio.run(Pipeline(settings, db, progress=progress).run_cycle())
    assert report.errors == []
    assert report.articles_new == LINKS
    assert len(tasks) == LINKS
    # a task for each of the 100 links once; now the source's four runners, the pages fetched
    # and waiting for the preparer (its room bounds them: here up to WAITING_PAGES, 64, while
    # the fresh store's risk classifier trains, and its backlog), and the cycle's own
    assert (
        max(tasks)
        <= 4 + WAITING_PAGES + BACKLOG_PER_WORKER * worker_count(settings.pipeline_workers) + 8
    ), tasks
