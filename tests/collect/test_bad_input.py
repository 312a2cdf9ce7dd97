"""Bad input, each served by a real loopback server: nothing may hang, crash or leak.

Every case goes through the real fetcher and then the source's reader, the way a
collection cycle meets it; the outcome must be links or a clear FetchError/ParseError.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from jianbao.collect.discover import discover_links
from jianbao.collect.fetcher import TRUNCATED_HEADER
from jianbao.config import Settings
from jianbao.errors import FetchError, ParseError
from jianbao.records import SHANGHAI, FetchedPage, SourceSpec
from jianbao.testing import LoopbackSite, Route, make_settings

Fetch = Callable[..., FetchedPage]
Serve = Callable[[socket.socket], None]

RSS_HEAD = '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>来源</title>'


def _feed(site: LoopbackSite, settings: Settings, fetch_one: Fetch, body: bytes, **route: object):
    site.routes["/feed"] = Route(
        body, content_type=str(route.get("content_type", "application/rss+xml"))
    )
    page = fetch_one(settings, site.url("/feed"))
    return discover_links(SourceSpec(name="s", url=site.url("/feed")), page)


def test_truncated_feed(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    whole = (
        RSS_HEAD
        + "".join(f"<item><title>第{i}条</title><link>/a/{i}.html</link></item>" for i in range(5))
        + "</channel></rss>"
    ).encode()
    links = _feed(
        site,
        settings,
        fetch_one,
        whole[: whole.index(b"<item><title>\xe7\xac\xac3")] + b"<item><ti",
    )
    assert [link.title for link in links] == ["第0条", "第1条", "第2条"]


def test_malformed_feed(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    body = (
        RSS_HEAD + "<item><title>未转义 & 符号 <b>未闭合</title><link>/a/1.html</link></item>"
        "<item><title>第二条</title><link>/a/2.html</link>"
        "</channel>"
    ).encode()
    links = _feed(site, settings, fetch_one, body)
    assert site.url("/a/1.html") in [link.url for link in links]


def test_html_served_as_feed(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    body = b"<!DOCTYPE html><html><head><title>Home</title></head><body><a href='/a'>a</a></body></html>"
    with pytest.raises(ParseError, match="HTML"):
        _feed(site, settings, fetch_one, body, content_type="application/rss+xml")


def test_feed_that_is_a_404_page(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    page = "<html><head><title>404</title></head><body>您访问的页面不存在</body></html>".encode()
    with pytest.raises(ParseError):
        _feed(site, settings, fetch_one, page, content_type="text/html")
    site.routes["/gone"] = Route(page, status=404)
    with pytest.raises(FetchError) as caught:
        fetch_one(settings, site.url("/gone"))
    assert caught.value.status == 404 and not caught.value.retryable


def test_duplicate_guids(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    body = (
        RSS_HEAD
        + "<item><title>a</title><link>/a/1.html</link><guid>same</guid></item>" * 3
        + "<item><title>b</title><link>/a/2.html</link><guid>same</guid></item>"
        + "</channel></rss>"
    ).encode()
    assert [link.url for link in _feed(site, settings, fetch_one, body)] == [site.url("/a/1.html")]


def test_items_without_links_or_dates(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    body = (
        RSS_HEAD + "<item><title>无链接</title><description>只有摘要</description></item>"
        "<item><title>无日期</title><link>/a/1.html</link></item></channel></rss>"
    ).encode()
    links = _feed(site, settings, fetch_one, body)
    assert [(link.title, link.published_at) for link in links] == [("无日期", None)]


def test_zoneless_and_future_dates(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    future = (datetime.now(SHANGHAI) + timedelta(days=400)).strftime("%Y-%m-%d %H:%M")
    body = (
        RSS_HEAD + "<item><link>/a/1.html</link><pubDate>2023-10-16 08:00</pubDate></item>"
        f"<item><link>/a/2.html</link><pubDate>{future}</pubDate></item></channel></rss>"
    ).encode()
    first, second = _feed(site, settings, fetch_one, body)
    assert first.published_at == datetime(2023, 10, 16, 8, 0, tzinfo=SHANGHAI)
    assert second.published_at is None


def test_feed_with_wrong_charset_label(
    site: LoopbackSite, settings: Settings, fetch_one: Fetch
) -> None:
    body = (
        RSS_HEAD + "<item><title>远程医疗服务</title><link>/a/1.html</link></item></channel></rss>"
    ).encode("gb18030")
    links = _feed(
        site, settings, fetch_one, body, content_type="application/rss+xml; charset=utf-8"
    )
    assert links[0].title == "远程医疗服务"


def test_redirect_loop(site: LoopbackSite, settings: Settings, fetch_one: Fetch) -> None:
    site.routes["/feed"] = Route(status=302, headers={"Location": "/feed?again"})
    site.routes["/feed?again"] = Route(status=302, headers={"Location": "/feed"})
    with pytest.raises(FetchError, match="循环"):
        fetch_one(settings, site.url("/feed"))


def _trickle(sock: socket.socket) -> None:
    """Headers at once, then one byte every 0.2 s, forever (until the client leaves)."""
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100000\r\n\r\n")
    for _ in range(200):
        sock.sendall(b"x")
        time.sleep(0.2)


def _silent(sock: socket.socket) -> None:
    time.sleep(5)


def _endless(sock: socket.socket) -> None:
    sock.sendall(
        b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\n\r\n"
    )
    chunk = b"<p>" + b"x" * 65536 + b"</p>"
    frame = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
    for _ in range(10_000):
        sock.sendall(frame)


def _hang_up(sock: socket.socket) -> None:
    sock.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\nonly a little")


def _garbage(sock: socket.socket) -> None:
    sock.sendall(b"\x00\x01NOT HTTP AT ALL\r\n\r\n")


@pytest.mark.parametrize("serve", [_trickle, _silent], ids=["trickle", "silent"])
def test_slow_servers_are_cut_off(
    tmp_path: Path, fetch_one: Fetch, raw_server: Callable[[Serve], object], serve: Serve
) -> None:
    settings = make_settings(tmp_path, fetch_timeout=0.8, retries=0)
    server = raw_server(serve)
    started = time.monotonic()
    with pytest.raises(FetchError, match="超时") as caught:
        fetch_one(settings, server.url("/"))  # type: ignore[attr-defined]
    assert time.monotonic() - started < 2.5
    assert caught.value.retryable


def test_endless_body_is_capped(
    tmp_path: Path, fetch_one: Fetch, raw_server: Callable[[Serve], object]
) -> None:
    settings = make_settings(tmp_path, max_body_bytes=2_000_000, retries=0)
    server = raw_server(_endless)
    started = time.monotonic()
    page = fetch_one(settings, server.url("/"))  # type: ignore[attr-defined]
    assert len(page.body) == 2_000_000
    assert page.headers[TRUNCATED_HEADER] == "1"
    assert time.monotonic() - started < 3


def test_gzip_bomb_is_capped(site: LoopbackSite, tmp_path: Path, fetch_one: Fetch) -> None:
    import gzip

    settings = make_settings(tmp_path, max_body_bytes=1_000_000)
    site.routes["/bomb"] = Route(
        gzip.compress(b"\0" * 50_000_000), headers={"Content-Encoding": "gzip"}
    )
    page = fetch_one(settings, site.url("/bomb"))
    assert len(page.body) == 1_000_000


@pytest.mark.parametrize("serve", [_hang_up, _garbage], ids=["hang-up", "garbage"])
def test_broken_responses_are_fetch_errors(
    tmp_path: Path, fetch_one: Fetch, raw_server: Callable[[Serve], object], serve: Serve
) -> None:
    settings = make_settings(tmp_path, retries=1)
    server = raw_server(serve)
    with pytest.raises(FetchError):
        fetch_one(settings, server.url("/"))  # type: ignore[attr-defined]
