"""The guarded proxy Chromium goes through, driven by a plain HTTP client over loopback.

127.0.0.1 is allowlisted (the "public" site), 127.0.0.2 is not (the forbidden one).
``Answers`` stands in for DNS: it answers a name from a script, one answer per question,
so a rebinding attack (a safe answer, then a forbidden one) can be played out.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from jianbao.collect.guarded_proxy import REFUSED_HEADER, GuardedProxy
from jianbao.collect.ssrf import parse_allowlist
from jianbao.testing import LoopbackSite, Route

ALLOW = parse_allowlist(["127.0.0.1/32"])


class Answers(AbstractResolver):
    """A DNS stand-in answering each question with the next scripted address."""

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.questions: list[str] = []

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        self.questions.append(host)
        address = self.answers[min(len(self.questions), len(self.answers)) - 1]
        return [
            ResolveResult(
                hostname=host, host=address, port=port, family=socket.AF_INET, proto=0, flags=0
            )
        ]

    async def close(self) -> None:
        return None


@pytest.fixture
def forbidden() -> Iterator[LoopbackSite]:
    with LoopbackSite({"/secret": Route(b"internal secret")}, host="127.0.0.2") as site:
        yield site


@pytest.fixture
def public() -> Iterator[LoopbackSite]:
    with LoopbackSite({"/page": Route("某省卫健委".encode())}) as site:
        yield site


async def _through(proxy: GuardedProxy, url: str) -> tuple[int, dict[str, str], bytes]:
    async with (
        aiohttp.ClientSession() as session,
        session.get(url, proxy=proxy.url) as response,
    ):
        return response.status, dict(response.headers), await response.read()


def test_plain_http_is_forwarded_to_an_allowed_address(public: LoopbackSite) -> None:
    async def go() -> tuple[int, dict[str, str], bytes]:
        async with GuardedProxy(ALLOW) as proxy:
            return await _through(proxy, public.url("/page"))

    status, headers, body = asyncio.run(go())
    assert (status, body.decode()) == (200, "某省卫健委")
    assert headers["Connection"] == "close"
    assert public.hits["/page"] == 1


@pytest.mark.parametrize(
    "spelling", ["127.0.0.2", "2130706434", "0x7f.2", "[::ffff:127.0.0.2]", "[2002:7f00:2::1]"]
)
def test_a_forbidden_target_is_refused_and_recorded(spelling: str, forbidden: LoopbackSite) -> None:
    async def go() -> tuple[int, dict[str, str], list[tuple[str, str]]]:
        async with GuardedProxy(ALLOW) as proxy:
            status, headers, _ = await _through(proxy, f"http://{spelling}:{forbidden.port}/secret")
            return status, headers, proxy.refused

    status, headers, refused = asyncio.run(go())
    assert status == 403 and headers[REFUSED_HEADER] == "1"
    assert len(refused) == 1
    assert sum(forbidden.hits.values()) == 0


def _connect(proxy_port: int, target: str) -> bytes:
    with socket.create_connection(("127.0.0.1", proxy_port), timeout=5) as conn:
        conn.sendall(f"CONNECT {target} HTTP/1.1\r\nHost: {target}\r\n\r\n".encode())
        answer = conn.recv(4096)
        if answer.startswith(b"HTTP/1.1 200"):
            conn.sendall(b"GET /secret HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            while chunk := conn.recv(4096):
                answer += chunk
        return answer


def test_a_tunnel_to_a_forbidden_address_is_refused(
    forbidden: LoopbackSite, public: LoopbackSite
) -> None:
    """https:// and WebSockets come as CONNECT: judged before any byte reaches the target."""

    async def go() -> tuple[bytes, bytes]:
        async with GuardedProxy(ALLOW) as proxy:
            port = int(proxy.url.rsplit(":", 1)[1])
            loop = asyncio.get_running_loop()
            refused = await loop.run_in_executor(
                None, _connect, port, f"127.0.0.2:{forbidden.port}"
            )
            allowed = await loop.run_in_executor(None, _connect, port, f"127.0.0.1:{public.port}")
            return refused, allowed

    refused, allowed = asyncio.run(go())
    assert refused.startswith(b"HTTP/1.1 403")
    assert sum(forbidden.hits.values()) == 0
    assert allowed.startswith(b"HTTP/1.1 200 Connection established")
    assert public.hits["/secret"] == 1


def test_dns_rebinding_finds_the_first_answer_pinned(public: LoopbackSite) -> None:
    """A name that answered an allowed address keeps it: the rebound (forbidden) answer
    is never even asked for, so there is no window between check and connect."""
    public.routes["/"] = Route(b"public page")
    answers = Answers("127.0.0.1", "127.0.0.2")

    async def go() -> list[int]:
        async with GuardedProxy(ALLOW, resolver=answers) as proxy:
            statuses = []
            for _ in range(3):
                status, _, _ = await _through(proxy, f"http://rebind.test:{public.port}/")
                statuses.append(status)
            return statuses

    # the forbidden twin listens on the same port, so a connection to it would count
    with LoopbackSite({"/": Route(b"secret")}, port=public.port, host="127.0.0.2") as twin:
        assert asyncio.run(go()) == [200, 200, 200]
    assert public.hits["/"] == 3
    assert answers.questions == ["rebind.test"]
    assert sum(twin.hits.values()) == 0


def test_a_name_answering_a_forbidden_address_is_refused(forbidden: LoopbackSite) -> None:
    answers = Answers("127.0.0.2")

    async def go() -> tuple[int, list[tuple[str, str]]]:
        async with GuardedProxy(ALLOW, resolver=answers) as proxy:
            status, _, _ = await _through(proxy, f"http://intranet.test:{forbidden.port}/secret")
            return status, proxy.refused

    assert asyncio.run(go()) == (403, [("intranet.test", "127.0.0.2")])
    assert sum(forbidden.hits.values()) == 0


@pytest.mark.parametrize(
    "head",
    [b"GARBAGE\r\n\r\n", b"GET ftp://x/ HTTP/1.1\r\n\r\n", b"GET /relative HTTP/1.1\r\n\r\n"],
)
def test_a_malformed_request_is_answered_400(head: bytes) -> None:
    def send(port: int) -> bytes:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
            conn.sendall(head)
            return conn.recv(4096)

    async def go() -> bytes:
        async with GuardedProxy(ALLOW) as proxy:
            port = int(proxy.url.rsplit(":", 1)[1])
            return await asyncio.get_running_loop().run_in_executor(None, send, port)

    assert asyncio.run(go()).startswith(b"HTTP/1.1 400")
