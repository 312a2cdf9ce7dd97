"""Loopback fakes of the group-robot platforms and a generic webhook receiver.

Each fake is a real HTTP server on 127.0.0.1 in a thread that checks what the platform
checks, as its public documentation describes it, and answers the platform's own codes
(HTTP 200 with a non-zero ``errcode``/``code``): a fake that accepted anything would
prove nothing. Written from:

- WeCom group robot: developer.work.weixin.qq.com/document/path/91770 (群机器人配置说明:
  message types and byte limits, upload_media with the multipart field ``media``, 20
  messages a minute) and /document/path/90455 (全局错误码: 93000 invalid webhook url,
  45009 api freq out of limit, 40007 invalid media_id, 40006 invalid file size, 40008
  invalid message type). Content over a type's limit: 40058 (the fake's choice of the
  documented "invalid parameter" family).
- DingTalk custom robot: open.dingtalk.com/document/orgapp/custom-robot-access (安全设置:
  keyword, signing with a millisecond timestamp within one hour, IP allowlist — each
  refused as 310000 with the reason in ``errmsg``; 20 messages a minute, then 130101
  "send too fast, exceed 20 times per minute" and the robot blocked for ten minutes) and
  /document/orgapp/custom-bot-send-message-type (markdown, actionCard, feedCard); a body
  over 20,000 bytes: 460101; an unknown token: 300001.
- Feishu custom bot: open.feishu.cn/document/client-docs/bot-v3/add-custom-bot (签名校验
  with a seconds timestamp, 19021 "sign match fail or timestamp is not within one hour";
  19024 Key Words Not Found; 19022 Ip Not Allowed; 100 requests a minute and 5 a second,
  11232 beyond; bodies ≤ 20 KB; 19001 for an unknown hook) and the message formats
  (post, interactive).

The API the delivery tests (and the delivery-log tests) use: ``start()``/``stop()`` (or
``with``), ``.url`` (the full webhook address), ``.accepted`` (bodies the platform took,
in order), ``.requests`` (everything received, with the answer given), ``.clock`` (a
``FakeClock``: real time unless a test freezes or moves it), the platform's security
settings as constructor arguments, ``fail_nth(n, …)`` and ``delay_nth(n, seconds)`` (the
server underneath is in fake_server.py).
"""

from __future__ import annotations

import base64
import email.parser
import email.policy
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any, ClassVar

from deliver.fake_server import FakeClock, FakeServer, Received, Window, strings, utf8_len

__all__ = [
    "FakeClock",
    "FakeDingTalk",
    "FakeFeishu",
    "FakeServer",
    "FakeWeCom",
    "FakeWebhook",
    "Received",
]


# -- WeCom -----------------------------------------------------------------------------------


