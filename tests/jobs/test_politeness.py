"""Per-host politeness across Celery workers (issue 19): two real ``jianbao worker``
processes (two prefork children each) collecting sources of the same two loopback hosts
at once keep each host's delay and concurrency together, as one process would.

The sites record when each request arrived and when its answer was ready; each request
takes ``SERVICE`` seconds, so both the spacing of starts and the number in flight show.
Without the shared gate the four processes each keep the limits alone: four requests to
a host arrive within milliseconds.
"""

from __future__ import annotations

import asyncio
import itertools
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from tests.conftest import drop_postgres

from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.jobs.celery_app import make_celery
from jianbao.jobs.politeness import RedisHostGate
from jianbao.jobs.tasks import COLLECT_SOURCES, send_task
from jianbao.records import SourceSpec
from jianbao.testing import LoopbackSite, Route

from .celery_workers import REDIS_URL, Worker, store_settings

pytestmark = pytest.mark.slow

DELAY = 0.25
CONCURRENCY = 2
#: seconds each answer takes: longer than the delay, so the concurrency limit binds too
SERVICE = 0.4
FEEDS_PER_HOST = 3
ARTICLES_PER_FEED = 2

PARAGRAPHS = [
    "省卫生健康委员会近日印发通知，部署推进全省医疗机构信息化建设与互联互通工作。",
    "通知要求各地加快电子病历系统应用水平分级评价，推动检查检验结果互认共享。",
    "省卫生健康委信息中心负责人介绍，全民健康信息平台将于年底前完成升级改造。",
]


class RecordingSite:
    """A loopback host whose every answer takes ``SERVICE`` seconds and is recorded."""

    def __init__(self, label: str):
        self.label = label
        self.requests: list[tuple[float, float, str]] = []  # (arrived, answered, path)
        self._lock = threading.Lock()
        self.site = LoopbackSite()
        base = self.site.base_url
        for feed in range(FEEDS_PER_HOST):
            items = ""
            for n in range(ARTICLES_PER_FEED):
                path = f"/news/{feed}/{n}.html"
                title = f"{label}市卫健委推进智慧医院建设第{feed}{n}期"
                page = "".join(f"<p>{p}（{label}{feed}{n}）</p>" for p in PARAGRAPHS)
                self.site.routes[path] = self._recorded(
                    Route(
                        f"<html><head><meta charset='utf-8'><title>{title}</title></head>"
                        f"<body><h1>{title}</h1><div class='info'>发布时间：2026-12-0{n + 1}"
                        f" 09:00</div><div class='content'>{page}</div></body></html>".encode(),
                        content_type="text/html; charset=utf-8",
                    )
                )
                items += f"<item><title>{title}</title><link>{base}{path}</link></item>"
            self.site.routes[f"/feed{feed}.xml"] = self._recorded(
                Route(
                    f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel>"
                    f"<title>{label}</title><link>{base}/</link>{items}</channel></rss>".encode(),
                    content_type="application/rss+xml",
                )
            )
        self.site.routes["/robots.txt"] = self._recorded(Route(b"", status=404))

    def _recorded(self, route: Route) -> Any:
        def answer(handler: Any) -> Route:
            arrived = time.monotonic()
            time.sleep(SERVICE)
            with self._lock:
                self.requests.append((arrived, time.monotonic(), handler.path))
            return route

        return answer

    def sources(self) -> list[SourceSpec]:
        return [
            SourceSpec(
                name=f"{self.label}{feed}",
                url=self.site.url(f"/feed{feed}.xml"),
                kind="feed",
            )
            for feed in range(FEEDS_PER_HOST)
        ]


def max_in_flight(requests: list[tuple[float, float, str]]) -> int:
    events = sorted([(a, 1) for a, _b, _p in requests] + [(b, -1) for _a, b, _p in requests])
    most = current = 0
    for _moment, step in events:  # an answer at the moment of an arrival ends first
        current += step
        most = max(most, current)
    return most


def test_two_workers_together_keep_each_hosts_delay_and_concurrency(
    admin: sa.Engine, tmp_path: Path, prefix: str, workers: list[Worker]
) -> None:
    hosts = [RecordingSite(label) for label in ("东川", "西川")]
    for host in hosts:
        host.site.start()
    settings = store_settings(
        admin, tmp_path, prefix, per_host_delay=DELAY, per_host_concurrency=CONCURRENCY
    )
    try:
        db = Database.from_settings(settings)
        with db.session() as session:
            for host in hosts:
                for spec in host.sources():
                    add_source(session, spec)
        limits = {
            "JIANBAO_PER_HOST_DELAY": str(DELAY),
            "JIANBAO_PER_HOST_CONCURRENCY": str(CONCURRENCY),
        }
        workers.extend(
            Worker(settings, f"p{n}", tmp_path / f"p{n}.log", extra_env=limits) for n in (1, 2)
        )
        app = make_celery(settings)
        # one task per source: a host's sources are collected by several processes at once
        results = [
            send_task(app, settings, COLLECT_SOURCES, [spec.name])
            for host in hosts
            for spec in host.sources()
        ]
        try:
            details = [result.get(timeout=90) for result in results]
        except Exception:
            for worker in workers:
                print(worker.log.read_text(errors="replace")[-4000:])
            raise
        assert all(detail["sources_failed"] == 0 for detail in details), details
        with db.session() as session:
            stored = session.scalar(select(func.count(Article.id)))
        db.close()
        assert stored == len(hosts) * FEEDS_PER_HOST * ARTICLES_PER_FEED
        assert all("collect_sources" in worker.log.read_text() for worker in workers)
        for host in hosts:
            arrivals = sorted(arrived for arrived, _answered, _path in host.requests)
            gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
            # starts are spaced by the delay (a little scheduling jitter allowed), and no
            # second in the run saw more starts than the delay allows
            assert min(gaps) >= DELAY * 0.6, (host.label, [round(g, 3) for g in gaps])
            for start in arrivals:
                within = [a for a in arrivals if start <= a < start + 1.0]
                assert len(within) <= 1 / DELAY + 1, (host.label, within)
            assert max_in_flight(host.requests) <= CONCURRENCY, host.label
        # the two hosts were fetched at the same time, not one after the other
        first, second = ([a for a, _b, _p in host.requests] for host in hosts)
        assert min(second) < max(first) and min(first) < max(second)
    finally:
        for host in hosts:
            host.site.stop()
        drop_postgres(admin, settings.database_url)


def test_a_place_a_killed_worker_held_is_free_again_after_the_hold_time(
    redis_client: Any, prefix: str
) -> None:
    """A worker killed mid-request never gives its place back: the place expires."""

    def gate() -> RedisHostGate:
        return RedisHostGate(REDIS_URL, f"{prefix}:host", concurrency=1, delay=0, hold_seconds=1.5)

    def hold_forever(ready: Any) -> None:
        async def run() -> None:
            async with gate().slot("a.example"):
                ready.set()
                await asyncio.sleep(60)

        asyncio.run(run())

    context = multiprocessing.get_context("fork")
    ready = context.Event()
    child = context.Process(target=hold_forever, args=(ready,))
    child.start()
    try:
        assert ready.wait(10)
        os.kill(child.pid or 0, signal.SIGKILL)
    finally:
        child.join(10)

    async def next_request() -> float:
        started = time.monotonic()
        shared = gate()
        async with shared.slot("a.example"):
            waited = time.monotonic() - started
        async with shared.slot("b.example"):  # another host was never held up
            pass
        await shared.aclose()
        return waited

    waited = asyncio.run(next_request())
    assert 0.5 < waited < 5.0, waited
