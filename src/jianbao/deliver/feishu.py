"""Feishu / Lark custom bot (飞书自定义机器人).

One JSON message per request to ``…/open-apis/bot/v2/hook/TOKEN``; the answer is
``code`` 0 (older answers say ``StatusCode``) or the reason. Message types: ``post``
(rich text: a title and lines of ``text``/``a``/``at`` elements, the default) and
``interactive`` (a card with a header and a markdown element). A request body may
hold at most 20 KB.

Security settings, any of: **signing** (timestamp in *seconds*; the HMAC-SHA256 key is
``timestamp + "\\n" + secret`` over an empty message, Base64; ``timestamp`` and ``sign``
go in the JSON body; within an hour, else code 19021), **keyword** (code 19024 when
missing; jianbao puts it in each title) and an **IP allowlist** (19022). A bot takes 100
requests a minute and 5 a second; beyond, and at busy moments on the hour and half hour,
code 11232 (HTTP 429 with 99991400 on the open platform's gateway).

Documentation: open.feishu.cn/document/client-docs/bot-v3/add-custom-bot (自定义机器人
使用指南: 签名校验, 频率控制, 常见错误) and open.feishu.cn/document/server-docs/
api-call-guide/frequency-control.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from jianbao.deliver.base import Message, Notice, SendResult, note_lines
from jianbao.deliver.http import Refusal, TransportError, robot_result, transport_result
from jianbao.deliver.robot import RobotChannel, with_keyword
from jianbao.records import IssueView
from jianbao.render.chat import markdown_blocks, part_marker, split_parts, truncate_bytes
from jianbao.render.feishu import FEISHU_BODY_LIMIT, feishu_payloads
from jianbao.render.layout import safe_url, view_title

RATE_CODES = (11232, 99991400)
RATE_WAIT = 1.0
#: room kept in every body for the signature, the note and the keyword
_SIGNING_ROOM = 200
CARD_CONTENT_LIMIT = FEISHU_BODY_LIMIT - 2000


def sign(secret: str, timestamp: int) -> str:
    """Feishu's signature: Base64(HMAC-SHA256(key=f"{timestamp}\\n{secret}", msg=b""))."""
    key = f"{timestamp}\n{secret}".encode()
    return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()


def body_size(body: dict[str, Any]) -> int:
    return len(json.dumps(body, ensure_ascii=False).encode("utf-8"))


def _refusal(code: int, message: str, channel: str) -> Refusal | None:
    if code == 19021:
        return Refusal(
            "签名校验失败或时间戳不在一小时内（19021）",
            f"把机器人“签名校验”的密钥填入 channels.{channel}.secret_env 所指的环境变量，"
            "并校准本机时间",
        )
    if code == 19022:
        return Refusal(
            "本机出口 IP 不在机器人的 IP 白名单中（19022）",
            "在机器人安全设置的 IP 白名单中加入发送服务器的出口 IP",
        )
    if code == 19024:
        return Refusal(
            "消息不含机器人的自定义关键词（19024）",
            f"在 channels.{channel}.keyword 填写机器人安全设置里的一个关键词",
        )
    if code in (19001, 19002):
        return Refusal(
            f"机器人的 Webhook 地址无效（{code}）",
            f"在飞书群的机器人设置中复制 Webhook 地址，改 channels.{channel}.url",
        )
    if code == 9499:
        return Refusal(f"消息格式不被接受（9499）：{message[:80]}", "请报告给 jianbao 的维护者")
    return None


class FeishuChannel(RobotChannel):
    kind = "feishu"
    url_secret_name = "hook token"

    def prepare(
        self, view: IssueView, files: Sequence[Path] = (), *, note: str = ""
    ) -> list[Message]:
        if self.message_type == "interactive":
            return self.numbered(self._cards(view, note))
        return self.numbered(self._posts(view, note))

    def _posts(self, view: IssueView, note: str) -> list[tuple]:
        room = len(note.encode()) + len(self.keyword.encode()) + _SIGNING_ROOM
        payloads = feishu_payloads(view, FEISHU_BODY_LIMIT - room)
        out = []
        for i, payload in enumerate(payloads):
            post = payload["content"]["post"]["zh_cn"]
            post["title"] = with_keyword(post["title"], self.keyword)
            if i == 0 and note:
                for line in reversed(note_lines(note)):
                    post["content"].insert(0, [{"tag": "text", "text": line}])
            lines = [post["title"]] + [
                "".join(el.get("text", "") for el in line) for line in post["content"]
            ]
            out.append((payload, "\n".join(lines), ()))
        return out

    def _cards(self, view: IssueView, note: str) -> list[tuple]:
        title = with_keyword(view_title(view), self.keyword)
        _, blocks = markdown_blocks(view)
        if note:
            blocks.insert(0, "\n".join(f"**{line}**" for line in note_lines(note)) + "\n")
        # the card's header carries the title and （k/n）: the text needs no heading
        texts = split_parts(lambda i, n: "", blocks, CARD_CONTENT_LIMIT)
        out = []
        for i, text in enumerate(texts, 1):
            card = _card(f"{title}{part_marker(i, len(texts))}", text.lstrip("\n"))
            out.append((card, text, ()))
        return out

    def prepare_notice(self, notice: Notice) -> list[Message]:
        title = with_keyword(notice.title, self.keyword)
        href = safe_url(notice.url)
        mentions = list(notice.mentions) or list(self.config.mentions)
        if self.message_type == "interactive":
            text = notice.text + (f"\n[打开]({href})" if href else "")
            text += "".join(f" <at id={m}></at>" for m in mentions)
            return self.numbered([(_card(title, text), f"{title}\n{notice.text}", ())])
        line: list[dict[str, str]] = [{"tag": "text", "text": notice.text}]
        if href:
            line.append({"tag": "a", "text": " 打开", "href": href})
        line += [{"tag": "at", "user_id": m} for m in mentions]
        body = {
            "msg_type": "post",
            "content": {"post": {"zh_cn": {"title": title, "content": [line]}}},
        }
        return self.numbered([(body, f"{title}\n{notice.text}", ())])

    def signed(self, body: dict[str, Any]) -> dict[str, Any]:
        if not self.secret:
            return body
        timestamp = int(self.clock())
        return {"timestamp": str(timestamp), "sign": sign(self.secret, timestamp), **body}

    async def send(self, message: Message) -> SendResult:
        try:
            answer = await self.client.post_json(self.url, self.signed(message.body))
        except TransportError as exc:
            return transport_result(exc)
        return robot_result(
            answer,
            self.client,
            code_fields=("code", "StatusCode"),
            message_fields=("msg", "StatusMessage"),
            rate_codes=RATE_CODES,
            rate_wait=RATE_WAIT,
            refusal=lambda code, msg: _refusal(code, msg, self.name),
        )


def _card(title: str, markdown: str) -> dict[str, Any]:
    return {
        "msg_type": "interactive",
        "card": {
            "config": {"wide_screen_mode": True},
            "header": {
                "title": {"tag": "plain_text", "content": truncate_bytes(title, 300)},
                "template": "blue",
            },
            "elements": [{"tag": "markdown", "content": markdown}],
        },
    }
