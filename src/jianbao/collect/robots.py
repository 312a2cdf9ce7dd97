"""robots.txt: ask each site once, remember its answer, obey it.

One ``RobotsCache`` lives in a Fetcher. The first request to an origin loads that
origin's ``/robots.txt`` (through the same polite, SSRF-guarded fetcher) and later
requests reuse the answer until it expires. The rules follow RFC 9309: a robots.txt that
is missing (4xx) allows everything; one the server fails to give (5xx) forbids
everything for a short while, since the site may be in trouble. When the site cannot be
reached at all (timeout, refused, SSRF guard) the loader's FetchError is passed on — it
says more than "robots.txt forbids" — and remembered briefly, so the articles queued for
that host fail at once instead of each waiting for its own timeout. A Crawl-delay raises
the fetcher's spacing for that host (bounded).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from urllib.parse import urlsplit
from urllib.robotparser import RobotFileParser

from jianbao.errors import FetchError

#: how long a robots.txt answer is trusted
FRESH_SECONDS = 24 * 3600.0
#: how long a robots.txt answered with 5xx keeps a site closed before we ask again
UNAVAILABLE_SECONDS = 600.0
#: how long an unreachable site's failure is reused before we try again
UNREACHABLE_SECONDS = 30.0
#: a Crawl-delay above this is read as this (some sites ask for an hour)
MAX_CRAWL_DELAY = 30.0
#: robots.txt files are small; more than this is not read (RFC 9309 asks for ≥ 500 KiB)
MAX_ROBOTS_BYTES = 512 * 1024

#: loads a URL and returns (HTTP status, body); raises FetchError when it cannot be reached
Loader = Callable[[str], Awaitable[tuple[int, bytes]]]


@dataclass
class RobotsRules:
    """One origin's answer: a parser, or a blanket allow/deny."""

    parser: RobotFileParser | None
    allow_all: bool
    expires_at: float
    crawl_delay: float | None = None
    #: the HTTP status robots.txt was answered with
    status: int = 200

    def allows(self, url: str, agent: str) -> bool:
        if self.parser is None:
            return self.allow_all
        return self.parser.can_fetch(agent, url)


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


def agent_token(user_agent: str) -> str:
    """The product token robots.txt groups are matched against:
    ``jianbao/0.1 (…)`` → ``jianbao``."""
    token = user_agent.strip().split("/", 1)[0].split(" ", 1)[0]
    return token or "*"


def parse_robots(status: int, body: bytes, agent: str, *, now: float | None = None) -> RobotsRules:
    """The rules an origin's robots.txt answer means (RFC 9309 §2.3.1)."""
    stamp = time.monotonic() if now is None else now
    if 200 <= status < 300:
        parser = RobotFileParser()
        text = body[:MAX_ROBOTS_BYTES].decode("utf-8", errors="replace")
        parser.parse(text.splitlines())
        delay = crawl_delay_for(text, agent)
        crawl_delay = min(delay, MAX_CRAWL_DELAY) if delay is not None else None
        return RobotsRules(parser, True, stamp + FRESH_SECONDS, crawl_delay)
    if 400 <= status < 500:
        return RobotsRules(None, True, stamp + FRESH_SECONDS, status=status)
    return RobotsRules(None, False, stamp + UNAVAILABLE_SECONDS, status=status)


def crawl_delay_for(text: str, agent: str) -> float | None:
    """The Crawl-delay of the group naming ``agent`` (else of ``*``); fractions allowed,
    which the standard library's parser rejects."""
    delays: dict[str, float] = {}
    agents: list[str] = []
    in_rules = False
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip()
        if ":" not in line:
            continue
        field, value = (part.strip() for part in line.split(":", 1))
        field = field.lower()
        if field == "user-agent":
            if in_rules:
                agents, in_rules = [], False
            agents.append(value.lower())
        elif field == "crawl-delay":
            in_rules = True
            try:
                seconds = float(value)
            except ValueError:
                continue
            for name in agents:
                delays.setdefault(name, seconds)
        else:
            in_rules = True
    wanted = agent.lower()
    for name, seconds in delays.items():
        if name != "*" and name in wanted:
            return seconds
    return delays.get("*")


class RobotsCache:
    """Per-origin robots.txt rules, loaded once per origin even under concurrency."""

    def __init__(self, load: Loader, user_agent: str):
        self._load = load
        self.agent = agent_token(user_agent)
        self._rules: dict[str, RobotsRules] = {}
        self._failures: dict[str, tuple[FetchError, float]] = {}
        self._locks: dict[str, asyncio.Lock] = {}

    async def rules_for(self, url: str) -> RobotsRules:
        """The origin's rules; raises the loader's FetchError when the site is unreachable."""
        origin = robots_url(url)
        rules = self._rules.get(origin)
        if rules is not None and rules.expires_at > time.monotonic():
            return rules
        lock = self._locks.setdefault(origin, asyncio.Lock())
        async with lock:
            self._raise_recent_failure(origin)
            rules = self._rules.get(origin)
            if rules is None or rules.expires_at <= time.monotonic():
                try:
                    status, body = await self._load(origin)
                except FetchError as exc:
                    self._failures[origin] = (exc, time.monotonic() + UNREACHABLE_SECONDS)
                    raise
                rules = parse_robots(status, body, self.agent)
                self._rules[origin] = rules
                self._failures.pop(origin, None)
        return rules

    def _raise_recent_failure(self, origin: str) -> None:
        failure = self._failures.get(origin)
        if failure is None:
            return
        exc, until = failure
        if until <= time.monotonic():
            del self._failures[origin]
            return
        raise FetchError(
            exc.message, item=exc.item, hint=exc.hint, status=exc.status, retryable=exc.retryable
        )

    async def allowed(self, url: str) -> bool:
        """True when the origin's robots.txt lets our user agent fetch ``url``."""
        if urlsplit(url).path == "/robots.txt":
            return True
        return (await self.rules_for(url)).allows(url, self.agent)
