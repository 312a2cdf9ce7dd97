"""WeCom group robot (企业微信群机器人).

One JSON message per request to ``…/cgi-bin/webhook/send?key=KEY``; the answer is HTTP
200 with ``errcode`` 0 or the reason. Message types: ``markdown`` (the default, 4,096
bytes, titles linked, ``<@userid>`` mentions), ``markdown_v2`` (4,096 bytes, headings
and lists, no mentions), ``text`` (2,048 bytes, links on their own lines, mentions by
userid or mobile), ``news`` (1–8 linked cards; title 128 bytes, description 512; an
issue with an item without a link goes as markdown instead) and ``file``: the file is
uploaded first (``upload_media``, multipart field ``media``, at most 20 MB) and the
returned ``media_id`` sent in a ``file`` message. Every robot takes
20 messages a minute (errcode 45009 beyond); a wrong key is 93000.

Documentation: developer.work.weixin.qq.com/document/path/91770 (群机器人配置说明) and
/document/path/90455 (全局错误码).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from jianbao.deliver.base import (
    Message,
    Notice,
    SendResult,
    attached,
    note_line,
    note_lines,
    refused,
)
from jianbao.deliver.http import Refusal, TransportError, robot_result, transport_result
from jianbao.deliver.robot import MAX_FILE_BYTES, RobotChannel, item_groups, pack
from jianbao.records import IssueView
from jianbao.render.chat import (
    WECOM_MARKDOWN_LIMIT,
    markdown_blocks,
    part_marker,
    split_parts,
    truncate_bytes,
)
from jianbao.render.layout import safe_url, view_title

TEXT_LIMIT = 2048
NEWS_MAX_ARTICLES = 8
NEWS_TITLE_LIMIT = 128
NEWS_DESCRIPTION_LIMIT = 512
#: errcode of "api freq out of limit"; WeCom names no wait, the window is a minute
RATE_CODES = (45009,)
RATE_WAIT = 60.0
_MOBILE = re.compile(r"^\+?\d{6,15}$")


def _refusal(code: int, message: str, channel: str) -> Refusal | None:
    setting = f"channels.{channel}.url"
    if code == 93000:
        return Refusal(
            "机器人的 key 无效（93000），机器人可能已被移出群或删除",
            f"在企业微信群的机器人详情中复制 Webhook 地址，改 {setting}",
        )
    if code in (40058, 44004, 45002, 40008, 301002):
        return Refusal(
            f"消息格式或长度不被接受（{code}）：{message[:80]}",
            f"换一种消息类型试试（channels.{channel}.message_type），并报告给维护者",
        )
    if code == 40007:
        return Refusal("文件的 media_id 无效或已过期（40007）", "重发该部分会重新上传文件")
    if code == 40006:
        return Refusal(
            "文件大小不被接受（40006）：须在 5 字节到 20 MB 之间",
            f"检查发布的文件，或从 channels.{channel}.attach 去掉该类文件",
        )
    if code in (60020, 93004):
        return Refusal(
            f"本机 IP 不在企业微信允许的范围内（{code}）",
            "在企业微信管理后台把发送服务器的出口 IP 加入可信 IP",
        )
    return None


def _mobile(who: str) -> bool:
    return bool(_MOBILE.match(who))


class WeComChannel(RobotChannel):
    kind = "wecom"
    signs = False

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        # the robot key may live in the environment (secret_env) rather than in the URL
        parts = urlsplit(self.url)
        query = parse_qsl(parts.query)
        if self.secret and not any(k == "key" for k, _ in query):
            query.append(("key", self.secret))
            self.url = urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))

    # -- prepare ---------------------------------------------------------------------

    def prepare(
        self, view: IssueView, files: Sequence[Path] = (), *, note: str = ""
    ) -> list[Message]:
        kind = self.message_type
        if kind == "news":
            parts = self._news(view, note)
        elif kind == "text":
            parts = self._text(view, note)
        else:
            parts = self._markdown(view, note, v2=kind == "markdown_v2")
        for file in attached(files, self.config.attach):
            parts.append(
                ({"msgtype": "file", "file": {"media_id": ""}}, f"文件 {file.name}", (file,))
            )
        return self.numbered(parts)

    def _markdown(self, view: IssueView, note: str, *, v2: bool) -> list[tuple]:
        title, blocks = markdown_blocks(view)
        first: list[str] = []
        for line in note_lines(note):
            first.append(f"> {line}" if v2 else f'> <font color="warning">{line}</font>')
        mentions = [m for m in self.config.mentions if not _mobile(m)]
        if mentions and not v2:
            first.append(" ".join(f"<@{m}>" for m in mentions))
        if v2:
            header = lambda i, n: f"# {title}{part_marker(i, n)}"  # noqa: E731
            msgtype = "markdown_v2"
        else:
            header = lambda i, n: f"**{title}**{part_marker(i, n)}"  # noqa: E731
            msgtype = "markdown"
        contents = split_parts(header, first + blocks, WECOM_MARKDOWN_LIMIT)
        return [({"msgtype": msgtype, msgtype: {"content": c}}, c, ()) for c in contents]

    def _text_blocks(self, view: IssueView) -> list[str]:
        blocks = []
        for category, item in item_groups(view):
            lines = [f"【{category}】"] if category else []
            heading = f"{item.position}. {item.title}"
            if view.kind != "daily" and item.source:
                heading += f"（{item.source}）"
            lines.append(heading)
            if safe_url(item.url):
                lines.append(item.url)
            if view.kind == "daily" and item.summary:
                lines.append(item.summary)
            blocks.append("\n".join(lines))
        return blocks

    @staticmethod
    def _mention_fields(mentions: Sequence[str]) -> dict[str, list[str]]:
        """A text message's mention fields: userids and mobiles, each only when given."""
        ids = [m for m in mentions if not _mobile(m)]
        mobiles = [m for m in mentions if _mobile(m)]
        fields: dict[str, list[str]] = {}
        if ids:
            fields["mentioned_list"] = ids
        if mobiles:
            fields["mentioned_mobile_list"] = mobiles
        return fields

    def _text(self, view: IssueView, note: str) -> list[tuple]:
        title = view_title(view)
        first = [note_line(note)] if note else []
        if view.kind != "daily" and view.lead:
            first.append(view.lead)
        contents = split_parts(
            lambda i, n: f"{title}{part_marker(i, n)}",
            first + self._text_blocks(view),
            TEXT_LIMIT,
            joiner="\n\n",
        )
        out = []
        for i, content in enumerate(contents):
            text: dict[str, Any] = {"content": content}
            if i == 0:
                text.update(self._mention_fields(self.config.mentions))
            out.append(({"msgtype": "text", "text": text}, content, ()))
        return out

    def _news(self, view: IssueView, note: str) -> list[tuple]:
        """Cards, one an item, when every item has a link; else the issue as markdown.

        A card is a link (delivery.md: 1–8 articles, each with its url), so an item without
        one has no card, and leaving it out would drop it silently and leave a gap in the
        numbering the group reads (publications.md: items numbered from 1 with no gap, in
        order). Cards for some items and a text part for the rest would put them out of
        order; markdown — the robots' form in publications.md, the title itself the link —
        carries every item in order, linked where it can be."""
        items = [item for _category, item in item_groups(view)]
        hrefs = [href for item in items if (href := safe_url(item.url))]
        if not items or len(hrefs) < len(items):
            return self._markdown(view, note, v2=False)
        articles: list[dict[str, str]] = []
        for item, href in zip(items, hrefs, strict=True):
            description = item.summary if view.kind == "daily" else item.source
            articles.append(
                {
                    "title": truncate_bytes(f"{item.position}. {item.title}", NEWS_TITLE_LIMIT),
                    "description": truncate_bytes(description or "", NEWS_DESCRIPTION_LIMIT),
                    "url": href,
                }
            )
        groups = pack(articles, max_count=NEWS_MAX_ARTICLES)
        if note and groups[0]:
            head = groups[0][0]
            head["description"] = truncate_bytes(
                "　".join([*note_lines(note), head["description"]]), NEWS_DESCRIPTION_LIMIT
            )
        title = view_title(view)
        out = []
        for i, group in enumerate(groups, 1):
            text = f"{title}{part_marker(i, len(groups))}\n" + "\n".join(a["title"] for a in group)
            out.append(({"msgtype": "news", "news": {"articles": group}}, text, ()))
        return out

    def prepare_notice(self, notice: Notice) -> list[Message]:
        kind = self.message_type
        if kind == "news" and safe_url(notice.url):
            body: dict[str, Any] = {
                "msgtype": "news",
                "news": {
                    "articles": [
                        {
                            "title": truncate_bytes(notice.title, NEWS_TITLE_LIMIT),
                            "description": truncate_bytes(notice.text, NEWS_DESCRIPTION_LIMIT),
                            "url": notice.url,
                        }
                    ]
                },
            }
            return self.numbered([(body, f"{notice.title}\n{notice.text}", ())])
        mentions = list(notice.mentions) or list(self.config.mentions)
        if kind in ("text", "news"):
            lines = [notice.title, notice.text, notice.url]
            content = truncate_bytes("\n".join(x for x in lines if x), TEXT_LIMIT)
            text: dict[str, Any] = {"content": content, **self._mention_fields(mentions)}
            return self.numbered([({"msgtype": "text", "text": text}, content, ())])
        v2 = kind == "markdown_v2"
        lines = [f"# {notice.title}" if v2 else f"**{notice.title}**", notice.text]
        href = safe_url(notice.url)
        if href:
            lines.append(f"[打开]({href})")
        if not v2:
            lines += [" ".join(f"<@{m}>" for m in mentions if not _mobile(m))]
        content = truncate_bytes("\n".join(x for x in lines if x), WECOM_MARKDOWN_LIMIT)
        return self.numbered([({"msgtype": kind, kind: {"content": content}}, content, ())])

    # -- send ------------------------------------------------------------------------

    def upload_url(self) -> str:
        """``…/webhook/upload_media?key=KEY&type=file`` beside the send address."""
        parts = urlsplit(self.url)
        path = parts.path.rsplit("/", 1)[0] + "/upload_media"
        query = [(k, v) for k, v in parse_qsl(parts.query) if k != "type"] + [("type", "file")]
        return urlunsplit((parts.scheme, parts.netloc, path, urlencode(query), ""))

    async def send(self, message: Message) -> SendResult:
        body = message.body
        try:
            if body.get("msgtype") == "file":
                media_id = await self._upload(message.files[0] if message.files else None)
                if isinstance(media_id, SendResult):
                    return media_id
                body = {"msgtype": "file", "file": {"media_id": media_id}}
            answer = await self.client.post_json(self.url, body)
        except TransportError as exc:
            return transport_result(exc)
        return self._result(answer)

    def _result(self, answer: Any) -> SendResult:
        return robot_result(
            answer,
            self.client,
            code_fields=("errcode",),
            message_fields=("errmsg",),
            rate_codes=RATE_CODES,
            rate_wait=RATE_WAIT,
            refusal=lambda code, msg: _refusal(code, msg, self.name),
        )

    def _upload_lost(self, what: str) -> SendResult:
        error = refused(
            f"{what}，稍后自动重试（上传不会发到群里）",
            channel=self.name,
            hint="一直失败时检查网络和代理",
        )
        return SendResult(ok=False, retryable=True, error=str(error))

    async def _upload(self, path: Path | None) -> str | SendResult:
        if path is None or not path.is_file():
            return SendResult(
                ok=False,
                error=str(
                    refused(
                        f"要发送的文件不存在：{path.name if path else '（无）'}",
                        channel=self.name,
                        hint="先发布该期（jianbao issue publish），生成 Word/PDF 文件",
                    )
                ),
            )
        size = path.stat().st_size
        if size > MAX_FILE_BYTES or size < 5:
            return SendResult(
                ok=False,
                error=str(
                    refused(
                        f"文件 {path.name} 大小为 {size} 字节，企业微信只接受 5 字节到 20 MB",
                        channel=self.name,
                        hint=f"从 channels.{self.name}.attach 去掉该类文件",
                    )
                ),
            )
        try:
            answer = await self.client.post_file(self.upload_url(), "media", path)
        except TransportError as exc:
            # an upload posts nothing to the group: one lost on the way is simply retried
            if not exc.unconfirmed:
                return SendResult(ok=False, retryable=exc.retryable, error=str(exc))
            return self._upload_lost(f"{path.name} 上传后没有应答")
        result = self._result(answer)
        if result.unconfirmed:  # the same for a 5xx answer to the upload
            return self._upload_lost(f"{path.name} 上传时平台出错")
        if not result.ok:
            return result
        media_id = answer.field("media_id")
        if not media_id:
            return SendResult(ok=False, answer=result.answer, error="上传文件后没有得到 media_id")
        return str(media_id)
