"""A generic webhook: the issue as JSON, signed, for anything jianbao has no module for.

The body is one JSON object: ``{"event": "issue", "part": 1, "total": 1, "note": …,
"issue": {…the IssueView…}, "files": [names]}`` or ``{"event": "notice", "title", "text",
"url"}``. With a ``secret`` each request carries

- ``X-Jianbao-Timestamp``: the time of sending, seconds since the epoch;
- ``X-Jianbao-Signature``: ``sha256=`` + hex HMAC-SHA256, keyed with the secret, over
  ``"{timestamp}." + the raw body bytes``.

A receiver verifies by recomputing the HMAC over the bytes it received, comparing in
constant time, and refusing a timestamp more than five minutes from its clock (a
replayed request). Any 2xx answer is success; 429 and 503 are retried; another 5xx is
unconfirmed (the receiver may have acted on it: not retried); other answers are refusals.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date, datetime
from pathlib import Path
from typing import Any

from jianbao.deliver.base import Message, Notice, SendResult, excerpt, note_line, refused
from jianbao.deliver.http import NOT_TAKEN, TransportError, server_error, transport_result
from jianbao.deliver.robot import RobotChannel
from jianbao.records import IssueView
from jianbao.render.layout import view_title

TIMESTAMP_HEADER = "X-Jianbao-Timestamp"
SIGNATURE_HEADER = "X-Jianbao-Signature"
#: how far a receiver should accept a timestamp from its own clock
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``sha256=<hex>``: HMAC-SHA256 keyed with ``secret`` over ``b"{timestamp}." + body``."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, given: str, now: float) -> bool:
    """What a receiver checks: the signature and that the timestamp is recent."""
    try:
        stamp = int(timestamp)
    except ValueError:
        return False
    if abs(now - stamp) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, stamp, body), given)


def _plain(value: Any) -> Any:
    if isinstance(value, date | datetime):
        return value.isoformat()
    raise TypeError(type(value).__name__)


def view_json(view: IssueView) -> dict[str, Any]:
    """The IssueView as JSON-ready data (dates as ISO strings)."""
    data: dict[str, Any] = json.loads(json.dumps(asdict(view), default=_plain))
    return data


class WebhookChannel(RobotChannel):
    kind = "webhook"

    def prepare(
        self, view: IssueView, files: Sequence[Path] = (), *, note: str = ""
    ) -> list[Message]:
        body = {
            "event": "issue",
            "title": view_title(view),
            "note": note_line(note),
            "issue": view_json(view),
            "files": [Path(str(f)).name for f in files],
        }
        return self.numbered([(body, view_title(view), ())])

    def prepare_notice(self, notice: Notice) -> list[Message]:
        body = {
            "event": "notice",
            "title": notice.title,
            "text": notice.text,
            "url": notice.url,
            "mentions": list(notice.mentions),
        }
        return self.numbered([(body, f"{notice.title}\n{notice.text}", ())])

    async def send(self, message: Message) -> SendResult:
        body = {**message.body, "part": message.part, "total": message.total}
        raw = json.dumps(body, ensure_ascii=False).encode("utf-8")
        headers = {"Content-Type": "application/json; charset=utf-8"}
        if self.secret:
            timestamp = int(self.clock())
            headers[TIMESTAMP_HEADER] = str(timestamp)
            headers[SIGNATURE_HEADER] = signature(self.secret, timestamp, raw)
        try:
            answer = await self.client.post(self.url, data=raw, headers=headers)
        except TransportError as exc:
            return transport_result(exc)
        shown = excerpt(answer.text, self.client.secrets)
        if 200 <= answer.status < 300:
            return SendResult(ok=True, answer=shown or f"HTTP {answer.status}")
        if answer.status in NOT_TAKEN:
            return SendResult(
                ok=False,
                answer=shown,
                retryable=True,
                error=f"接收方暂时不可用（HTTP {answer.status}），稍后重试",
            )
        if answer.status >= 500:  # it may have acted on it: unconfirmed, not retried
            return server_error(answer.status, shown, self.name)
        hint = f"检查 channels.{self.name}.url"
        if answer.status in (401, 403):
            hint = (
                f"核对接收方的密钥与 channels.{self.name}.secret_env（签名头 {SIGNATURE_HEADER}）"
            )
        error = refused(f"接收方拒绝了请求（HTTP {answer.status}）", channel=self.name, hint=hint)
        return SendResult(ok=False, answer=shown, error=str(error))
