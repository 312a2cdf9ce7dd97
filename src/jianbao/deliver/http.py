"""The HTTP side of the robots: one SSRF-guarded request, its answer read safely.

Robot addresses come from configuration, but a configuration is typed by people, and a
webhook channel may point anywhere: the same guard as collection applies (the resolved
address is checked when connecting, IP literals before; ``Settings.ssrf_allowlist`` lets
a loopback test server through). Redirects are not followed: a robot answers where it
is asked. A network fault is a ``TransportError`` that says whether trying again may
help; the URL in every message is redacted, so a robot key never reaches a log.

Trying again is safe only while the request provably never left: the connection was
refused, the name did not resolve, connecting timed out. Once the connection is made
the robot may have posted the message (it posts on receipt; the answer comes after), so
a timeout or a dropped connection from then on is *unconfirmed*: never retried by itself,
shown to the editor as 未确认 (``deliver.log``). A gateway's 502/504 or a 500 is the same:
only 429 and 503 say the request was not taken (HTTP's own meaning; the platforms
document nothing else about 5xx), so only they are retried.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, tzinfo
from pathlib import Path
from typing import Any

import aiohttp

from jianbao.collect.ssrf import (
    GuardedResolver,
    blocked_cause,
    check_url,
    guarded_socket,
    parse_allowlist,
)
from jianbao.deliver.base import SendResult, excerpt, redact_url, refused
from jianbao.errors import DeliveryError, FetchError
from jianbao.records import SHANGHAI

#: robot answers are small; a larger one is cut (it is only read for its code)
MAX_ANSWER_BYTES = 64 * 1024
#: HTTP answers that say the request was not taken, so sending it again cannot post twice
NOT_TAKEN = (429, 503)
#: a rate limit's wait at least this long is told with the time it ends
BLOCK_TOLD = 300.0


class TransportError(DeliveryError):
    """The request did not get an answer: refused by the guard, or a network fault.

    ``retryable`` when it provably never left; ``unconfirmed`` when it left and what became
    of it is unknown (see the module's docstring)."""

    def __init__(
        self, message: str, *, item: str, hint: str, retryable: bool, unconfirmed: bool = False
    ):
        super().__init__(message, item=item, hint=hint)
        self.retryable = retryable
        self.unconfirmed = unconfirmed


class _Progress:
    """Whether a request's connection was made (from then on it may have left)."""

    def __init__(self) -> None:
        self.connected = False

    async def on_connected(self, *_: Any) -> None:
        self.connected = True

    def trace(self) -> aiohttp.TraceConfig:
        config = aiohttp.TraceConfig()
        config.on_connection_create_end.append(self.on_connected)
        config.on_connection_reuseconn.append(self.on_connected)
        return config


async def read_capped(content: aiohttp.StreamReader, cap: int) -> bytes:
    """The body to its end, or its first ``cap`` bytes: ``read(n)`` returns what has
    arrived so far, and an answer may come in pieces (a proxy, a slow link)."""
    chunks: list[bytes] = []
    size = 0
    while size < cap:
        chunk = await content.read(cap - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


@dataclass(frozen=True, slots=True)
class Answer:
    """What a robot said: the HTTP status, the JSON object (None when not JSON) and the
    raw text (cut at ``MAX_ANSWER_BYTES``)."""

    status: int
    data: dict[str, Any] | None
    text: str
    headers: Mapping[str, str]

    def field(self, *names: str) -> Any:
        """The first of ``names`` present in the JSON answer (``code``, ``StatusCode``…)."""
        for name in names:
            if self.data is not None and name in self.data:
                return self.data[name]
        return None


class RobotClient:
    """Posts to one channel's robot through the SSRF guard.

    ``secrets`` are masked in every excerpt of an answer; ``user_agent`` and ``timeout``
    come from the channel and the settings.
    """

    def __init__(
        self,
        *,
        channel: str,
        allowlist: Iterable[str] = (),
        timeout: float = 20.0,
        user_agent: str = "jianbao",
        secrets: Iterable[str] = (),
        clock: Callable[[], float] = time.time,
        zone: tzinfo = SHANGHAI,
    ):
        self.channel = channel
        #: the clock and zone a rate limit's end is told in ("约 08:10 后")
        self.clock = clock
        self.zone = zone
        self._allowlist = parse_allowlist(allowlist)
        self._timeout = timeout
        self._user_agent = user_agent
        self.secrets = tuple(s for s in secrets if s)

    def excerpt(self, text: str) -> str:
        return excerpt(text, self.secrets)

    async def post_json(
        self, url: str, body: Mapping[str, Any], headers: Mapping[str, str] | None = None
    ) -> Answer:
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        return await self.post(
            url, data=data, headers={"Content-Type": "application/json", **(headers or {})}
        )

    async def post_file(self, url: str, field: str, path: Path) -> Answer:
        """A multipart upload of one file in ``field`` (WeCom's ``media``).

        The file name goes as UTF-8, as browsers and curl send it: percent-encoded, a
        Chinese name would reach the group as ``%E5%91%A8…``.
        """
        form = aiohttp.FormData(quote_fields=False)
        form.add_field(
            field,
            path.read_bytes(),
            filename=path.name,
            content_type="application/octet-stream",
        )
        return await self.post(url, data=form)

    async def post(
        self, url: str, *, data: Any, headers: Mapping[str, str] | None = None
    ) -> Answer:
        shown = redact_url(url)
        try:
            checked = check_url(url, self._allowlist)
        except FetchError as exc:
            raise TransportError(
                exc.message,
                item=f"channels.{self.channel}",
                hint=f"检查 channels.{self.channel}.url（{shown}）；"
                "本机或内网地址需加入 ssrf_allowlist",
                retryable=False,
            ) from None
        connector = aiohttp.TCPConnector(
            resolver=GuardedResolver(self._allowlist),
            socket_factory=guarded_socket(self._allowlist),
            limit=2,
        )
        timeout = aiohttp.ClientTimeout(total=self._timeout)
        all_headers = {"User-Agent": self._user_agent, **(headers or {})}
        progress = _Progress()
        try:
            async with (
                aiohttp.ClientSession(
                    connector=connector, timeout=timeout, trace_configs=[progress.trace()]
                ) as session,
                session.post(
                    checked, data=data, headers=all_headers, allow_redirects=False
                ) as response,
            ):
                raw = await read_capped(response.content, MAX_ANSWER_BYTES)
                text = raw.decode("utf-8", errors="replace")
                try:
                    parsed = json.loads(text) if text.strip() else None
                except ValueError:
                    parsed = None
                return Answer(
                    status=response.status,
                    data=parsed if isinstance(parsed, dict) else None,
                    text=text,
                    headers=dict(response.headers),
                )
        except aiohttp.ClientConnectorError as exc:
            blocked = blocked_cause(exc)
            if blocked is not None:
                raise TransportError(
                    f"拒绝推送到内网或保留地址：{blocked.address}",
                    item=f"channels.{self.channel}",
                    hint=f"检查 channels.{self.channel}.url（{shown}）；"
                    "确需使用内网地址时加入 ssrf_allowlist",
                    retryable=False,
                ) from None
            raise self._network(shown, "无法连接") from None
        except TimeoutError:
            if progress.connected:
                raise self._unconfirmed(shown, f"{self._timeout:g} 秒内没有应答") from None
            raise self._network(shown, f"{self._timeout:g} 秒内连接不上") from None
        except aiohttp.ClientError as exc:
            if progress.connected:
                raise self._unconfirmed(shown, f"连接中断（{type(exc).__name__}）") from None
            raise self._network(shown, type(exc).__name__) from None

    def _network(self, shown: str, what: str) -> TransportError:
        """The request never left: trying again cannot post it twice."""
        return TransportError(
            f"网络错误：{what}（{shown}）",
            item=f"channels.{self.channel}",
            hint="稍后自动重试；一直失败时检查网络和代理",
            retryable=True,
        )

    def _unconfirmed(self, shown: str, what: str) -> TransportError:
        """The request left and no answer came: the robot may have posted it."""
        return TransportError(
            f"未确认：请求已发出，但{what}，平台可能已收到（{shown}）",
            item=f"channels.{self.channel}",
            hint="为免重复，未自动重发；先看群里是否已收到，没有再重发未确认的部分"
            "（jianbao issue send ID --resend-unconfirmed，或工作台的 重发未确认部分）",
            retryable=False,
            unconfirmed=True,
        )


# -- reading a robot's answer ---------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Refusal:
    """A refusal waiting will not cure: what went wrong and the robot setting to fix."""

    message: str
    hint: str


def robot_result(
    answer: Answer,
    client: RobotClient,
    *,
    code_fields: tuple[str, ...],
    message_fields: tuple[str, ...],
    rate_codes: Iterable[int],
    rate_wait: float,
    refusal: Callable[[int, str], Refusal | None],
) -> SendResult:
    """A robot's answer as a ``SendResult``.

    These platforms say HTTP 200 with a non-zero code when they refuse: the code is what
    counts. Rate-limit codes and HTTP 429/503 are retryable (after ``retry_after``);
    another 5xx is unconfirmed (a gateway may have passed the request on); a known
    refusal names the setting to fix; anything else is a failure quoting a short excerpt
    of the answer.
    """
    shown = client.excerpt(answer.text)
    channel = client.channel
    if answer.status in NOT_TAKEN:
        return SendResult(
            ok=False,
            answer=shown,
            retryable=True,
            retry_after=_retry_after(answer.headers, rate_wait if answer.status == 429 else None),
            error=f"平台暂时不可用（HTTP {answer.status}），稍后重试",
        )
    if answer.status >= 500:
        return server_error(answer.status, shown, channel)
    code = answer.field(*code_fields)
    text = str(answer.field(*message_fields) or "")
    if answer.data is None or code is None:
        return SendResult(
            ok=False,
            answer=shown,
            error=str(
                refused(
                    f"平台的应答无法识别（HTTP {answer.status}）：{shown or '空'}",
                    channel=channel,
                    hint=f"检查 channels.{channel}.url 是否为机器人的 Webhook 地址",
                )
            ),
        )
    try:
        number = int(code)
    except (TypeError, ValueError):
        number = -1
    if number == 0 and 200 <= answer.status < 300:
        return SendResult(ok=True, answer=shown)
    if number in set(rate_codes):
        wait = _retry_after(answer.headers, rate_wait)
        reason = f"超过机器人的发送频率限制（{number}），稍后重试"
        if wait is not None and wait >= BLOCK_TOLD:
            until = datetime.fromtimestamp(client.clock() + wait, client.zone)
            reason = (
                f"超过机器人的发送频率限制（{number}），平台暂停该机器人约 {wait / 60:.0f} 分钟："
                f"约 {until:%H:%M} 后才能再发"
            )
        return SendResult(ok=False, answer=shown, retryable=True, retry_after=wait, error=reason)
    # the platform's message may echo the key or hold control characters: quote it safely
    known = refusal(number, client.excerpt(text))
    if known is not None:
        error = refused(known.message, channel=channel, hint=known.hint)
    else:
        error = refused(
            f"平台拒绝了消息（错误码 {number}）：{client.excerpt(text) or shown}",
            channel=channel,
            hint="按错误码查阅平台文档；消息格式问题请报告给 jianbao 的维护者",
        )
    return SendResult(ok=False, answer=shown, error=str(error))


def _retry_after(headers: Mapping[str, str], default: float | None) -> float | None:
    for name in ("Retry-After", "x-ogw-ratelimit-reset"):
        for key, value in headers.items():
            if key.lower() == name.lower():
                try:
                    return max(0.0, float(value))
                except ValueError:
                    pass
    return default


def server_error(status: int, shown: str, channel: str) -> SendResult:
    """A 5xx other than 503: the platform, or a gateway before it, failed while holding
    the request; whether it was posted is unknown, so it is unconfirmed, not retried."""
    error = DeliveryError(
        f"未确认：平台应答 HTTP {status}，不能确定消息是否已发出",
        item=f"channels.{channel}",
        hint="为免重复，未自动重发；先看群里是否已收到，没有再重发未确认的部分",
    )
    return SendResult(ok=False, answer=shown, unconfirmed=True, error=str(error))


def transport_result(exc: TransportError) -> SendResult:
    """A network fault or a refused address as a ``SendResult``."""
    return SendResult(
        ok=False, retryable=exc.retryable, unconfirmed=exc.unconfirmed, error=str(exc)
    )
