"""The fetcher: polite, bounded, SSRF-guarded HTTP GETs over aiohttp.

One ``Fetcher`` serves a whole collection cycle. It is concurrent across hosts and polite
per host (a concurrency limit and a delay between two requests to one host), sends a
clear User-Agent, does conditional GETs, retries what may succeed later (timeouts,
connection errors, 429 honouring Retry-After, 5xx) with exponential backoff and jitter,
and never retries a 4xx. Each concern has its own small method, in the order a response
meets them: SSRF check, redirect, status, not-modified, body cap.

Limits protect the machine: connect and read timeouts plus an overall deadline per
request (a server trickling one byte a second is cut off), a body cap (a 50 MB page is
read up to the cap and cut, never loaded whole), a redirect cap with loop detection.
Redirects are followed by hand so every hop passes the SSRF guard.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from types import TracebackType
from typing import Protocol
from urllib.parse import urljoin, urlsplit

import aiohttp
from yarl import URL

from jianbao.collect.robots import RobotsCache
from jianbao.collect.ssrf import (
    GuardedResolver,
    blocked_cause,
    blocked_error,
    check_url,
    guarded_socket,
)
from jianbao.collect.ssrf import parse_allowlist as _parse_allowlist
from jianbao.config import Settings
from jianbao.errors import FetchError, excerpt
from jianbao.records import FetchedPage

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 524})
#: header added to a FetchedPage whose body was cut off at Settings.max_body_bytes
TRUNCATED_HEADER = "x-jianbao-truncated"

_STATUS_HINTS = {
    401: "该页面需要登录，jianbao 不抓取需要登录的页面",
    403: "站点拒绝访问：检查网址，或该站点屏蔽了抓取（可尝试 render: browser）",
    404: "页面不存在：检查网址是否已改版或失效",
    410: "页面已被删除",
    412: "站点要求先执行 JavaScript 验证：把该来源设为 render: browser",
    429: "请求过于频繁：调大 per_host_delay 或降低 per_host_concurrency",
}


class RetryLater(FetchError):
    """A retryable HTTP answer (429, 5xx) with the server's Retry-After, when it gave one."""

    def __init__(self, message: str, *, item: str, status: int, retry_after: float | None):
        super().__init__(
            message,
            item=item,
            hint=_STATUS_HINTS.get(status, "服务器暂时不可用，稍后会自动重试"),
            status=status,
            retryable=True,
        )
        self.retry_after = retry_after


@dataclass
class _HostGate:
    """Per-host politeness: at most ``limit`` requests at once, starts spaced by a delay."""

    semaphore: asyncio.Semaphore
    delay: float = 0.0
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    next_start: float = 0.0


