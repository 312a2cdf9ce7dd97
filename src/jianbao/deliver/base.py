"""The contract every delivery channel keeps, in the manner of scrapy's exporters and
miniflux's ``integration/<service>``: one small module per platform behind one protocol.

A channel is built from its ``[channels.<name>]`` table (``ChannelConfig``). It turns an
issue into ``Message`` parts (``prepare``), each within the platform's limits and never
splitting an item, and sends one part at a time (``send``), reading the platform's own
answer: these platforms say HTTP 200 with a non-zero ``errcode``/``code`` when they
refuse. A part's outcome is a ``SendResult``; the delivery log (``jianbao.deliver.log``)
records it, so a part the platform accepted is never sent again.

A channel that lacks what it needs (no URL, no secret in the named variable) raises
``NotConfigured`` with the reason when built, and is reported as switched off.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jianbao.channel_settings import CHANNEL_KINDS, ChannelConfig
from jianbao.errors import DeliveryError
from jianbao.errors import excerpt as quote_outside
from jianbao.records import IssueView

__all__ = [
    "CHANNEL_KINDS",
    "Channel",
    "ChannelConfig",
    "Message",
    "Notice",
    "SendResult",
    "attached",
    "excerpt",
    "mask",
    "note_labels",
    "note_line",
    "note_lines",
    "redact",
    "redact_traceback",
    "redact_url",
    "refused",
]


def mask(secret: str) -> str:
    """A secret as it may be shown: its last four characters at most."""
    if not secret:
        return ""
    if len(secret) <= 8:
        return "****"
    return "****" + secret[-4:]


@dataclass(frozen=True, slots=True)
class Message:
    """One request to a platform: part ``part`` of ``total`` of an issue, or a notice.

    ``body`` is what is sent before signing (the JSON object of a robot, or the email's
    fields); ``files`` are uploaded or attached with it; ``text`` is a short readable
    form for the log and previews.
    """

    kind: str
    body: dict[str, Any]
    part: int = 1
    total: int = 1
    text: str = ""
    files: tuple[Path, ...] = ()


@dataclass(frozen=True, slots=True)
class SendResult:
    """What the platform answered to one part.

    ``ok`` when accepted; otherwise ``retryable`` says whether trying again may help and
    cannot post twice (a rate limit, a request that provably never left: connection
    refused, a name not resolved, a connect timeout) and ``retry_after`` how long.
    ``unconfirmed`` when the request left but no answer says what became of it (a read
    timeout, a connection dropped after sending, a 502/504, an SMTP session lost after
    the message was handed over): the platform may well have posted it, and a robot's
    post cannot be recalled, so it is never retried by itself — the delivery log keeps it
    as 未确认 for the editor to look and decide. ``answer`` is a short, safe excerpt of
    the platform's reply for the log.
    """

    ok: bool
    answer: str = ""
    retryable: bool = False
    retry_after: float | None = None
    error: str = ""
    unconfirmed: bool = False


@dataclass(frozen=True, slots=True)
class Notice:
    """A short message that is not an issue: a test, a reminder to the duty editor, an
    alert. ``url`` is a link to act on (the composer, the story)."""

    title: str
    text: str
    url: str = ""
    mentions: tuple[str, ...] = field(default_factory=tuple)


class Channel(Protocol):
    """What every delivery channel provides."""

    name: str
    kind: str

    def prepare(
        self, view: IssueView, files: Sequence[Path] = (), *, note: str = ""
    ) -> list[Message]:
        """The parts of an issue, in order; ``note`` (更正 of a revision) heads the first."""
        ...

    def prepare_notice(self, notice: Notice) -> list[Message]:
        """A notice as this platform's messages (usually one)."""
        ...

    async def send(self, message: Message) -> SendResult:
        """Send one part; never raises for a platform's refusal, returns it instead."""
        ...

    def describe(self) -> str:
        """One line for ``channels list``: kind, address and secrets masked."""
        ...


def attached(files: Sequence[object], suffixes: Sequence[str]) -> list[Path]:
    """The files whose suffix a channel's ``attach`` names, in the order it names them."""
    return [
        Path(str(f)) for suffix in suffixes for f in files if str(f).lower().endswith("." + suffix)
    ]


def refused(message: str, *, channel: str, hint: str) -> DeliveryError:
    """A refusal that waiting will not cure: names the channel and the setting to fix."""
    return DeliveryError(message, item=f"channels.{channel}", hint=hint)


# -- what may be shown of an answer, a URL, a note --------------------------------------

#: query parameters of a robot URL that are secrets (WeCom key, DingTalk token, signature)
SECRET_PARAMS = ("key", "access_token", "token", "sign", "secret")
#: path segments after these are secrets (Feishu's /bot/v2/hook/TOKEN)
_SECRET_PATH = re.compile(r"(/hook/)([^/?#]+)")
EXCERPT_LIMIT = 200


def redact_url(url: str) -> str:
    """A robot URL as it may be logged: key, access_token and hook tokens masked."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return "（无法解析的网址）"
    query = [
        (name, mask(value) if name.lower() in SECRET_PARAMS else value)
        for name, value in parse_qsl(parts.query, keep_blank_values=True)
    ]
    path = _SECRET_PATH.sub(lambda m: m.group(1) + mask(m.group(2)), parts.path)
    netloc = parts.hostname or ""
    if parts.port:
        netloc += f":{parts.port}"
    return urlunsplit((parts.scheme, netloc, path, urlencode(query, safe="*"), ""))


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret (and its URL-encoded form) replaced by its mask."""
    from urllib.parse import quote, quote_plus

    for secret in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        for form in {secret, quote(secret, safe=""), quote_plus(secret)}:
            text = text.replace(form, mask(secret))
    return text


_URL = re.compile(r"https?://[^\s'\"<>()\[\]{}]+", re.IGNORECASE)


def redact_traceback(exc: BaseException, secrets: Iterable[str] = ()) -> str:
    """An exception's traceback as it may be written to the log: every URL in it through
    ``redact_url`` and every secret masked. An exception's text can carry a robot's URL
    with its key (aiohttp's InvalidURL, a ``repr`` of a yarl URL), and the log goes to
    people who must not read the key; the frames and the line that failed are kept, so
    a maintainer can still find the bug."""
    import traceback

    text = "".join(traceback.format_exception(exc))
    return redact(_URL.sub(lambda m: redact_url(m.group(0)), text), secrets)


def excerpt(text: str, secrets: Iterable[str] = (), limit: int = EXCERPT_LIMIT) -> str:
    """A short, safe excerpt of a platform's answer for the log and error messages:
    secrets masked first, then quoted as every outside text is (``errors.excerpt``: one
    line, control and bidi characters gone, at most ``limit`` characters)."""
    return quote_outside(redact(text, secrets), limit)


def note_lines(note: str) -> list[str]:
    """The lines of the note heading a first part. A line that carries its own label
    (【更正】…, 【预览】…, 更正：…) is kept as it is; a bare one is a correction: ``更正：…``."""
    lines = [line.strip() for line in note.splitlines() if line.strip()]
    return [line if line.startswith(("更正", "【")) else f"更正：{line}" for line in lines]


def note_line(note: str) -> str:
    """The note as one string, its lines kept (see ``note_lines``)."""
    return "\n".join(note_lines(note))


def note_labels(note: str) -> str:
    """【预览】/【更正】 for a subject line, from what the note says."""
    text = note_line(note)
    labels = [label for label in ("【预览】", "【更正】") if label.strip("【】") in text]
    return "".join(labels)
