"""Fetching through headless Chromium, for sites that answer 412 or a challenge page
until a script has set a cookie (common on government sites).

A source marked ``render = "browser"`` is fetched here instead of by the plain HTTP
fetcher, with the same limits: bodies are capped, a timeout bounds each page, and the SSRF
guard holds for every connection the browser makes. Chromium's only way out is a
``GuardedProxy`` on loopback (loopback itself not bypassed), so each redirect hop,
subresource and WebSocket is judged on the address the proxy then connects to, with the
first DNS answer pinned; WebRTC may not send UDP around the proxy. The browser is
Debian's ``chromium`` driven by Playwright; nothing is downloaded.

Politeness is the plain fetcher's: a page load (its navigation, the challenge's reload
and the wait for the network to go quiet) holds one of its host's places
(``per_host_concurrency``) and starts ``per_host_delay`` after the previous one; with a
``shared_gate`` (``jianbao worker``: jianbao.jobs.politeness keeps it in Redis) it holds
the host's place shared with every other process too, plain fetches included.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from aiohttp.abc import AbstractResolver

from jianbao.collect.fetcher import SharedHostGate
from jianbao.collect.guarded_proxy import REFUSED_HEADER, GuardedProxy
from jianbao.collect.ssrf import blocked_error, check_url, parse_allowlist
from jianbao.config import Settings
from jianbao.errors import FetchError
from jianbao.records import FetchedPage

#: flags for a quiet Chromium on a closed network (no background traffic, no sandbox as root)
CHROMIUM_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # the guarded proxy sees every connection: loopback is not exempt, WebRTC no bypass
    "--proxy-bypass-list=<-loopback>",
    "--force-webrtc-ip-handling-policy=disable_non_proxied_udp",
)


class _HostTurns:
    """One host's places and spacing among this fetcher's page loads."""

    def __init__(self, concurrency: int, delay: float):
        self.places = asyncio.Semaphore(max(1, concurrency))
        self.delay = max(0.0, delay)
        self.next_start = 0.0
        self.lock = asyncio.Lock()


class BrowserFetcher:
    """Fetches rendered pages; use as ``async with BrowserFetcher(settings) as fetcher``.

    ``resolver`` answers host names for the guarded proxy (the system's by default);
    ``shared_gate``, when given, is held around each page load as the plain fetcher holds
    it around each request, so several processes together keep a host's limits.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        resolver: AbstractResolver | None = None,
        shared_gate: SharedHostGate | None = None,
    ):
        self.settings = settings
        self.shared_gate = shared_gate
        self._hosts: dict[str, _HostTurns] = {}
        self._resolver = resolver
        self._allowlist = parse_allowlist(settings.ssrf_allowlist)
        self._playwright: Any = None
        self._browser: Any = None
        self._context: Any = None
        self._proxy: GuardedProxy | None = None

    async def __aenter__(self) -> BrowserFetcher:
        if not Path(self.settings.browser_path).is_file():
            raise FetchError(
                "找不到用于渲染页面的 Chromium",
                item=self.settings.browser_path,
                hint="apt-get install chromium，或设置 JIANBAO_BROWSER_PATH",
            )
        from playwright.async_api import async_playwright

        self._proxy = await GuardedProxy(
            self._allowlist, resolver=self._resolver, connect_timeout=self.settings.connect_timeout
        ).__aenter__()
        try:
            self._playwright = await async_playwright().start()
            self._browser = await self._playwright.chromium.launch(
                executable_path=self.settings.browser_path,
                args=[*CHROMIUM_ARGS, f"--proxy-server={self._proxy.url}"],
            )
            self._context = await self._browser.new_context(
                user_agent=self.settings.user_agent, java_script_enabled=True
            )
        except BaseException:
            await self.__aexit__()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._browser is not None:
            await self._browser.close()
            self._browser = None
        if self._playwright is not None:
            await self._playwright.stop()
            self._playwright = None
        if self._proxy is not None:
            await self._proxy.__aexit__()
            self._proxy = None

    @asynccontextmanager
    async def _turn(self, url: str) -> AsyncIterator[None]:
        """Wait for the host's place and turn (this fetcher's, then the shared gate's)."""
        host = urlsplit(url).netloc.lower()
        turns = self._hosts.get(host)
        if turns is None:
            settings = self.settings
            turns = _HostTurns(settings.per_host_concurrency, settings.per_host_delay)
            self._hosts[host] = turns
        async with turns.places:
            if turns.delay > 0:
                async with turns.lock:
                    now = time.monotonic()
                    if turns.next_start > now:
                        await asyncio.sleep(turns.next_start - now)
                    turns.next_start = max(now, turns.next_start) + turns.delay
            if self.shared_gate is None:
                yield
            else:
                async with self.shared_gate.slot(host):
                    yield

    def _refusal(self, url: str, page_url: str | None, since: int) -> FetchError | None:
        """The SSRF error for a navigation the proxy refused: to ``page_url``'s host, else
        the latest refusal since the navigation began (a redirect's target is not named
        in the browser's error). None when nothing was refused since."""
        assert self._proxy is not None
        recent = self._proxy.refused[since:]
        host = urlsplit(page_url or url).hostname or ""
        for refused_host, address in reversed(recent):
            if refused_host == host:
                return blocked_error(url, refused_host, address)
        if recent:
            return blocked_error(url, *recent[-1])
        return None

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        robots: bool | None = None,
    ) -> FetchedPage:
        """The page as the browser shows it once its scripts have run (conditional
        headers do not apply: a rendered page is always fetched whole)."""
        if self._context is None:
            raise FetchError(
                "浏览器未启动", item=url, hint="用 async with BrowserFetcher(…) 使用它"
            )
        check_url(url, self._allowlist)  # a forbidden literal needs no browser to refuse
        async with self._turn(url):
            return await self._render(url)

    async def _render(self, url: str) -> FetchedPage:
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        assert self._proxy is not None and self._context is not None
        since = len(self._proxy.refused)
        page = await self._context.new_page()
        timeout_ms = self.settings.fetch_timeout * 1000
        try:
            response = await page.goto(url, wait_until="load", timeout=timeout_ms)
            if response is not None and REFUSED_HEADER.lower() in response.headers:
                host = urlsplit(response.url).hostname or url
                raise self._refusal(url, response.url, since) or blocked_error(url, host, host)
            # a challenge script sets its cookie and reloads; a page that keeps polling
            # never goes idle and is taken as it is after browser_wait
            with contextlib.suppress(PlaywrightTimeout):
                await page.wait_for_load_state(
                    "networkidle", timeout=self.settings.browser_wait * 1000
                )
            final = page.url
            html = await page.content()
            status = response.status if response is not None else 200
            last = await _last_status(page, status)
        except FetchError:
            raise
        except Exception as exc:
            # an https target refused by the proxy fails as a tunnel error
            refusal = self._refusal(url, _failed_url(exc), since)
            if refusal is not None and "ERR_TUNNEL_CONNECTION_FAILED" in str(exc):
                raise refusal from None
            raise FetchError(
                f"浏览器打开页面失败：{type(exc).__name__}",
                item=url,
                hint="检查网址，或稍后重试",
                retryable=True,
            ) from None
        finally:
            await page.close()
        if last >= 400:
            raise FetchError(
                f"HTTP {last}（浏览器渲染后）",
                item=url,
                status=last,
                retryable=last >= 500 or last == 429,
                hint="该站可能需要更长的等待：调大 JIANBAO_BROWSER_WAIT",
            )
        body = html.encode("utf-8")[: self.settings.max_body_bytes]
        return FetchedPage(
            url=url,
            final_url=final or url,
            status=last,
            headers={"content-type": "text/html; charset=utf-8"},
            body=body,
            fetched_at=datetime.now(UTC),
        )


def _failed_url(exc: Exception) -> str | None:
    """The URL a Playwright navigation error names (``… at https://host/path``)."""
    text = str(exc)
    marker = " at "
    if marker not in text:
        return None
    return text.split(marker, 1)[1].split()[0] or None


async def _last_status(page: Any, first: int) -> int:
    """The status of the document now shown (a challenge page reloads itself)."""
    status = await page.evaluate(
        "() => { const e = performance.getEntriesByType('navigation')[0];"
        " return e && e.responseStatus ? e.responseStatus : 0; }"
    )
    return int(status) or first
