"""Errors of every stage, in one place.

Each error carries the stage it came from, the item it concerns and a hint telling the
user how to fix it, so the CLI and the web UI can show one clear line instead of a
traceback, and a source's or an item's failure can be recorded on its row and never abort
a run (architecture rule 4).
"""

from __future__ import annotations

import errno
import unicodedata

#: how each stage is named to the user
STAGE_NAMES = {
    "jianbao": "简报",
    "config": "配置",
    "input": "输入",
    "store": "存储",
    "collect": "采集",
    "extract": "抽取",
    "judge": "研判",
    "editions": "编排",
    "render": "生成",
    "deliver": "推送",
}


class JianbaoError(Exception):
    """Base of every error jianbao raises on purpose.

    ``stage`` names the pipeline stage (collect, extract, judge, editions, render…),
    ``item`` the thing concerned (a URL, a source name, an issue), ``hint`` what to do.
    """

    stage = "jianbao"

    def __init__(self, message: str, *, item: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.item = item
        self.hint = hint

    def __str__(self) -> str:
        text = f"{STAGE_NAMES.get(self.stage, self.stage)}：{self.message}"
        if self.item:
            text += f"（{self.item}）"
        if self.hint:
            text += f"。{self.hint}"
        return text


#: the longest excerpt of outside text (a response, a parser's complaint) put in a message
EXCERPT_CHARS = 200

#: Unicode categories an excerpt drops: format characters (the bidi overrides and isolates
#: that reorder a terminal line, zero-width characters), surrogates, private use, unassigned
_DROPPED_CATEGORIES = frozenset({"Cf", "Cs", "Co", "Cn"})


def excerpt(data: bytes | str, limit: int = EXCERPT_CHARS) -> str:
    """A short, safe quotation of text that came from outside (a response body, a server's
    or a parser's message) for an error message, a log line or a table cell.

    A site controls those bytes: unquoted, kilobytes of them flood the source's row and the
    logs, escape sequences repaint the terminal, bidi overrides make a line read other than
    it is. The excerpt is one line of at most ``limit`` characters: control characters
    become spaces, format, private-use and unassigned characters are dropped, runs of white
    space shrink to one, and a cut text ends in "…".
    """
    if isinstance(data, bytes):
        raw = data[: limit * 4 + 4]  # enough bytes for ``limit`` characters in any encoding
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            # a multi-byte character cut at the end is not a reason to guess another codec
            if exc.start >= len(raw) - 3 and exc.reason == "unexpected end of data":
                text = raw[: exc.start].decode("utf-8")
            else:
                text = raw.decode("gb18030", errors="replace")
        cut = len(data) > len(raw)
    else:
        text = data[: limit * 4]
        cut = len(data) > len(text)
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if category == "Cc":
            kept.append(" ")
        elif category not in _DROPPED_CATEGORIES:
            kept.append(char)
    line = " ".join("".join(kept).split())
    if cut or len(line) > limit:
        return line[: max(limit - 1, 0)].rstrip() + "…"
    return line


class ConfigError(JianbaoError):
    """A setting or a configuration file is wrong."""

    stage = "config"


class NotConfigured(JianbaoError):
    """A component switches itself off because what it needs is not configured."""

    stage = "config"


class InputError(JianbaoError):
    """The user gave something jianbao cannot use (a bad date, an unknown id…)."""

    stage = "input"


class StoreError(JianbaoError):
    """The store cannot take the work: its disk is full, a statement ran out of time."""

    stage = "store"


def disk_full(exc: BaseException) -> StoreError | None:
    """The StoreError for a file left unwritten because its disk is full (ENOSPC), for the
    edges (the CLI, the scheduler) to show instead of an internal error; else None. The
    store's own full disk is named where it happens (``jianbao.db.failures``)."""
    if not isinstance(exc, OSError) or exc.errno != errno.ENOSPC:
        return None
    return StoreError(
        "磁盘已满，文件没有写完",
        item=str(exc.filename) if exc.filename else None,
        hint="腾出磁盘空间（用 df -h 查看哪个磁盘满了）后重新运行",
    )


class NotFound(JianbaoError):
    """A named record does not exist."""

    stage = "store"


class FetchError(JianbaoError):
    """A page or feed could not be fetched (network, HTTP status, limits, SSRF guard)."""

    stage = "collect"

    def __init__(
        self,
        message: str,
        *,
        item: str | None = None,
        hint: str | None = None,
        status: int | None = None,
        retryable: bool = False,
    ):
        super().__init__(message, item=item, hint=hint)
        self.status = status
        self.retryable = retryable


class AddressRefused(FetchError):
    """The SSRF guard refused to connect: the address is internal or reserved. Not bad
    input and not a site's failure: the workstation labels it as the security refusal
    it is, with the allowlist as the way out."""


class ParseError(JianbaoError):
    """A feed, listing or sitemap could not be read at all."""

    stage = "collect"


class ExtractError(JianbaoError):
    """A page gave no usable article (no body, not HTML, undecodable)."""

    stage = "extract"


class Drop(JianbaoError):
    """An item is deliberately dropped, with the reason recorded."""

    stage = "judge"

    def __init__(self, reason: str, *, item: str | None = None):
        super().__init__(reason, item=item)
        self.reason = reason


class TopicSyntaxError(JianbaoError):
    """A topic expression does not parse; ``position`` is the 0-based character offset."""

    stage = "judge"

    def __init__(self, message: str, *, expression: str, position: int):
        pointer = expression + "\n" + " " * position + "^"
        super().__init__(
            f"{message}（第 {position + 1} 个字符处）",
            item=pointer,
            hint='检查主题表达式：AND、OR、NOT、括号、"短语"、NEAR/n',
        )
        self.expression = expression
        self.position = position


class IssueError(JianbaoError):
    """An issue cannot be composed or changed as asked."""

    stage = "editions"


class IssueConflict(IssueError):
    """The issue changed under the request: another editor (another tab, a retried
    request, the scheduler's automatic send) published the draft first. The web answers
    409, not 400: nothing was wrong with what this editor asked, it was done already."""


class RenderError(JianbaoError):
    """An issue could not be rendered in a format."""

    stage = "render"


class DeliveryError(JianbaoError):
    """An issue could not be delivered to a channel."""

    stage = "deliver"
