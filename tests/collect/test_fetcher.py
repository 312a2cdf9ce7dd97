"""The fetcher over real loopback HTTP: politeness, retries, limits, conditional GET."""

from __future__ import annotations

import asyncio
import gzip
import itertools
import socket
import threading
import time
import zlib
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest

from jianbao.collect.fetcher import TRUNCATED_HEADER, Fetcher, parse_retry_after
from jianbao.config import Settings
from jianbao.errors import FetchError
from jianbao.records import FetchedPage
from jianbao.testing import LoopbackSite, Route, make_settings

Fetch = Callable[..., FetchedPage]


def test_plain_get(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    site.routes.update({"/a": Route("正文".encode(), headers={"X-Extra": "1"})})
    page = fetch_one(settings, site.url("/a"))
    assert page.status == 200
    assert page.body == "正文".encode()
    assert page.url == page.final_url == site.url("/a")
    assert page.content_type == "text/html; charset=utf-8"
    assert page.headers["x-extra"] == "1"
    assert page.fetched_at.tzinfo is not None
    assert not page.not_modified


def test_user_agent_is_sent(site: LoopbackSite, tmp_path: Path, fetch_one: Fetch) -> None:
    seen: list[str] = []

    def handler(request: BaseHTTPRequestHandler) -> Route:
        seen.append(request.headers.get("User-Agent", ""))
        return Route(b"ok")

    settings = make_settings(tmp_path, user_agent="jianbao-test/9 (+mailto:ops@example.org)")
    site.routes.update({"/": handler})
    fetch_one(settings, site.url("/"))
    assert seen == ["jianbao-test/9 (+mailto:ops@example.org)"]


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("gzip", gzip.compress), ("deflate", zlib.compress)],
)
def test_compressed_bodies_are_decoded(
    site: LoopbackSite,
    settings: Settings,
    fetch_one: Fetch,
    encoding: str,
    compress: Callable[[bytes], bytes],
) -> None:
    text = "卫生健康信息化".encode() * 200
    route = Route(compress(text), headers={"Content-Encoding": encoding})
    site.routes.update({"/z": route})
    assert fetch_one(settings, site.url("/z")).body == text