class FakeWeCom(FakeServer):
    """企业微信群机器人: ``/cgi-bin/webhook/send`` and ``/cgi-bin/webhook/upload_media``."""

    LIMITS: ClassVar[dict[str, int]] = {"text": 2048, "markdown": 4096, "markdown_v2": 4096}

    def __init__(self, *, key: str = "wecom-key-0123456789", per_minute: int = 20, **kw: Any):
        super().__init__(**kw)
        self.key = key
        self.window = Window(per_minute, 60.0)
        #: media_id → (file name, bytes) of the uploads
        self.uploads: dict[str, tuple[str, bytes]] = {}

    @property
    def url(self) -> str:
        return f"{self.base}/cgi-bin/webhook/send?key={self.key}"

    @staticmethod
    def _err(code: int, message: str) -> tuple[int, Any, None]:
        return 200, {"errcode": code, "errmsg": message}, None

    def handle(self, r: Received) -> tuple[int, Any, Any]:
        if r.query.get("key") != self.key:
            return self._err(93000, "invalid webhook url, hint: [fake]")
        if r.path == "/cgi-bin/webhook/upload_media":
            return self._upload(r)
        if r.path != "/cgi-bin/webhook/send":
            return 404, {"errcode": 404, "errmsg": "not found"}, None
        now = self.clock()
        # 20 messages a minute, failures included
        if self.window.full(now):
            self.window.times.append(now)
            return self._err(45009, "api freq out of limit")
        self.window.times.append(now)
        body = r.json
        if not isinstance(body, dict):
            return self._err(40035, "invalid parameter: not json")
        problem = self._check(body)
        if problem:
            return self._err(*problem)
        return 200, {"errcode": 0, "errmsg": "ok"}, body

    def _check(self, body: dict[str, Any]) -> tuple[int, str] | None:
        msgtype = body.get("msgtype")
        if msgtype in self.LIMITS:
            content = (body.get(msgtype) or {}).get("content")
            if not isinstance(content, str) or not content:
                return 44004, "empty content"
            if utf8_len(content) > self.LIMITS[msgtype]:
                return 40058, f"{msgtype}.content exceed max length {self.LIMITS[msgtype]}"
            if msgtype == "text":
                for name in ("mentioned_list", "mentioned_mobile_list"):
                    value = body["text"].get(name, [])
                    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                        return 40035, f"invalid {name}"
            return None
        if msgtype == "news":
            articles = (body.get("news") or {}).get("articles")
            if not isinstance(articles, list) or not 1 <= len(articles) <= 8:
                return 40058, "news.articles size must be 1-8"
            for article in articles:
                title = article.get("title")
                if not isinstance(title, str) or not title or utf8_len(title) > 128:
                    return 40058, "news.articles.title invalid, max 128 bytes"
                if utf8_len(article.get("description", "")) > 512:
                    return 40058, "news.articles.description exceed max length 512"
                if not str(article.get("url", "")).startswith(("http://", "https://")):
                    return 40058, "news.articles.url invalid"
            return None
        if msgtype == "file":
            media_id = (body.get("file") or {}).get("media_id")
            if media_id not in self.uploads:
                return 40007, "invalid media_id"
            return None
        return 40008, "invalid message type"

    def _upload(self, r: Received) -> tuple[int, Any, Any]:
        if r.query.get("type") != "file":
            return self._err(40005, "invalid media type")
        ctype = r.headers.get("Content-Type", "")
        if not ctype.startswith("multipart/form-data"):
            return self._err(40035, "invalid parameter: not multipart")
        message = email.parser.BytesParser(policy=email.policy.default).parsebytes(
            f"Content-Type: {ctype}\r\n\r\n".encode() + r.body
        )
        for part in message.iter_parts():
            if part.get_param("name", header="content-disposition") != "media":
                continue
            filename = part.get_filename()
            data = part.get_payload(decode=True) or b""
            if not filename:
                return self._err(40035, "invalid parameter: filename missing")
            if not 5 <= len(data) <= 20 * 1024 * 1024:
                return self._err(40006, "invalid file size")
            media_id = f"media-{len(self.uploads) + 1}"
            self.uploads[media_id] = (filename, data)
            answer = {
                "errcode": 0,
                "errmsg": "ok",
                "type": "file",
                "media_id": media_id,
                "created_at": str(int(self.clock())),
            }
            return 200, answer, None
        return self._err(40035, "invalid parameter: field media missing")


# -- DingTalk --------------------------------------------------------------------------------


