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

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, Field

from jianbao.errors import DeliveryError, NotConfigured
from jianbao.records import IssueView

#: the kinds of channel, each a module of this package
CHANNEL_KINDS = ("wecom", "dingtalk", "feishu", "email", "webhook")


class ChannelConfig(BaseModel):
    """One ``[channels.<name>]`` table. Secrets come inline or, better, from the
    environment variable named by ``secret_env`` / ``password_env``."""

    model_config = ConfigDict(extra="forbid")

    kind: str
    #: the robot's webhook address (wecom, dingtalk, feishu, webhook)
    url: str = ""
    #: signing secret (dingtalk, feishu, webhook) or the robot key when not in the URL
    secret: str = ""
    secret_env: str = ""
    #: DingTalk's security keyword: made to appear in every message
    keyword: str = ""
    #: message type: wecom markdown|markdown_v2|text|news; dingtalk markdown|actionCard|
    #: feedCard; feishu post|interactive; empty means the platform's default
    message_type: str = ""
    #: people to mention (WeCom userids or mobiles, DingTalk mobiles/userids)
    mentions: list[str] = Field(default_factory=list)
    #: whether the issue's Word/PDF files go along (WeCom file messages, email attachments)
    attach: list[str] = Field(default_factory=list)
    # -- email --
    smtp_host: str = ""
    smtp_port: int = 0
    #: starttls, tls (implicit) or none
    smtp_security: str = "starttls"
    username: str = ""
    password: str = ""
    password_env: str = ""
    sender: str = ""
    to: list[str] = Field(default_factory=list)
    cc: list[str] = Field(default_factory=list)
    bcc: list[str] = Field(default_factory=list)
    #: seconds allowed for one request or SMTP conversation
    timeout: float = 20.0

    def resolved_secret(self, name: str) -> str:
        return _from_env(self.secret, self.secret_env, name, "secret_env")

    def resolved_password(self, name: str) -> str:
        return _from_env(self.password, self.password_env, name, "password_env")


def _from_env(inline: str, env: str, name: str, setting: str) -> str:
    if env:
        value = os.environ.get(env, "")
        if not value:
            raise NotConfigured(
                f"环境变量 {env} 未设置",
                item=f"channels.{name}",
                hint=f"设置环境变量 {env}，或改 channels.{name}.{setting}",
            )
        return value
    return inline


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

    ``ok`` when accepted; otherwise ``retryable`` says whether waiting may help (a rate
    limit, a network fault) and ``retry_after`` how long; ``answer`` is a short, safe
    excerpt of the platform's reply for the log.
    """

    ok: bool
    answer: str = ""
    retryable: bool = False
    retry_after: float | None = None
    error: str = ""


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


def refused(message: str, *, channel: str, hint: str) -> DeliveryError:
    """A refusal that waiting will not cure: names the channel and the setting to fix."""
    return DeliveryError(message, item=f"channels.{channel}", hint=hint)
