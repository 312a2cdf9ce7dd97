"""Helpers for tests, benchmarks and the demo: a real loopback HTTP site and settings.

``LoopbackSite`` serves a dict of routes from a real HTTP server on 127.0.0.1 in a
background thread, so collection is always exercised over real sockets. It also counts
requests per path and answers conditional GETs, which tests of politeness need.
"""

from __future__ import annotations

import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from jianbao.config import Settings


@dataclass
class Route:
    """What the site answers for one path."""

    body: bytes = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    #: seconds to wait before answering
    delay: float = 0.0
    #: when set, the response carries this ETag and answers 304 to If-None-Match
    etag: str | None = None


Handler = Callable[[BaseHTTPRequestHandler], Route]


class _QuietServer(ThreadingHTTPServer):
    """A threading server that says nothing when a client goes away mid-connection.

    A fetcher closes idle keep-alive connections whenever it likes; the handler thread
    waiting for the next request then reads a reset socket, and socketserver's default
    ``handle_error`` printed that ConnectionResetError's traceback in the middle of
    ``jianbao demo``'s output although nothing had failed. Other errors still print.
    """

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)


class LoopbackSite:
    """A real HTTP server on 127.0.0.1 serving ``routes`` (path → Route or callable).

    Use as a context manager; ``url(path)`` gives the absolute URL of a path. ``host``
    binds another loopback address (127.0.0.2 …): a second "site" the SSRF tests can
    leave out of the allowlist.
    """

    def __init__(
        self,
        routes: dict[str, Route | Handler] | None = None,
        port: int = 0,
        host: str = "127.0.0.1",
    ):
        self.routes: dict[str, Route | Handler] = dict(routes or {})
        self.hits: Counter[str] = Counter()
        self._lock = threading.Lock()
        site = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:  # quiet
                return

            def do_HEAD(self) -> None:
                self._answer(head=True)

            def do_GET(self) -> None:
                self._answer(head=False)

            def _answer(self, head: bool) -> None:
                with site._lock:
                    site.hits[self.path] += 1
                entry = site.routes.get(self.path)
                if entry is None:
                    entry = site.routes.get(self.path.split("?", 1)[0])
                if entry is None:
                    route = Route(b"<html><body>404 not found</body></html>", status=404)
                elif isinstance(entry, Route):
                    route = entry
                else:
                    route = entry(self)
                if route.delay:
                    time.sleep(route.delay)
                if route.etag and self.headers.get("If-None-Match") == route.etag:
                    self.send_response(304)
                    self.send_header("ETag", route.etag)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(route.status)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(route.body)))
                if route.etag:
                    self.send_header("ETag", route.etag)
                for key, value in route.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if not head:
                    self.wfile.write(route.body)

        self.host = host
        self._server = _QuietServer((host, port), _Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str) -> str:
        return self.base_url + path

    def start(self) -> LoopbackSite:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> LoopbackSite:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    """Settings for a test: a private data folder, loopback allowed, no politeness delay."""
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "ssrf_allowlist": ["127.0.0.0/8"],
        "per_host_delay": 0.0,
        "retries": 1,
        "fetch_timeout": 5.0,
    }
    values.update(overrides)
    return Settings(**values)


def within_seconds(limit: float, function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)`` run in a forked child that is killed after ``limit`` seconds.

    A parser stuck in catastrophic regex backtracking holds the GIL and ignores signals,
    so a test cannot time it out in-process; the child can be killed, and the test then
    fails instead of hanging. Returns the function's result (it must pickle); an
    exception raised in the child is raised again here as ``ChildRaised`` carrying its
    type name and message.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)

    def run() -> None:
        try:
            outcome: tuple[str, Any] = ("ok", function(*args))
        except BaseException as exc:  # reported to the parent, whatever it is
            outcome = ("raised", (type(exc).__name__, str(exc)))
        try:
            send.send(outcome)
        except Exception as exc:  # an unpicklable result
            send.send(("raised", ("PicklingError", str(exc))))

    child = context.Process(target=run, daemon=True)
    started = time.perf_counter()
    child.start()
    send.close()
    try:
        if not receive.poll(limit):
            raise AssertionError(f"{function.__name__} took more than {limit} s")
        status, value = receive.recv()
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receive.close()
    elapsed = time.perf_counter() - started
    if status == "raised":
        raise ChildRaised(value[0], value[1], elapsed)
    return value


class ChildRaised(Exception):
    """An exception raised by the function ``within_seconds`` ran (by type name)."""

    def __init__(self, kind: str, message: str, elapsed: float) -> None:
        super().__init__(f"{kind}: {message}")
        self.kind = kind
        self.message = message
        self.elapsed = elapsed