class FakeDingTalk(FakeServer):
    """钉钉自定义机器人: ``/robot/send?access_token=…[&timestamp=…&sign=…]``."""

    BODY_LIMIT = 20_000
    BLOCK_SECONDS = 600.0

    def __init__(
        self,
        *,
        token: str = "dingtalk-token-0123456789",
        secret: str = "",
        keywords: Iterable[str] = (),
        per_minute: int = 20,
        **kw: Any,
    ):
        super().__init__(**kw)
        self.token = token
        self.secret = secret
        self.keywords = list(keywords)
        self.window = Window(per_minute, 60.0)
        self.blocked_until = 0.0

    @property
    def url(self) -> str:
        return f"{self.base}/robot/send?access_token={self.token}"

    @staticmethod
    def _err(code: int, message: str) -> tuple[int, Any, None]:
        return 200, {"errcode": code, "errmsg": message}, None

    def expected_sign(self, timestamp: str) -> str:
        digest = hmac.new(
            self.secret.encode(), f"{timestamp}\n{self.secret}".encode(), hashlib.sha256
        ).digest()
        return base64.b64encode(digest).decode()

    def handle(self, r: Received) -> tuple[int, Any, Any]:
        if r.path != "/robot/send" or r.query.get("access_token") != self.token:
            return self._err(300001, "token is not exist")
        now = self.clock()
        if now < self.blocked_until:
            return self._err(130101, "send too fast, exceed 20 times per minute")
        if self.window.full(now):
            self.blocked_until = now + self.BLOCK_SECONDS
            return self._err(130101, "send too fast, exceed 20 times per minute")
        self.window.times.append(now)
        if self.secret:
            timestamp = r.query.get("timestamp", "")
            if not timestamp.isdigit() or abs(now * 1000 - int(timestamp)) > 3_600_000:
                return self._err(310000, "invalid timestamp")
            if not hmac.compare_digest(r.query.get("sign", ""), self.expected_sign(timestamp)):
                return self._err(310000, "sign not match")
        if len(r.body) > self.BODY_LIMIT:
            return self._err(460101, "message too long, exceed 20000 bytes")
        body = r.json
        if not isinstance(body, dict):
            return self._err(40035, "缺少参数 json")
        problem = self._check(body)
        if problem:
            return self._err(40035, problem)
        if self.keywords:
            text = "\n".join(strings({k: v for k, v in body.items() if k != "at"}))
            if not any(word in text for word in self.keywords):
                return self._err(310000, "keywords not in content")
        return 200, {"errcode": 0, "errmsg": "ok"}, body

    @staticmethod
    def _check(body: dict[str, Any]) -> str | None:
        msgtype = body.get("msgtype")
        content = body.get(msgtype) if isinstance(msgtype, str) else None
        if not isinstance(content, dict):
            return "缺少参数 msgtype 或消息内容"
        if msgtype == "text":
            return None if content.get("content") else "缺少参数 text.content"
        if msgtype == "markdown":
            if not content.get("title") or not content.get("text"):
                return "缺少参数 markdown.title 或 markdown.text"
            return None
        if msgtype == "actionCard":
            if not content.get("title") or not content.get("text"):
                return "缺少参数 actionCard.title 或 actionCard.text"
            if content.get("singleTitle") and content.get("singleURL"):
                return None
            buttons = content.get("btns")
            if not isinstance(buttons, list) or not buttons:
                return "缺少参数 singleURL 或 btns"
            if not all(b.get("title") and b.get("actionURL") for b in buttons):
                return "btns 缺少 title 或 actionURL"
            return None
        if msgtype == "feedCard":
            links = content.get("links")
            if not isinstance(links, list) or not links:
                return "缺少参数 feedCard.links"
            if not all(link.get("title") and link.get("messageURL") for link in links):
                return "links 缺少 title 或 messageURL"
            return None
        if msgtype == "link":
            return None if content.get("messageUrl") else "缺少参数 link.messageUrl"
        return "不支持的消息类型"


# -- Feishu ----------------------------------------------------------------------------------