class SharedHostGate(Protocol):
    """Politeness shared with other processes (``jianbao worker``s on several machines):
    ``slot(host)`` is held around each request to ``host``, on top of this fetcher's own
    gate (jianbao.jobs.politeness holds it in Redis)."""

    def slot(self, host: str) -> AbstractAsyncContextManager[None]: ...


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    text = value.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class Fetcher:
    """Fetches pages for one cycle; use as ``async with Fetcher(settings) as fetcher``.

    ``backoff_base`` (seconds) scales the exponential backoff, ``backoff_cap`` bounds one
    wait, and a Retry-After longer than ``max_retry_after`` is not waited for (the error
    goes back to the caller, still marked retryable, for the next cycle).

    ``respect_robots`` makes every request ask the site's robots.txt first (default: the
    ``respect_robots`` setting); ``fetch(robots=…)`` overrides it for one request, e.g.
    for a source configured to ignore robots.txt.

    ``admit``, when given, is awaited before each request is sent (its host's turn
    come): a consumer slower than the network holds requests back with it.

    ``shared_gate``, when given, is entered around each request as well, so several
    processes fetching from one host together keep its delay and concurrency.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        backoff_base: float = 0.5,
        backoff_cap: float = 30.0,
        max_retry_after: float = 60.0,
        respect_robots: bool | None = None,
        admit: Callable[[], Awaitable[None]] | None = None,
        shared_gate: SharedHostGate | None = None,
    ):
        self.settings = settings
        self.admit = admit
        self.shared_gate = shared_gate
        self.respect_robots = settings.respect_robots if respect_robots is None else respect_robots
        self.robots = RobotsCache(self._load_robots, settings.user_agent)
        self.backoff_base = backoff_base
        self.backoff_cap = backoff_cap
        self.max_retry_after = max_retry_after
        self._allowlist = _parse_allowlist(settings.ssrf_allowlist)
        self._session: aiohttp.ClientSession | None = None
        self._total: asyncio.Semaphore | None = None
        self._hosts: dict[str, _HostGate] = {}
        #: requests actually sent (each retry and redirect hop counts), for tests and stats
        self.requests_sent = 0

    # -- lifecycle ---------------------------------------------------------------------

    async def __aenter__(self) -> Fetcher:
        settings = self.settings
        connector = aiohttp.TCPConnector(
            limit=max(1, settings.total_concurrency),
            limit_per_host=0,
            resolver=GuardedResolver(self._allowlist),
            # the last check: every socket, on the very address it connects to
            socket_factory=guarded_socket(self._allowlist),
            ttl_dns_cache=300,
        )
        timeout = aiohttp.ClientTimeout(
            total=None,
            connect=settings.connect_timeout,
            sock_connect=settings.connect_timeout,
            sock_read=settings.fetch_timeout,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            timeout=timeout,
            headers={
                "User-Agent": settings.user_agent,
                "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,"
                "application/rss+xml,application/atom+xml,*/*;q=0.8",
                "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
            },
            auto_decompress=True,
            trust_env=False,
            # cookies from IP-addressed hosts too (tests, intranet mirrors): some sites set
            # a cookie and redirect back before serving the page
            cookie_jar=aiohttp.CookieJar(unsafe=True),
        )
        self._total = asyncio.Semaphore(max(1, settings.total_concurrency))
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    # -- public ------------------------------------------------------------------------

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        robots: bool | None = None,
    ) -> FetchedPage:
        """GET ``url`` following redirects; retry what may succeed later.

        Returns the page (body capped), or a page with ``not_modified=True`` when the
        server answers 304 to the conditional headers. Raises FetchError otherwise
        (also when robots.txt forbids the URL and robots are respected).
        """
        check_robots = self.respect_robots if robots is None else robots
        if self._session is None:
            raise FetchError(
                "Fetcher 未打开", item=url, hint="用 async with Fetcher(settings) 使用它"
            )
        attempt = 0
        while True:
            try:
                return await self._follow(url, etag, last_modified, check_robots)
            except FetchError as exc:
                if not exc.retryable or attempt >= self.settings.retries:
                    raise
                wait = self._backoff(attempt, exc)
                if wait is None:
                    raise
                attempt += 1
                await asyncio.sleep(wait)

    # -- one concern per method --------------------------------------------------------

    def _backoff(self, attempt: int, exc: FetchError) -> float | None:
        """Seconds before the next try: Retry-After when given, else exponential backoff
        with full jitter. None when the server asks for longer than we are willing to wait."""
        retry_after = exc.retry_after if isinstance(exc, RetryLater) else None
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return retry_after + random.uniform(0, self.backoff_base)
        ceiling = min(self.backoff_cap, self.backoff_base * (2**attempt))
        return ceiling / 2 + random.uniform(0, ceiling / 2)

    async def _follow(
        self, url: str, etag: str | None, last_modified: str | None, check_robots: bool
    ) -> FetchedPage:
        """Follow redirects by hand, checking every hop against the SSRF guard (and
        robots.txt when asked).

        A URL may be visited twice: sites that set a cookie redirect back to the same
        address once (a common guard on government sites); a third visit is a loop.
        """
        current = url
        seen = Counter([url])
        for _hop in range(self.settings.max_redirects + 1):
            # the client gets the URL exactly as checked (yarl's reading of the host)
            checked = check_url(current, self._allowlist)
            if check_robots:
                await self._obey_robots(url, current)
            result = await self._request(url, current, etag, last_modified, checked)
            if isinstance(result, FetchedPage):
                return result
            target = result
            if seen[target] >= 2:
                raise FetchError(
                    "重定向循环", item=url, hint=f"{current} 又跳回了已访问过的 {target}"
                )
            seen[target] += 1
            current = target
        raise FetchError(
            f"重定向超过 {self.settings.max_redirects} 次",
            item=url,
            hint="检查网址是否正确，或调大 max_redirects",
        )

    async def _obey_robots(self, original: str, url: str) -> None:
        rules = await self.robots.rules_for(url)
        if rules.crawl_delay:
            gate = self._gate(url)
            gate.delay = max(gate.delay, rules.crawl_delay)
        if urlsplit(url).path == "/robots.txt" or rules.allows(url, self.robots.agent):
            return
        if rules.parser is None:
            raise FetchError(
                f"站点的 robots.txt 暂时无法读取（HTTP {rules.status}），按规范暂停抓取该站点",
                item=original,
                hint="站点可能正在维护；稍后会自动重试",
                status=rules.status,
                retryable=True,
            )
        raise FetchError(
            "robots.txt 不允许抓取该网址",
            item=original,
            hint="站点的 robots.txt 禁止抓取；若已获站点授权，可为该来源关闭 robots 检查",
            retryable=False,
        )

    async def _load_robots(self, robots_url: str) -> tuple[int, bytes]:
        """Fetch a robots.txt for the cache: (status, body) for any HTTP answer; the
        FetchError itself when the site cannot be reached (timeouts, refused connections).

        Other failures (redirect loops, a redirect to a refused address) count as "no
        robots.txt" (RFC 9309 treats unfollowable redirects as unavailable): the request
        itself then meets its own error, which names the real problem.
        """
        try:
            page = await self._follow(robots_url, None, None, False)
        except FetchError as exc:
            if exc.status:
                return exc.status, b""
            if not exc.retryable:
                return 404, b""
            raise
        return page.status, page.body

    def _gate(self, url: str) -> _HostGate:
        key = urlsplit(url).netloc.lower()
        gate = self._hosts.get(key)
        if gate is None:
            gate = _HostGate(
                asyncio.Semaphore(max(1, self.settings.per_host_concurrency)),
                delay=self.settings.per_host_delay,
            )
            self._hosts[key] = gate
        return gate

    @asynccontextmanager
    async def _slot(self, url: str) -> AsyncIterator[None]:
        """Wait for the host's politeness slot, then for a global slot."""
        assert self._total is not None
        gate = self._gate(url)
        async with gate.semaphore:
            delay = gate.delay
            if delay > 0:
                async with gate.lock:
                    now = time.monotonic()
                    wait = gate.next_start - now
                    if wait > 0:
                        await asyncio.sleep(wait)
                    gate.next_start = max(now, gate.next_start) + delay
            if self.admit is not None:
                await self.admit()
            async with self._total:
                if self.shared_gate is None:
                    yield
                else:
                    async with self.shared_gate.slot(urlsplit(url).netloc.lower()):
                        yield

    async def _request(
        self,
        original: str,
        url: str,
        etag: str | None,
        last_modified: str | None,
        checked: URL,
    ) -> FetchedPage | str:
        """One GET of ``checked`` (``url`` as the SSRF guard read it): a page, or the
        absolute URL a redirect points to."""
        assert self._session is not None
        headers: dict[str, str] = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        async with self._slot(url):
            self.requests_sent += 1
            try:
                async with asyncio.timeout(self.settings.fetch_timeout):
                    async with self._session.get(
                        checked, headers=headers, allow_redirects=False
                    ) as response:
                        location = self._redirect_target(url, response)
                        if location is not None:
                            return location
                        self._check_status(url, response)
                        if response.status == 304:
                            return self._page(original, url, response, b"", not_modified=True)
                        body, truncated = await self._read_capped(response)
                        return self._page(original, url, response, body, truncated=truncated)
            except FetchError:
                raise
            except TimeoutError as exc:
                raise FetchError(
                    f"请求超时（{self.settings.fetch_timeout:g} 秒内未完成）",
                    item=url,
                    hint="站点响应过慢；稍后重试，或调大 fetch_timeout",
                    retryable=True,
                ) from exc
            except aiohttp.ClientConnectorError as exc:
                blocked = blocked_cause(exc)
                if blocked is not None:
                    raise blocked_error(url, blocked.host, blocked.address) from exc
                raise FetchError(
                    f"无法连接服务器：{exc.os_error.strerror or exc.os_error}",
                    item=url,
                    hint="检查网址和网络；站点可能暂时不可用",
                    retryable=True,
                ) from exc
            except aiohttp.InvalidURL as exc:
                raise FetchError("网址无效", item=url, hint="检查网址拼写") from exc
            except aiohttp.ClientResponseError as exc:
                raise FetchError(
                    f"服务器响应格式错误：{excerpt(str(exc.message))}",
                    item=url,
                    hint="站点返回了无法解析的 HTTP 响应",
                    status=exc.status or None,
                    retryable=False,
                ) from exc
            except aiohttp.ClientError as exc:
                raise FetchError(
                    f"连接中断：{type(exc).__name__} {excerpt(str(exc))}".strip(),
                    item=url,
                    hint="站点中途断开连接；稍后会自动重试",
                    retryable=True,
                ) from exc
            except (ValueError, UnicodeError) as exc:
                raise FetchError("网址无效", item=url, hint=excerpt(str(exc))) from exc

    def _redirect_target(self, url: str, response: aiohttp.ClientResponse) -> str | None:
        if response.status not in REDIRECT_STATUSES:
            return None
        location = response.headers.get("Location")
        if not location:
            raise FetchError(
                f"HTTP {response.status} 重定向缺少 Location",
                item=url,
                hint="站点返回了残缺的重定向",
                status=response.status,
            )
        return urljoin(url, location.strip())

    def _check_status(self, url: str, response: aiohttp.ClientResponse) -> None:
        status = response.status
        if 200 <= status < 300 or status == 304:
            return
        if status in RETRYABLE_STATUSES or status >= 500:
            raise RetryLater(
                f"服务器返回 HTTP {status}",
                item=url,
                status=status,
                retry_after=parse_retry_after(response.headers.get("Retry-After")),
            )
        raise FetchError(
            f"服务器返回 HTTP {status}",
            item=url,
            hint=_STATUS_HINTS.get(status, "检查网址；该错误不会自动重试"),
            status=status,
            retryable=False,
        )

    async def _read_capped(self, response: aiohttp.ClientResponse) -> tuple[bytes, bool]:
        """Read the (decompressed) body up to the cap; stop and drop the rest beyond it."""
        cap = self.settings.max_body_bytes
        chunks: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(64 * 1024):
            if size + len(chunk) > cap:
                chunks.append(chunk[: cap - size])
                response.close()
                return b"".join(chunks), True
            chunks.append(chunk)
            size += len(chunk)
        return b"".join(chunks), False

    @staticmethod
    def _page(
        original: str,
        url: str,
        response: aiohttp.ClientResponse,
        body: bytes,
        *,
        not_modified: bool = False,
        truncated: bool = False,
    ) -> FetchedPage:
        headers = {key.lower(): value for key, value in response.headers.items()}
        if truncated:
            headers[TRUNCATED_HEADER] = "1"
        return FetchedPage(
            url=original,
            final_url=url,
            status=response.status,
            headers=headers,
            body=body,
            fetched_at=datetime.now(UTC),
            not_modified=not_modified,
        )
