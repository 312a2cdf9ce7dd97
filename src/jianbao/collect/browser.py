"""Fetching through headless Chromium, for sites that answer 412 or a challenge page
until a script has set a cookie (common on government sites).

A source marked ``render = "browser"`` is fetched here instead of by the plain HTTP
fetcher, with the same limits: the SSRF guard checks every request the page makes (the
host's resolved addresses, before the browser connects), bodies are capped, and a
timeout bounds each page. The browser is Debian's ``chromium`` driven by Playwright;
nothing is downloaded.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jianbao.collect.ssrf import address_allowed, check_url, parse_allowlist
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
)


class BrowserFetcher:
    """Fetches rendered pages; use as ``async with BrowserFetcher(settings) as fetcher``."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self._allowlist = parse_allowlist(settings.ssrf_allowlist)
        self._playwright: Any = None
        self._browser: Any = None
        self._context: Any = None
        self._resolved: dict[str, bool] = {}

    async def __aenter__(self) -> BrowserFetcher:
        if not Path(self.settings.browser_path).is_file():
            raise FetchError(
                "找不到用于渲染页面的 Chromium",
                item=self.settings.browser_path,
                hint="apt-get install chromium，或设置 JIANBAO_BROWSER_PATH",
            )
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        self._browser = await self._playwright.chromium.launch(
            executable_path=self.settings.browser_path, args=list(CHROMIUM_ARGS)
        )
        self._context = await self._browser.new_context(
            user_agent=self.settings.user_agent, java_script_enabled=True
        )
        await self._context.route("**/*", self._guard)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._browser is not None:
            await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()

    async def _allowed(self, url: str) -> bool:
        """The SSRF rule for one request: scheme, IP literal, and every resolved address."""
        try:
            check_url(url, self._allowlist)
        except FetchError:
            return False
        host = urlsplit(url).hostname or ""
        if host not in self._resolved:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(host, None)
            except socket.gaierror:
                self._resolved[host] = False
            else:
                addresses = {str(info[4][0]) for info in infos}
                self._resolved[host] = bool(addresses) and all(
                    address_allowed(a, self._allowlist) for a in addresses
                )
        return self._resolved[host]

    async def _guard(self, route: Any) -> None:
        if await self._allowed(route.request.url):
            await route.continue_()
        else:
            await route.abort("blockedbyclient")

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
        if not await self._allowed(url):
            raise FetchError(
                "拒绝访问内网或保留地址", item=url, hint="如确需访问，加入 ssrf_allowlist"
            )
        from playwright.async_api import TimeoutError as PlaywrightTimeout

        page = await self._context.new_page()
        timeout_ms = self.settings.fetch_timeout * 1000
        try:
            response = await page.goto(url, wait_until="load", timeout=timeout_ms)
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


async def _last_status(page: Any, first: int) -> int:
    """The status of the document now shown (a challenge page reloads itself)."""
    status = await page.evaluate(
        "() => { const e = performance.getEntriesByType('navigation')[0];"
        " return e && e.responseStatus ? e.responseStatus : 0; }"
    )
    return int(status) or first