class FakeFeishu(FakeServer):
    """飞书自定义机器人: ``/open-apis/bot/v2/hook/TOKEN``."""

    BODY_LIMIT = 20 * 1024
    busy = (200, {"code": 9499, "msg": "internal error", "data": {}})

    def __init__(
        self,
        *,
        token: str = "feishu-hook-0123456789",
        secret: str = "",
        keywords: Iterable[str] = (),
        per_minute: int = 100,
        per_second: int = 5,
        **kw: Any,
    ):
        super().__init__(**kw)
        self.token = token
        self.secret = secret
        self.keywords = list(keywords)
        self.windows = [Window(per_minute, 60.0), Window(per_second, 1.0)]

    @property
    def url(self) -> str:
        return f"{self.base}/open-apis/bot/v2/hook/{self.token}"

    @staticmethod
    def _err(code: int, message: str) -> tuple[int, Any, None]:
        return 200, {"code": code, "msg": message, "data": {}}, None

    def expected_sign(self, timestamp: str) -> str:
        key = f"{timestamp}\n{self.secret}".encode()
        return base64.b64encode(hmac.new(key, b"", hashlib.sha256).digest()).decode()

    def handle(self, r: Received) -> tuple[int, Any, Any]:
        if r.path != f"/open-apis/bot/v2/hook/{self.token}":
            return self._err(19001, "param invalid: incoming webhook access token invalid")
        now = self.clock()
        if any(w.full(now) for w in self.windows):
            return self._err(11232, "frequency limited psm[lark.oapi.app_platform_runtime]")
        for window in self.windows:
            window.times.append(now)
        if len(r.body) > self.BODY_LIMIT:
            return self._err(9499, "Bad Request: request body too large")
        body = r.json
        if not isinstance(body, dict):
            return self._err(9499, "Bad Request")
        if self.secret:
            timestamp = str(body.get("timestamp", ""))
            sign = str(body.get("sign", ""))
            fresh = timestamp.isdigit() and abs(now - int(timestamp)) <= 3600
            if not fresh or not hmac.compare_digest(sign, self.expected_sign(timestamp)):
                return self._err(
                    19021, "sign match fail or timestamp is not within one hour from current time"
                )
        problem = self._check(body)
        if problem:
            return self._err(9499, f"Bad Request: {problem}")
        if self.keywords:
            text = "\n".join(strings(body.get("content") or body.get("card") or {}))
            if not any(word in text for word in self.keywords):
                return self._err(19024, "Key Words Not Found")
        return 200, {"code": 0, "msg": "success", "data": {}}, body

    @staticmethod
    def _check(body: dict[str, Any]) -> str | None:
        kind = body.get("msg_type")
        if kind == "text":
            return None if (body.get("content") or {}).get("text") else "content.text missing"
        if kind == "post":
            post = (body.get("content") or {}).get("post")
            if not isinstance(post, dict) or not post:
                return "content.post missing"
            for language in post.values():
                lines = language.get("content")
                if not isinstance(language.get("title", ""), str) or not isinstance(lines, list):
                    return "post needs title and content"
                for line in lines:
                    if not isinstance(line, list):
                        return "post content is a list of paragraphs"
                    for element in line:
                        tag = element.get("tag")
                        if tag == "text" and isinstance(element.get("text"), str):
                            continue
                        if tag == "a" and element.get("text") and element.get("href"):
                            continue
                        if tag == "at" and element.get("user_id"):
                            continue
                        return f"bad post element {element!r}"[:120]
            return None
        if kind == "interactive":
            card = body.get("card")
            if not isinstance(card, dict) or not (card.get("elements") or card.get("header")):
                return "card missing"
            return None
        return "unknown msg_type"


# -- a generic webhook receiver --------------------------------------------------------------


class FakeWebhook(FakeServer):
    """Any service that takes jianbao's JSON and checks its signature header, written
    from jianbao's README (Delivery channels, webhook): HMAC-SHA256 over
    ``"{timestamp}." + body`` in ``X-Jianbao-Signature``, the time in
    ``X-Jianbao-Timestamp``, refused (401) beyond five minutes."""

    busy = (503, {"error": "unavailable"})

    def __init__(self, *, secret: str = "", path: str = "/hooks/jianbao", **kw: Any):
        super().__init__(**kw)
        self.secret = secret
        self.path = path

    @property
    def url(self) -> str:
        return self.base + self.path

    def handle(self, r: Received) -> tuple[int, Any, Any]:
        if r.path != self.path:
            return 404, {"error": "not found"}, None
        if self.secret:
            timestamp = r.headers.get("X-Jianbao-Timestamp", "")
            given = r.headers.get("X-Jianbao-Signature", "")
            if not timestamp.isdigit() or abs(self.clock() - int(timestamp)) > 300:
                return 401, {"error": "stale or missing timestamp"}, None
            mac = hmac.new(self.secret.encode(), timestamp.encode() + b"." + r.body, hashlib.sha256)
            if not hmac.compare_digest(given, "sha256=" + mac.hexdigest()):
                return 401, {"error": "bad signature"}, None
        body = r.json
        if not isinstance(body, dict):
            return 400, {"error": "not json"}, None
        return 200, {"ok": True}, body
