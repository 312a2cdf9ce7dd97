"""A forward proxy on loopback that holds headless Chromium to the SSRF guard.

Guarding the browser from inside (Playwright's request routing) sees only the first URL of
a redirect chain, never a WebSocket, and leaves the browser to resolve the name again
after the check. So Chromium is started with this proxy as its only way out
(``--proxy-server``, loopback not bypassed): every connection it makes — each redirect
hop, image, script, fetch, iframe, WebSocket (always tunnelled with CONNECT) — is asked of
the proxy, which judges the target like the fetcher does and connects itself to the
address it checked. A host's first answer is pinned for the proxy's life, so a DNS answer
that changes afterwards (rebinding) is never asked for.

Plain ``http://`` requests come in absolute form and are forwarded one per connection
(``Connection: close`` both ways, so a reused connection can never carry a request for
another host); ``https://`` and WebSockets come as ``CONNECT host:port`` and are tunnelled
after the check. A refused target gets ``403`` with ``X-Jianbao-Refused`` (plain HTTP) or
a refused tunnel, and is recorded in ``refused``.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
from collections.abc import Iterable

from aiohttp.abc import AbstractResolver
from yarl import URL

from jianbao.collect.ssrf import (
    BlockedAddress,
    GuardedResolver,
    IPNetwork,
    address_allowed,
    host_address,
)

#: header on the proxy's own refusal, so the browser fetcher can tell it from the site's
REFUSED_HEADER = "X-Jianbao-Refused"
#: a request head larger than this is not a browser's
MAX_HEAD = 64 * 1024
#: dropped when forwarding: they describe the hop to the proxy, not the request
_HOP_HEADERS = frozenset(
    {b"connection", b"proxy-connection", b"keep-alive", b"proxy-authorization", b"te"}
)


class ProxyRefusal(Exception):
    """A target the proxy will not connect to (why, in the message)."""

    def __init__(self, host: str, address: str):
        super().__init__(f"{host} → {address}")
        self.host = host
        self.address = address


class GuardedProxy:
    """The proxy; ``async with GuardedProxy(allowlist) as proxy`` gives ``proxy.url``.

    ``resolver`` answers names (the system's by default); ``connect_timeout`` bounds each
    upstream connection and ``idle_timeout`` a request head or a silent tunnel.
    """

    def __init__(
        self,
        allowlist: Iterable[IPNetwork],
        *,
        resolver: AbstractResolver | None = None,
        connect_timeout: float = 10.0,
        idle_timeout: float = 60.0,
    ):
        self._allowlist = list(allowlist)
        self._resolver = GuardedResolver(self._allowlist, resolver)
        self._pinned: dict[str, list[str]] = {}
        self._connect_timeout = connect_timeout
        self._idle_timeout = idle_timeout
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        #: what was refused, in order: (host as asked, the forbidden address)
        self.refused: list[tuple[str, str]] = []

    @property
    def url(self) -> str:
        assert self._server is not None, "proxy not started"
        port = self._server.sockets[0].getsockname()[1]
        return f"http://127.0.0.1:{port}"

    async def __aenter__(self) -> GuardedProxy:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, limit=MAX_HEAD)
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.close()
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
            await self._server.wait_closed()
            self._server = None
        await self._resolver.close()

    # -- the guard ----------------------------------------------------------------------

    async def addresses(self, host: str, port: int) -> list[str]:
        """The addresses the proxy may connect to for ``host`` (judged, then pinned).
        Raises ProxyRefusal for a forbidden target."""
        literal = host_address(host)
        if literal is not None:
            if not address_allowed(literal, self._allowlist):
                raise ProxyRefusal(host, str(literal))
            return [str(literal)]
        pinned = self._pinned.get(host)
        if pinned is None:
            try:
                answers = await self._resolver.resolve(host, port, socket.AF_UNSPEC)
            except BlockedAddress as exc:
                raise ProxyRefusal(host, exc.address) from exc
            pinned = self._pinned.setdefault(host, [a["host"] for a in answers])
        return pinned

    async def _open(
        self, host: str, port: int
    ) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        last: OSError | None = None
        for address in await self.addresses(host, port):
            # the socket itself is checked once more, on the address it is opened for
            if not address_allowed(address.split("%", 1)[0], self._allowlist):
                raise ProxyRefusal(host, address)
            try:
                async with asyncio.timeout(self._connect_timeout):
                    return await asyncio.open_connection(address, port)
            except (OSError, TimeoutError) as exc:
                last = exc if isinstance(exc, OSError) else OSError(str(exc) or "timeout")
        raise last or OSError(f"no address for {host}")

    # -- serving ------------------------------------------------------------------------

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._tasks.add(task)
        try:
            async with asyncio.timeout(self._idle_timeout):
                head = await reader.readuntil(b"\r\n\r\n")
            await self._answer(head, reader, writer)
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, TimeoutError):
            pass
        except (ConnectionError, OSError):
            pass
        finally:
            self._tasks.discard(task)
            writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await writer.wait_closed()

    async def _answer(
        self, head: bytes, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        lines = head.split(b"\r\n")
        parts = lines[0].split(b" ")
        if len(parts) != 3:
            await _reply(writer, 400, "Bad Request")
            return
        method, target, version = parts
        try:
            if method.upper() == b"CONNECT":
                url = URL(f"http://{target.decode('ascii')}/")
            else:
                url = URL(target.decode("ascii"))
                if url.scheme != "http":
                    raise ValueError(url.scheme)
            host, port = url.raw_host, url.port
            if not host or port is None:
                raise ValueError(target)
        except (UnicodeError, ValueError):
            await _reply(writer, 400, "Bad Request")
            return
        try:
            up_reader, up_writer = await self._open(host, port)
        except ProxyRefusal as refusal:
            self.refused.append((refusal.host, refusal.address))
            await _reply(writer, 403, "Forbidden", refused=True)
            return
        except OSError:
            await _reply(writer, 502, "Bad Gateway")
            return
        try:
            if method.upper() == b"CONNECT":
                writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
                await writer.drain()
            else:
                up_writer.write(_origin_form(method, url, version, lines[1:]))
                await up_writer.drain()
            await self._pipe(reader, writer, up_reader, up_writer, plain=method != b"CONNECT")
        finally:
            up_writer.close()
            with contextlib.suppress(ConnectionError, OSError):
                await up_writer.wait_closed()

    async def _pipe(
        self,
        reader: asyncio.StreamReader,
        writer: asyncio.StreamWriter,
        up_reader: asyncio.StreamReader,
        up_writer: asyncio.StreamWriter,
        *,
        plain: bool,
    ) -> None:
        """Copy both ways until the upstream ends (a plain response's head is rewritten
        to close the connection after it)."""
        upload = asyncio.ensure_future(self._copy(reader, up_writer))
        try:
            if plain:
                async with asyncio.timeout(self._idle_timeout):
                    response_head = await up_reader.readuntil(b"\r\n\r\n")
                writer.write(_closing(response_head))
            await self._copy(up_reader, writer)
        finally:
            upload.cancel()
            with contextlib.suppress(asyncio.CancelledError, ConnectionError, OSError):
                await upload

    async def _copy(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter) -> None:
        while True:
            async with asyncio.timeout(self._idle_timeout):
                chunk = await source.read(64 * 1024)
            if not chunk:
                if sink.can_write_eof():
                    with contextlib.suppress(OSError):
                        sink.write_eof()
                return
            sink.write(chunk)
            await sink.drain()


def _origin_form(method: bytes, url: URL, version: bytes, headers: list[bytes]) -> bytes:
    """The request as the origin server expects it: path only, hop headers dropped, and
    ``Connection: close`` so the upstream connection serves this one request."""
    path = url.raw_path_qs.encode("ascii") or b"/"
    kept = [
        line
        for line in headers
        if line and line.split(b":", 1)[0].strip().lower() not in _HOP_HEADERS
    ]
    return b"\r\n".join([method + b" " + path + b" " + version, *kept, b"Connection: close"]) + (
        b"\r\n\r\n"
    )


def _closing(head: bytes) -> bytes:
    """A response head that tells the browser this connection ends with the response."""
    lines = [
        line
        for line in head.split(b"\r\n")
        if line and line.split(b":", 1)[0].strip().lower() not in _HOP_HEADERS
    ]
    return b"\r\n".join([*lines, b"Connection: close", b"Proxy-Connection: close"]) + b"\r\n\r\n"


async def _reply(
    writer: asyncio.StreamWriter, status: int, reason: str, *, refused: bool = False
) -> None:
    body = f"jianbao proxy: {status} {reason}\n".encode()
    extra = f"{REFUSED_HEADER}: 1\r\n" if refused else ""
    writer.write(
        f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\n{extra}"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
        + body
    )
    with contextlib.suppress(ConnectionError, OSError):
        await writer.drain()
