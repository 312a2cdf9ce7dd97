"""The loopback HTTP server the platform fakes (fakes.py) are built on: a real server on
127.0.0.1 in a thread, a clock the test can move, and controls to fail or delay the
n-th request."""

from __future__ import annotations

import itertools
import json
import threading
import time
from collections import deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


class FakeClock:
    """The fake platform's clock: wall time, unless frozen (``start``) or moved."""

    def __init__(self, start: float | None = None):
        self._frozen = start
        self._offset = 0.0

    def __call__(self) -> float:
        base = self._frozen if self._frozen is not None else time.time()
        return base + self._offset

    def advance(self, seconds: float) -> None:
        self._offset += seconds

    async def sleep(self, seconds: float) -> None:
        """A sleep to inject (pacer, sender) that moves the clock instead of waiting."""
        self.advance(seconds)


@dataclass
class Received:
    """One request as the fake saw it, and what it answered."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    status: int = 200
    answer: Any = None

    @property
    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except ValueError:
            return None


@dataclass
class Window:
    count: int
    seconds: float
    times: deque[float] = field(default_factory=deque)

    def full(self, now: float) -> bool:
        while self.times and self.times[0] <= now - self.seconds:
            self.times.popleft()
        return len(self.times) >= self.count


def utf8_len(text: str) -> int:
    return len(text.encode("utf-8"))


def strings(value: Any) -> Iterable[str]:
    """Every string inside a JSON value (where a keyword may appear)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)


class FakeServer:
    """A real HTTP server on 127.0.0.1 in a thread; subclasses answer in ``handle``."""

    #: the answer of a failed request (``fail_nth`` without an answer)
    busy: tuple[int, Any] = (200, {"errcode": -1, "errmsg": "system busy"})

    def __init__(self, *, clock: FakeClock | None = None):
        self.clock = clock or FakeClock()
        self.requests: list[Received] = []
        self.accepted: list[Any] = []
        self._failing: dict[int, tuple[int, Any, dict[str, str]]] = {}
        self._delays: dict[int, float] = {}
        self._counter = itertools.count(1)
        self._lock = threading.Lock()
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- the test's controls ------------------------------------------------------------

    def fail_nth(
        self,
        n: int,
        status: int | None = None,
        answer: Any = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        """The ``n``-th request (counting from 1) is answered with a failure: the
        platform's "system busy" unless ``status``/``answer``/``headers`` say otherwise."""
        default_status, default_answer = self.busy
        self._failing[n] = (
            status if status is not None else default_status,
            answer if answer is not None else default_answer,
            dict(headers or {}),
        )

    def delay_nth(self, n: int, seconds: float) -> None:
        """The ``n``-th request waits ``seconds`` (real time) before it is handled."""
        self._delays[n] = seconds

    @property
    def port(self) -> int:
        assert self._server is not None, "start() the fake first"
        return self._server.server_address[1]

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        return self.base + "/"

    def start(self) -> FakeServer:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                parts = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(parts.query).items()}
                received = Received(
                    "POST", parts.path, query, {k: v for k, v in self.headers.items()}, body
                )
                status, answer, headers = fake._dispatch(received)
                received.status, received.answer = status, answer
                data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                for name, value in headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> FakeServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # -- handling -----------------------------------------------------------------------

    def _dispatch(self, received: Received) -> tuple[int, Any, dict[str, str]]:
        n = next(self._counter)
        if n in self._delays:
            time.sleep(self._delays[n])
        with self._lock:
            self.requests.append(received)
            if n in self._failing:
                return self._failing[n]
            status, answer, accepted = self.handle(received)
            if accepted is not None:
                self.accepted.append(accepted)
            return status, answer, {}

    def handle(self, received: Received) -> tuple[int, Any, Any]:
        """(HTTP status, JSON answer, the accepted body or None)."""
        raise NotImplementedError
