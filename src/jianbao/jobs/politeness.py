"""Per-host politeness shared by every Celery worker process, held in Redis.

Each fetcher keeps a host's delay and concurrency (``per_host_delay``,
``per_host_concurrency``) among its own requests. With several worker processes on
several machines, two tasks collecting sources of one host would each keep them and
together fetch twice as fast as the site was promised. :class:`RedisHostGate` is held
around every request in a worker (``Fetcher(shared_gate=…)``, and around every page load
of a browser-rendered source: ``BrowserFetcher(shared_gate=…)``), so all of them together
keep the limits:

- concurrency: a semaphore per host, a sorted set of the requests in flight, each with
  an expiry (a worker killed mid-request frees its place after ``hold_seconds``);
- delay: the next start allowed for the host, kept in Redis and advanced by ``delay`` at
  each request in one atomic script; a request waits until its reserved start. Both use
  the Redis server's clock, so machines whose clocks differ still space their requests.

Redis unreachable is a retryable fetch error naming the broker, as for any network fault.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from jianbao.config import Settings
from jianbao.errors import FetchError

# KEYS[1] the host's set of requests in flight; ARGV: limit, hold ms, token.
# Expired places are dropped first; a place is taken when fewer than limit are held.
_ACQUIRE = """
local now = redis.call('TIME')
local ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ms)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], ms + tonumber(ARGV[2]), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[2]))
  return 1
end
return 0
"""

# KEYS[1] the host's next allowed start (µs, server clock); ARGV: delay µs, ttl ms.
# Returns how many µs the caller waits before its start.
_RESERVE = """
local now = redis.call('TIME')
local us = tonumber(now[1]) * 1000000 + tonumber(now[2])
local nxt = tonumber(redis.call('GET', KEYS[1]) or '0')
local start = math.max(us, nxt)
redis.call('SET', KEYS[1], string.format('%.0f', start + tonumber(ARGV[1])), 'PX', ARGV[2])
return start - us
"""

#: the mean pause between two looks at a host whose places are all taken
POLL_SECONDS = 0.05


class RedisHostGate:
    """``async with gate.slot(host)`` around each request to ``host`` (``netloc``)."""

    def __init__(
        self,
        redis_url: str,
        prefix: str,
        *,
        concurrency: int,
        delay: float,
        hold_seconds: float,
    ):
        self.redis_url = redis_url
        self.prefix = prefix
        self.concurrency = max(1, concurrency)
        self.delay = max(0.0, delay)
        #: a place held longer than this (its worker died) is given back
        self.hold_ms = max(1000, int(hold_seconds * 1000))
        self._client: Any = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._acquire: Any = None
        self._reserve: Any = None

    @classmethod
    def from_settings(cls, settings: Settings) -> RedisHostGate:
        """The gate of a deployment: its broker, its key prefix, the fetch limits. A place
        is held for one attempt: its turn after the others in flight, then the request's
        own deadline (``fetch_timeout`` bounds connecting and reading); a place a killed
        worker held is free again a few seconds after that."""
        concurrency = max(1, settings.per_host_concurrency)
        return cls(
            settings.broker_url,
            f"{settings.broker_queue_prefix}:host",
            concurrency=concurrency,
            delay=settings.per_host_delay,
            hold_seconds=settings.fetch_timeout + settings.per_host_delay * concurrency + 5,
        )

    def _redis(self) -> Any:
        """The client of the running event loop (each ``asyncio.run`` of a task is a new
        loop, and an asyncio client must not outlive its loop)."""
        loop = asyncio.get_running_loop()
        if self._client is None or self._loop is not loop:
            import redis.asyncio as aioredis

            self._client = aioredis.Redis.from_url(self.redis_url)
            self._loop = loop
            self._acquire = self._client.register_script(_ACQUIRE)
            self._reserve = self._client.register_script(_RESERVE)
        return self._client

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        from redis.exceptions import RedisError

        key = f"{self.prefix}:{host}"
        token = uuid.uuid4().hex
        try:
            client = self._redis()
            held = [self.concurrency, self.hold_ms, token]
            while not await self._acquire(keys=[f"{key}:busy"], args=held):
                await asyncio.sleep(POLL_SECONDS * random.uniform(0.5, 1.5))
            if self.delay > 0:
                wait_us = await self._reserve(
                    keys=[f"{key}:next"], args=[int(self.delay * 1_000_000), self.hold_ms]
                )
                if wait_us > 0:
                    await asyncio.sleep(wait_us / 1_000_000)
        except (RedisError, OSError) as exc:
            raise _unreachable(host, exc) from exc
        try:
            yield
        finally:
            with contextlib.suppress(RedisError, OSError):  # else it expires by itself
                await client.zrem(f"{key}:busy", token)

    async def aclose(self) -> None:
        if self._client is not None:
            await self._client.aclose()
            self._client = None


def _unreachable(host: str, exc: BaseException) -> FetchError:
    return FetchError(
        f"无法连接消息队列，未能协调对该站点的抓取间隔：{exc}",
        item=host,
        hint="检查 broker_url 指向的 Redis 是否可用；本来源下一轮重试",
        retryable=True,
    )
