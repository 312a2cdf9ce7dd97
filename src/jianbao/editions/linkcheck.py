"""The optional dead-link check: does each item's link still answer?

Off by default (checking needs the network, and a report can be checked offline). When
asked for, every link is tried once, in parallel, with HEAD and, when a server refuses
HEAD, a one-byte GET; redirects are followed. The result plugs into the checker as
``CheckOptions(link_checker=...)``.
"""

from __future__ import annotations

import http.client
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor

from jianbao.errors import excerpt

USER_AGENT = "Mozilla/5.0 (compatible; jianbao link check)"


def _try(url: str, method: str, timeout: float) -> int:
    headers = {"User-Agent": USER_AGENT}
    if method == "GET":
        headers["Range"] = "bytes=0-0"
    request = urllib.request.Request(url, method=method, headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return int(response.status)


def link_problem(url: str, timeout: float = 8.0) -> str | None:
    """None when ``url`` answers, else what went wrong (HTTP 404, 超时, 连接失败 …)."""
    if not url.lower().startswith(("http://", "https://")):
        return "不是 http(s) 链接"
    for method in ("HEAD", "GET"):
        try:
            _try(url, method, timeout)
            return None
        except urllib.error.HTTPError as exc:
            if method == "HEAD" and exc.code in (403, 405, 501):
                continue  # some servers refuse HEAD: ask again with GET
            return f"HTTP {exc.code}"
        except TimeoutError:
            return f"{timeout:g} 秒内无响应"
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError):
                return f"{timeout:g} 秒内无响应"
            return f"连接失败（{excerpt(str(reason))}）"
        except (OSError, ValueError) as exc:
            return f"连接失败（{excerpt(str(exc))}）"
        except http.client.HTTPException as exc:  # a status line that is not HTTP's
            return f"应答不是 HTTP：{excerpt(str(exc))}"
    return None


def check_links(
    urls: Iterable[str], *, timeout: float = 8.0, workers: int = 8
) -> dict[str, str | None]:
    """Each distinct URL → its problem (None when it answers), checked in parallel."""
    distinct = list(dict.fromkeys(u for u in urls if u))
    if not distinct:
        return {}
    with ThreadPoolExecutor(max_workers=max(1, min(workers, len(distinct)))) as pool:
        problems = list(pool.map(lambda u: link_problem(u, timeout), distinct))
    return dict(zip(distinct, problems, strict=True))


def link_checker(
    urls: Iterable[str], *, timeout: float = 8.0, workers: int = 8
) -> Callable[[str], str | None]:
    """A checker for CheckOptions that checked ``urls`` up front (in parallel)."""
    results = check_links(urls, timeout=timeout, workers=workers)

    def checker(url: str) -> str | None:
        if url not in results:
            results[url] = link_problem(url, timeout)
        return results[url]

    return checker
