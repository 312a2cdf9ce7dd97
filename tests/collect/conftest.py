"""Fixtures for the collect stage: loopback sites, raw socket servers and a runner.

``RawServer`` is for misbehaviour the friendly LoopbackSite cannot produce: a server that
trickles bytes, one whose body never ends, one that hangs up mid-response.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from jianbao.collect.fetcher import Fetcher
from jianbao.config import Settings
from jianbao.records import FetchedPage
from jianbao.testing import LoopbackSite, make_settings


def _fetch_one(settings: Settings, url: str, **kwargs: Any) -> FetchedPage:
    """Open a Fetcher, fetch one URL, close it."""

    async def go() -> FetchedPage:
        async with Fetcher(settings, backoff_base=0.05) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return asyncio.run(go())


@pytest.fixture
def fetch_one() -> Callable[..., FetchedPage]:
    """``fetch_one(settings, url, etag=…)``: one fetch through a fresh Fetcher."""
    return _fetch_one


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


class RawServer:
    """A TCP server on 127.0.0.1 whose every connection is handed to ``serve(sock)``."""

    def __init__(self, serve: Callable[[socket.socket], None]):
        self._serve = serve
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(16)
        self._stop = threading.Event()
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()

    def url(self, path: str = "/") -> str:
        return f"http://127.0.0.1:{self._listener.getsockname()[1]}{path}"

    def _accept(self) -> None:
        self._listener.settimeout(0.1)
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            conn.settimeout(5)
            conn.recv(65536)
            self._serve(conn)
        except OSError:
            pass
        finally:
            conn.close()

    def __enter__(self) -> RawServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._listener.close()


@pytest.fixture
def raw_server() -> Iterator[Callable[[Callable[[socket.socket], None]], RawServer]]:
    servers: list[RawServer] = []

    def start(serve: Callable[[socket.socket], None]) -> RawServer:
        server = RawServer(serve).__enter__()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.__exit__()


@pytest.fixture(scope="session")
def _site_pool() -> Iterator[list[LoopbackSite]]:
    """Four loopback sites shared by the whole session: LoopbackSite.stop() waits for the
    server's 0.5 s poll, so starting one per test would cost half a second each."""
    pool = [LoopbackSite().start() for _ in range(4)]
    yield pool
    for site in pool:
        site.stop()


def _reset(site: LoopbackSite) -> LoopbackSite:
    site.routes.clear()
    site.hits.clear()
    return site


@pytest.fixture
def site(_site_pool: list[LoopbackSite]) -> LoopbackSite:
    """A running loopback site with no routes; set ``site.routes[path] = Route(...)``."""
    return _reset(_site_pool[0])


@pytest.fixture
def sites(_site_pool: list[LoopbackSite]) -> list[LoopbackSite]:
    """Four running loopback sites (four hosts, as far as politeness is concerned)."""
    return [_reset(s) for s in _site_pool]
