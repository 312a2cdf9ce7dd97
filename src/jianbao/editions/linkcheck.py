"""The optional dead-link check: does each item's link still answer?

Off by default (checking needs the network, and a report can be checked offline). When
asked for, every link is tried once, in parallel, with HEAD and, when a server refuses
HEAD, a one-byte GET; redirects are followed by hand. The result plugs into the checker
as ``CheckOptions(link_checker=...)``.

The links come from collected pages, that is from whoever wrote a feed, so the check goes
through the same SSRF guard as collection: every hop's URL is read as the client will
connect to it, resolved addresses are filtered, and each socket is checked before it
connects. A link to a private or loopback address is reported, never visited, unless the
address is in ``ssrf_allowlist``.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterable
from urllib.parse import urljoin

import aiohttp

from jianbao.collect.ssrf import (
    GuardedResolver,
    blocked_cause,
    check_url,
    guarded_socket,
    parse_allowlist,
)
from jianbao.errors import FetchError, excerpt

USER_AGENT = "Mozilla/5.0 (compatible; jianbao link check)"
MAX_REDIRECTS = 5
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


async def _status(
    session: aiohttp.ClientSession, url: str, allowlist: list, timeout: float
) -> tuple[int, str | None]:
    """The final status of ``url`` and, for a redirect, nothing else: hops are followed
    here so each passes the guard (aiohttp's own following would not ask it)."""
    current = url
    for _ in range(MAX_REDIRECTS + 1):
        checked = check_url(current, allowlist)
        status = 0
        location: str | None = None
        for method in ("HEAD", "GET"):
            headers = {"User-Agent": USER_AGENT}
            if method == "GET":
                headers["Range"] = "bytes=0-0"
            async with session.request(
                method,
                checked,
                headers=headers,
                allow_redirects=False,
                timeout=aiohttp.ClientTimeout(total=timeout),
            ) as response:
                status, location = response.status, response.headers.get("Location")
            if not (method == "HEAD" and status in (403, 405, 501)):
                break  # some servers refuse HEAD: only those are asked again with GET
        if status in _REDIRECTS and location:
            current = urljoin(current, location)
            continue
        return status, None
    return 0, f"重定向超过 {MAX_REDIRECTS} 次"


async def _problem(
    session: aiohttp.ClientSession, url: str, allowlist: list, timeout: float
) -> str | None:
    if not url.lower().startswith(("http://", "https://")):
        return "不是 http(s) 链接"
    try:
        status, problem = await _status(session, url, allowlist, timeout)
    except FetchError as exc:
        return f"拒绝访问：{exc.message}"
    except TimeoutError:
        return f"{timeout:g} 秒内无响应"
    except aiohttp.ClientConnectorError as exc:
        blocked = blocked_cause(exc)
        if blocked is not None:
            return f"拒绝访问内网或保留地址：{blocked.address}"
        return f"连接失败（{excerpt(str(exc.os_error.strerror or exc.os_error))}）"
    except aiohttp.ClientResponseError as exc:  # a status line that is not HTTP's
        return f"应答不是 HTTP：{excerpt(str(exc.message))}"
    except (aiohttp.ClientError, OSError, ValueError) as exc:
        return f"连接失败（{excerpt(str(exc) or type(exc).__name__)}）"
    if problem is not None:
        return problem
    return f"HTTP {status}" if status >= 400 else None


async def _check_all(
    urls: list[str], timeout: float, workers: int, allowlist: Iterable[str]
) -> list[str | None]:
    networks = parse_allowlist(allowlist)
    connector = aiohttp.TCPConnector(
        resolver=GuardedResolver(networks),
        socket_factory=guarded_socket(networks),
        limit=max(1, workers),
    )
    gate = asyncio.Semaphore(max(1, workers))

    async def one(session: aiohttp.ClientSession, url: str) -> str | None:
        async with gate:
            return await _problem(session, url, networks, timeout)

    async with aiohttp.ClientSession(connector=connector, trust_env=False) as session:
        return list(await asyncio.gather(*(one(session, u) for u in urls)))


def check_links(
    urls: Iterable[str],
    *,
    timeout: float = 8.0,
    workers: int = 8,
    allowlist: Iterable[str] = (),
) -> dict[str, str | None]:
    """Each distinct URL → its problem (None when it answers), checked in parallel."""
    distinct = list(dict.fromkeys(u for u in urls if u))
    if not distinct:
        return {}
    problems = asyncio.run(_check_all(distinct, timeout, workers, list(allowlist)))
    return dict(zip(distinct, problems, strict=True))


def link_problem(url: str, timeout: float = 8.0, allowlist: Iterable[str] = ()) -> str | None:
    """None when ``url`` answers, else what went wrong (HTTP 404, 超时, 连接失败 …)."""
    return check_links([url], timeout=timeout, workers=1, allowlist=allowlist).get(url)


def link_checker(
    urls: Iterable[str],
    *,
    timeout: float = 8.0,
    workers: int = 8,
    allowlist: Iterable[str] = (),
) -> Callable[[str], str | None]:
    """A checker for CheckOptions that checked ``urls`` up front (in parallel)."""
    allowed = list(allowlist)
    results = check_links(urls, timeout=timeout, workers=workers, allowlist=allowed)

    def checker(url: str) -> str | None:
        if url not in results:
            results[url] = link_problem(url, timeout, allowed)
        return results[url]

    return checker