def test_conditional_get_answers_not_modified(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    site.routes.update({"/feed": Route(b"<rss/>", etag='"v1"')})
    first = fetch_one(settings, site.url("/feed"))
    assert first.etag == '"v1"'
    second = fetch_one(settings, site.url("/feed"), etag=first.etag)
    assert second.not_modified
    assert second.status == 304
    assert second.body == b""
    changed = fetch_one(settings, site.url("/feed"), etag='"old"')
    assert changed.body == b"<rss/>"


def test_if_modified_since_is_sent(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    stamp = "Mon, 16 Oct 2023 02:00:00 GMT"

    def handler(request: BaseHTTPRequestHandler) -> Route:
        if request.headers.get("If-Modified-Since") == stamp:
            return Route(status=304)
        return Route(b"fresh", headers={"Last-Modified": stamp})

    site.routes.update({"/f": handler})
    assert fetch_one(settings, site.url("/f")).last_modified == stamp
    assert fetch_one(settings, site.url("/f"), last_modified=stamp).not_modified


def _flaky(failures: int, status: int, headers: dict[str, str] | None = None):
    calls = {"n": 0}

    def handler(request: BaseHTTPRequestHandler) -> Route:
        calls["n"] += 1
        if calls["n"] <= failures:
            return Route(b"busy", status=status, headers=dict(headers or {}))
        return Route(b"done")

    return handler


@pytest.mark.parametrize("status", [500, 502, 503, 504, 429])
def test_retryable_statuses_are_retried(
    site: LoopbackSite, tmp_path: Path, fetch_one: Fetch, status: int
) -> None:
    settings = make_settings(tmp_path, retries=2)
    site.routes.update({"/x": _flaky(2, status)})
    assert fetch_one(settings, site.url("/x")).body == b"done"
    assert site.hits["/x"] == 3


def test_retries_give_up_with_a_retryable_error(
    site: LoopbackSite, tmp_path: Path, fetch_one: Fetch
) -> None:
    settings = make_settings(tmp_path, retries=1)
    site.routes.update({"/x": Route(b"down", status=503)})
    with pytest.raises(FetchError) as caught:
        fetch_one(settings, site.url("/x"))
    assert site.hits["/x"] == 2
    assert caught.value.status == 503
    assert caught.value.retryable
    assert "503" in str(caught.value)


@pytest.mark.parametrize("status", [400, 403, 404, 410, 412])
def test_client_errors_are_not_retried(
    site: LoopbackSite, tmp_path: Path, fetch_one: Fetch, status: int
) -> None:
    settings = make_settings(tmp_path, retries=3)
    site.routes.update({"/x": Route(b"no", status=status)})
    with pytest.raises(FetchError) as caught:
        fetch_one(settings, site.url("/x"))
    assert site.hits["/x"] == 1
    assert caught.value.status == status
    assert not caught.value.retryable
    assert caught.value.hint


def test_retry_after_is_honoured(site: LoopbackSite, tmp_path: Path, fetch_one: Fetch) -> None:
    settings = make_settings(tmp_path, retries=1)
    site.routes.update({"/x": _flaky(1, 429, {"Retry-After": "1"})})
    started = time.monotonic()
    assert fetch_one(settings, site.url("/x")).body == b"done"
    assert time.monotonic() - started >= 1.0


def test_too_long_retry_after_is_not_waited_for(
    site: LoopbackSite, tmp_path: Path, fetch_one: Fetch
) -> None:
    settings = make_settings(tmp_path, retries=3)
    site.routes.update({"/x": Route(b"later", status=429, headers={"Retry-After": "3600"})})
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch_one(settings, site.url("/x"))
    assert time.monotonic() - started < 2
    assert site.hits["/x"] == 1
    assert caught.value.retryable and caught.value.status == 429


def test_parse_retry_after() -> None:
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0


def test_connection_refused_is_retryable(tmp_path: Path, fetch_one: Fetch) -> None:
    settings = make_settings(tmp_path, retries=1)
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    with pytest.raises(FetchError) as caught:
        fetch_one(settings, f"http://127.0.0.1:{port}/")
    assert caught.value.retryable
    assert "连接" in caught.value.message


def test_redirects_are_followed(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    routes = {
        "/old": Route(status=301, headers={"Location": "/mid"}),
        "/mid": Route(status=302, headers={"Location": "/new?x=1"}),
        "/new": Route(b"arrived"),
    }
    site.routes.update(routes)
    page = fetch_one(settings, site.url("/old"))
    assert page.body == b"arrived"
    assert page.url == site.url("/old")
    assert page.final_url == site.url("/new?x=1")


def test_redirect_loop_is_refused(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    routes = {
        "/a": Route(status=302, headers={"Location": "/b"}),
        "/b": Route(status=302, headers={"Location": "/a"}),
    }
    site.routes.update(routes)
    with pytest.raises(FetchError, match="循环") as caught:
        fetch_one(settings, site.url("/a"))
    assert site.hits["/a"] == 2 and site.hits["/b"] == 2
    assert not caught.value.retryable


def test_cookie_set_and_redirect_to_itself(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    """The guard of many government sites: set a cookie, redirect to the same URL."""

    def guarded(request: BaseHTTPRequestHandler) -> Route:
        if "visited=1" in (request.headers.get("Cookie") or ""):
            return Route("正文".encode())
        return Route(
            status=302, headers={"Location": "/guarded", "Set-Cookie": "visited=1; Path=/"}
        )

    site.routes["/guarded"] = guarded
    assert fetch_one(settings, site.url("/guarded")).body == "正文".encode()
    assert site.hits["/guarded"] == 2


def test_too_many_redirects(site: LoopbackSite, tmp_path: Path, fetch_one: Fetch) -> None:
    settings = make_settings(tmp_path, max_redirects=3)
    routes = {f"/r{i}": Route(status=302, headers={"Location": f"/r{i + 1}"}) for i in range(10)}
    site.routes.update(routes)
    with pytest.raises(FetchError, match="3"):
        fetch_one(settings, site.url("/r0"))
    assert sum(n for path, n in site.hits.items() if path[2:].isdigit()) == 4


def test_redirect_without_location(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    site.routes.update({"/a": Route(status=302)})
    with pytest.raises(FetchError):
        fetch_one(settings, site.url("/a"))


def test_body_is_cut_off_at_the_cap(site: LoopbackSite, tmp_path: Path, fetch_one: Fetch) -> None:
    settings = make_settings(tmp_path, max_body_bytes=100_000)
    site.routes.update({"/big": Route(b"x" * 1_000_000), "/fits": Route(b"y" * 100_000)})
    page = fetch_one(settings, site.url("/big"))
    assert len(page.body) == 100_000
    assert page.headers[TRUNCATED_HEADER] == "1"
    whole = fetch_one(settings, site.url("/fits"))
    assert len(whole.body) == 100_000
    assert TRUNCATED_HEADER not in whole.headers


def _concurrency_probe(delay: float):
    state = {"now": 0, "peak": 0}
    lock = threading.Lock()

    def handler(request: BaseHTTPRequestHandler) -> Route:
        with lock:
            state["now"] += 1
            state["peak"] = max(state["peak"], state["now"])
        time.sleep(delay)
        with lock:
            state["now"] -= 1
        return Route(b"ok")

    return handler, state


def _fetch_all(settings: Settings, urls: list[str]) -> list[FetchedPage]:
    async def go() -> list[FetchedPage]:
        async with Fetcher(settings) as fetcher:
            return list(await asyncio.gather(*(fetcher.fetch(u) for u in urls)))

    return asyncio.run(go())


def test_per_host_concurrency_limit(site: LoopbackSite, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, per_host_concurrency=2, total_concurrency=10)
    handler, state = _concurrency_probe(0.1)
    site.routes.update({"/p": handler})
    _fetch_all(settings, [site.url(f"/p?{i}") for i in range(8)])
    assert state["peak"] == 2


def test_total_concurrency_limit_across_hosts(tmp_path: Path, sites: list[LoopbackSite]) -> None:
    settings = make_settings(tmp_path, per_host_concurrency=4, total_concurrency=3)
    handler, state = _concurrency_probe(0.1)
    for s in sites:
        s.routes["/p"] = handler
    _fetch_all(settings, [s.url(f"/p?{i}") for s in sites[:3] for i in range(4)])
    assert state["peak"] == 3


def test_hosts_are_fetched_in_parallel(tmp_path: Path, sites: list[LoopbackSite]) -> None:
    settings = make_settings(tmp_path, per_host_concurrency=1, total_concurrency=10)
    for s in sites:
        s.routes["/p"] = Route(b"ok", delay=0.3)
    started = time.monotonic()
    _fetch_all(settings, [s.url("/p") for s in sites])
    assert time.monotonic() - started < 0.9


def test_per_host_delay_spaces_requests(site: LoopbackSite, tmp_path: Path) -> None:
    settings = make_settings(tmp_path, per_host_delay=0.2, per_host_concurrency=4)
    stamps: list[float] = []

    def handler(request: BaseHTTPRequestHandler) -> Route:
        stamps.append(time.monotonic())
        return Route(b"ok")

    site.routes.update({"/p": handler})
    _fetch_all(settings, [site.url(f"/p?{i}") for i in range(4)])
    stamps.sort()
    gaps = [b - a for a, b in itertools.pairwise(stamps)]
    assert min(gaps) >= 0.15


def test_fetch_outside_context_is_a_clear_error(settings: Settings) -> None:
    with pytest.raises(FetchError, match="async with"):
        asyncio.run(Fetcher(settings).fetch("http://127.0.0.1/"))


def test_invalid_url(settings: Settings, fetch_one: Fetch) -> None:
    with pytest.raises(FetchError):
        fetch_one(settings, "http:///nohost")
