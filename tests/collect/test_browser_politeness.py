"""Browser-rendered sources keep the host's politeness shared with the plain fetcher
(issue 19 review): a ``BrowserFetcher`` and a ``Fetcher``, each with its own Redis host
gate on one prefix (as two worker processes have), fetching pages of one recording
loopback host at once, never have two requests in flight and space their starts by the
delay. Without the shared gate each keeps the limits alone and their requests overlap
(the control). One Chromium serves both runs.
"""

from __future__ import annotations

import asyncio
import itertools
import shutil
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from jianbao.collect.browser import BrowserFetcher
from jianbao.collect.fetcher import Fetcher
from jianbao.jobs.politeness import RedisHostGate
from jianbao.testing import LoopbackSite, Route, make_settings
from jobs.celery_workers import REDIS_URL, prefix, redis_client  # noqa: F401 (fixtures)

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None, reason="Debian's chromium is not installed"
)

DELAY = 0.3
#: seconds each answer takes
SERVICE = 0.25
PAGES = 2


class RecordingHost:
    """A loopback host recording when each page request arrived and was answered."""

    def __init__(self) -> None:
        self.requests: list[tuple[float, float, str]] = []
        self._lock = threading.Lock()
        self.site = LoopbackSite()
        for kind, n in itertools.product(("b", "h"), range(PAGES)):
            self.site.routes[f"/{kind}{n}.html"] = self._recorded(
                Route(
                    f"<html><head><meta charset='utf-8'><title>第{n}页</title></head>"
                    f"<body><p>卫健委信息化建设第{n}期</p></body></html>".encode(),
                    content_type="text/html; charset=utf-8",
                )
            )

    def _recorded(self, route: Route) -> Any:
        def answer(handler: Any) -> Route:
            arrived = time.monotonic()
            time.sleep(SERVICE)
            with self._lock:
                self.requests.append((arrived, time.monotonic(), handler.path))
            return route

        return answer


def max_in_flight(requests: list[tuple[float, float, str]]) -> int:
    events = sorted([(a, 1) for a, _b, _p in requests] + [(b, -1) for _a, b, _p in requests])
    most = current = 0
    for _moment, step in events:
        current += step
        most = max(most, current)
    return most


def test_browser_and_plain_fetches_share_the_hosts_gate(tmp_path: Path, prefix: str) -> None:  # noqa: F811
    host = RecordingHost()
    settings = make_settings(
        tmp_path, per_host_delay=DELAY, per_host_concurrency=1, browser_wait=0.5
    )

    def gate() -> RedisHostGate:
        return RedisHostGate(
            REDIS_URL, f"{prefix}:host", concurrency=1, delay=DELAY, hold_seconds=30
        )

    async def both(browser: BrowserFetcher, plain: Fetcher) -> None:
        await asyncio.gather(
            *(browser.fetch(host.site.url(f"/b{n}.html")) for n in range(PAGES)),
            *(plain.fetch(host.site.url(f"/h{n}.html")) for n in range(PAGES)),
        )

    async def run() -> tuple[list[tuple[float, float, str]], list[tuple[float, float, str]]]:
        one, two = gate(), gate()
        async with (
            BrowserFetcher(settings, shared_gate=one) as browser,
            Fetcher(settings, respect_robots=False, shared_gate=two) as plain,
        ):
            await both(browser, plain)
            shared = list(host.requests)
            host.requests.clear()
            browser.shared_gate = plain.shared_gate = None  # each on its own
            await both(browser, plain)
            alone = list(host.requests)
        await one.aclose()
        await two.aclose()
        return shared, alone

    with host.site:
        shared, alone = asyncio.run(run())
    assert sorted(p for _a, _b, p in shared) == sorted(
        f"/{k}{n}.html" for k in "bh" for n in range(PAGES)
    )
    assert max_in_flight(shared) == 1, shared
    arrivals = sorted(a for a, _b, _p in shared)
    gaps = [later - earlier for earlier, later in itertools.pairwise(arrivals)]
    assert min(gaps) >= DELAY * 0.6, [round(g, 3) for g in gaps]
    # the control: the two fetchers each keep one place, so together they hold two
    assert len(alone) == 2 * PAGES and max_in_flight(alone) == 2, alone
