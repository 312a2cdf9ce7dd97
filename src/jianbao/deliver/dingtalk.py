"""DingTalk custom robot (钉钉自定义机器人).

One JSON message per request to ``…/robot/send?access_token=TOKEN``; the answer is
``errcode`` 0 or the reason. Message types: ``markdown`` (the default; ``title`` shows
in the chat list, blank lines separate paragraphs), ``actionCard`` (the part's text
with one button per item) and ``feedCard`` (a list of linked titles). Body ≤ 20,000
bytes.

Security settings of the robot, any of: **signing** (timestamp in milliseconds;
``sign`` = URL-encoded Base64 of HMAC-SHA256 keyed with the secret over
``timestamp + "\\n" + secret``; both added to the URL's query; the timestamp must be
within an hour), **keyword** (every message must contain one of the robot's words:
jianbao puts the configured keyword in each title line) and an **IP allowlist**. A
refused signature, keyword, timestamp or IP is errcode 310000 with the reason in
``errmsg``. 20 messages a minute per robot: beyond that errcode 130101 and the robot is
blocked for ten minutes, so the pacer never crosses it.

Documentation: open.dingtalk.com/document/orgapp/custom-robot-access (自定义机器人接入,
安全设置) and /document/orgapp/custom-bot-send-message-type (消息类型).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, quote_plus, urlencode, urlsplit, urlunsplit

from jianbao.deliver.base import Message, Notice, SendResult, note_lines
from jianbao.deliver.http import Refusal, TransportError, robot_result, transport_result
from jianbao.deliver.robot import RobotChannel, item_groups, pack, with_keyword
from jianbao.records import IssueView
from jianbao.render.chat import markdown_item, part_marker, split_parts, truncate_bytes, utf8_len
from jianbao.render.dingtalk import DINGTALK_MARKDOWN_LIMIT
from jianbao.render.layout import safe_url, view_title

#: "send too fast, exceed 20 times per minute"; 410100 is the newer form of the same
RATE_CODES = (130101, 410100)
#: the robot is blocked for ten minutes once it has been refused for speed
RATE_WAIT = 600.0
ACTION_CARD_ITEMS = 5
FEED_CARD_LINKS = 10
BUTTON_TITLE_LIMIT = 60
#: the bytes of a card's items: the title, note, lead and buttons take the rest
ACTION_CARD_ROOM = DINGTALK_MARKDOWN_LIMIT - 4000


def sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature, not yet URL-encoded: Base64(HMAC-SHA256(secret, ts\\nsecret))."""
    to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def signed_url(url: str, secret: str, timestamp_ms: int) -> str:
    """The robot URL with ``timestamp`` and URL-encoded ``sign`` in its query."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k not in ("timestamp", "sign")]
    query += [("timestamp", str(timestamp_ms)), ("sign", sign(secret, timestamp_ms))]
    return urlunsplit(
        (parts.scheme, parts.netloc, parts.path, urlencode(query, quote_via=quote_plus), "")
    )


def _refusal(code: int, message: str, channel: str) -> Refusal | None:
    low = message.lower()
    if code == 310000:
        if "keyword" in low or "关键词" in message:
            return Refusal(
                "消息不含机器人的安全关键词（310000）",
                f"在 channels.{channel}.keyword 填写机器人安全设置里的一个关键词",
            )
        if "sign" in low or "签名" in message:
            return Refusal(
                "机器人加签校验失败（310000）",
                f"把机器人安全设置里“加签”的 SEC 开头密钥填入 channels.{channel}.secret_env "
                "所指的环境变量",
            )
        if "timestamp" in low or "时间戳" in message:
            return Refusal(
                "签名的时间戳已过期或无效（310000）",
                "校准本机时间（与北京时间相差须在一小时内）",
            )
        if "whitelist" in low or "白名单" in message or re.search(r"\bip\b", low):
            return Refusal(
                "本机出口 IP 不在机器人的 IP 白名单中（310000）",
                "在机器人安全设置的 IP 地址（段）中加入发送服务器的出口 IP",
            )
        return Refusal(
            f"机器人安全设置拒绝了消息（310000）：{message[:80]}",
            f"核对机器人安全设置与 channels.{channel} 的 secret、keyword",
        )
    if code in (300001, 300005, 400101):
        return Refusal(
            f"机器人的 access_token 无效（{code}）",
            f"在钉钉群的机器人设置中复制 Webhook 地址，改 channels.{channel}.url",
        )
    if code == 400102:
        return Refusal("机器人已停用（400102）", "在钉钉群设置中启用该机器人")
    if code == 460101:
        return Refusal(
            "消息超过了 20,000 字节（460101）", "请报告给 jianbao 的维护者（分段应已避免）"
        )
    return None


def _mobile(who: str) -> bool:
    """A mention that is a mobile number (``atMobiles``) rather than a userid."""
    return who.lstrip("+").isdigit()


class DingTalkChannel(RobotChannel):
    kind = "dingtalk"
    url_secret_name = "access_token"

    def _title(self, view: IssueView) -> str:
        return with_keyword(view_title(view), self.keyword)

    def _at(self, mentions: Sequence[str]) -> dict[str, Any]:
        mobiles = [m for m in mentions if _mobile(m)]
        ids = [m for m in mentions if not _mobile(m)]
        return {"atMobiles": mobiles, "atUserIds": ids, "isAtAll": False}

    def prepare(
        self, view: IssueView, files: Sequence[Path] = (), *, note: str = ""
    ) -> list[Message]:
        if self.message_type == "feedCard":
            return self.numbered(self._feed_cards(view, note))
        if self.message_type == "actionCard":
            return self.numbered(self._action_cards(view, note))
        return self.numbered(self._markdown(view, note))

    def _first_blocks(self, view: IssueView, note: str) -> list[str]:
        first = [f"> **{line}**" for line in note_lines(note)]
        mobiles = [m for m in self.config.mentions if _mobile(m)]
        if mobiles:
            first.append(" ".join(f"@{m}" for m in mobiles))
        if view.kind != "daily" and view.lead:
            first.append(f"> {view.lead}")
        return first

    def _item_blocks(self, view: IssueView) -> list[tuple[str, Any]]:
        out = []
        for category, item in item_groups(view):
            text = markdown_item(view, item)
            if category:
                text = f"**{category}**\n\n{text}"
            # an item too long for a card on its own is shortened, never split
            out.append((truncate_bytes(text, ACTION_CARD_ROOM), item))
        return out

    def _markdown(self, view: IssueView, note: str) -> list[tuple]:
        title = self._title(view)
        blocks = self._first_blocks(view, note) + [t for t, _ in self._item_blocks(view)]
        texts = split_parts(
            lambda i, n: f"#### {title}{part_marker(i, n)}",
            blocks,
            DINGTALK_MARKDOWN_LIMIT,
            joiner="\n\n",
        )
        out = []
        for i, text in enumerate(texts, 1):
            body: dict[str, Any] = {
                "msgtype": "markdown",
                "markdown": {"title": f"{title}{part_marker(i, len(texts))}", "text": text},
            }
            if i == 1 and self.config.mentions:
                body["at"] = self._at(self.config.mentions)
            out.append((body, text, ()))
        return out

    def _action_cards(self, view: IssueView, note: str) -> list[tuple]:
        title = self._title(view)
        groups = pack(
            self._item_blocks(view),
            size=lambda block: utf8_len(block[0]) + 2 + 2 * BUTTON_TITLE_LIMIT,
            room=ACTION_CARD_ROOM,
            max_count=ACTION_CARD_ITEMS,
        )
        out = []
        for i, group in enumerate(groups, 1):
            marker = part_marker(i, len(groups))
            lines = [f"#### {title}{marker}"]
            if i == 1:
                lines += self._first_blocks(view, note)
            lines += [text for text, _ in group]
            text = "\n\n".join(lines)
            buttons = [
                {
                    "title": truncate_bytes(f"{item.position}. {item.title}", BUTTON_TITLE_LIMIT),
                    "actionURL": safe_url(item.url),
                }
                for _, item in group
                if safe_url(item.url)
            ]
            card: dict[str, Any] = {"title": f"{title}{marker}", "text": text}
            card["btnOrientation"] = "0"
            card["btns"] = buttons
            out.append(({"msgtype": "actionCard", "actionCard": card}, text, ()))
        return out

    def _feed_cards(self, view: IssueView, note: str) -> list[tuple]:
        title = self._title(view)
        links = [
            {"title": f"{item.position}. {item.title}", "messageURL": item.url.strip()}
            for _, item in item_groups(view)
            if safe_url(item.url)
        ]
        groups = pack(links, max_count=FEED_CARD_LINKS)
        out = []
        for i, group in enumerate(groups, 1):
            group = [dict(link) for link in group]
            marker = part_marker(i, len(groups))
            if group:
                head = f"{title}{marker}"
                if i == 1 and note:
                    head = "｜".join([*note_lines(note), head])
                # the first link carries the title (and so the keyword) of the card
                group[0]["title"] = f"【{head}】{group[0]['title']}"
            for link in group:
                link["picURL"] = ""
            text = "\n".join(link["title"] for link in group)
            out.append(({"msgtype": "feedCard", "feedCard": {"links": group}}, text, ()))
        return out

    def prepare_notice(self, notice: Notice) -> list[Message]:
        title = with_keyword(notice.title, self.keyword)
        href = safe_url(notice.url)
        mentions = list(notice.mentions) or list(self.config.mentions)
        lines = [f"#### {title}", notice.text]
        if href:
            lines.append(f"[打开]({href})")
        mobiles = [m for m in mentions if _mobile(m)]
        if mobiles:
            lines.append(" ".join(f"@{m}" for m in mobiles))
        text = "\n\n".join(x for x in lines if x)
        if self.message_type == "actionCard" and href:
            body: dict[str, Any] = {
                "msgtype": "actionCard",
                "actionCard": {
                    "title": title,
                    "text": text,
                    "singleTitle": "打开",
                    "singleURL": href,
                },
            }
        else:
            body = {"msgtype": "markdown", "markdown": {"title": title, "text": text}}
        if mentions:
            body["at"] = self._at(mentions)
        return self.numbered([(body, text, ())])

    async def send(self, message: Message) -> SendResult:
        url = self.url
        if self.secret:
            url = signed_url(url, self.secret, int(self.clock() * 1000))
        try:
            answer = await self.client.post_json(url, message.body)
        except TransportError as exc:
            return transport_result(exc)
        return robot_result(
            answer,
            self.client,
            code_fields=("errcode",),
            message_fields=("errmsg",),
            rate_codes=RATE_CODES,
            rate_wait=RATE_WAIT,
            refusal=lambda code, msg: _refusal(code, msg, self.name),
        )
