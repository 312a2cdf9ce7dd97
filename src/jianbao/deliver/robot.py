"""What the group-robot channels share: being built from a ``[channels.<name>]`` table,
describing themselves with secrets masked, and packing an issue's items into parts.

Each platform module (``wecom``, ``dingtalk``, ``feishu``) subclasses ``RobotChannel``
with its own message types, signing and answer codes; this module holds only what would
otherwise be written three times.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TypeVar
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

from jianbao.config import Settings
from jianbao.deliver.base import SECRET_PARAMS, ChannelConfig, Message, redact_url
from jianbao.deliver.http import RobotClient
from jianbao.editions.compose import grouped_items
from jianbao.errors import NotConfigured
from jianbao.records import IssueItemView, IssueView

T = TypeVar("T")

#: the largest file a robot takes (WeCom: 20 MB)
MAX_FILE_BYTES = 20 * 1024 * 1024


def url_secrets(url: str) -> list[str]:
    """The secret parts of a robot URL (key, access_token, Feishu's hook token)."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return []
    found = [v for k, v in parse_qsl(parts.query) if k.lower() in SECRET_PARAMS and v]
    if "/hook/" in parts.path:
        found.append(parts.path.rsplit("/hook/", 1)[1].split("/")[0])
    return [s for s in found if s]


class RobotChannel:
    """A group robot reached by a webhook URL, optionally signed with a secret."""

    kind = "robot"
    #: what the platform calls its URL's secret, for hints (key, access_token…)
    url_secret_name = "key"
    #: whether ``secret`` signs each request (DingTalk, Feishu) or is the robot's key (WeCom)
    signs = True

    def __init__(
        self,
        name: str,
        config: ChannelConfig,
        settings: Settings,
        *,
        clock: Callable[[], float] = time.time,
    ):
        if not config.url:
            raise NotConfigured(
                "没有配置机器人的 Webhook 地址",
                item=f"channels.{name}",
                hint=f"在 channels.{name}.url 填写群机器人的 Webhook 地址",
            )
        self.name = name
        self.config = config
        self.url = config.url
        self.secret = config.resolved_secret(name)
        self.keyword = config.keyword.strip()
        self.message_type = config.resolved_message_type
        self.clock = clock
        self.client = RobotClient(
            channel=name,
            allowlist=settings.ssrf_allowlist,
            timeout=config.timeout,
            user_agent=settings.user_agent,
            secrets=[self.secret, *url_secrets(config.url)],
            clock=lambda: self.clock(),  # the channel's, also when a test replaces it
            zone=ZoneInfo(settings.timezone),
        )

    def describe(self) -> str:
        extras = [f"消息类型 {self.message_type}"]
        if self.secret:
            extras.append("加签" if self.signs else f"{self.url_secret_name} 来自配置")
        if self.keyword:
            extras.append(f"关键词 {self.keyword}")
        if self.config.attach:
            extras.append("附件 " + "、".join(self.config.attach))
        return f"{self.kind} {redact_url(self.url)}（{'，'.join(extras)}）"

    def numbered(self, kind_bodies: Sequence[tuple[dict, str, tuple]]) -> list[Message]:
        """Messages numbered 1..n from (body, readable text, files)."""
        total = len(kind_bodies)
        return [
            Message(kind=self.kind, body=body, part=i, total=total, text=text, files=tuple(files))
            for i, (body, text, files) in enumerate(kind_bodies, 1)
        ]


def item_groups(view: IssueView) -> list[tuple[str | None, IssueItemView]]:
    """The items in order, each with the category heading it opens (None when it opens
    none), so a heading always travels with its first item."""
    out: list[tuple[str | None, IssueItemView]] = []
    for category, items in grouped_items(view):
        for index, item in enumerate(items):
            out.append((category if category and index == 0 else None, item))
    return out


def pack(
    blocks: Sequence[T],
    *,
    size: Callable[[T], int] = lambda _: 0,
    room: int = 1 << 62,
    max_count: int = 1 << 30,
) -> list[list[T]]:
    """Blocks packed greedily in order into groups of at most ``max_count`` blocks and
    ``room`` in total ``size``; a block is never split (one too big is alone)."""
    groups: list[list[T]] = [[]]
    used = 0
    for block in blocks:
        cost = size(block)
        if groups[-1] and (used + cost > room or len(groups[-1]) >= max_count):
            groups.append([])
            used = 0
        groups[-1].append(block)
        used += cost
    return [g for g in groups if g] or [[]]


def with_keyword(title: str, keyword: str) -> str:
    """A title that carries the robot's security keyword (DingTalk, Feishu)."""
    if not keyword or keyword in title:
        return title
    return f"{title}·{keyword}"
