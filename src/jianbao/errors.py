"""Errors of every stage, in one place.

Each error carries the stage it came from, the item it concerns and a hint telling the
user how to fix it, so the CLI and the web UI can show one clear line instead of a
traceback, and a source's or an item's failure can be recorded on its row and never abort
a run (architecture rule 4).
"""

from __future__ import annotations

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


class ConfigError(JianbaoError):
    """A setting or a configuration file is wrong."""

    stage = "config"


class NotConfigured(JianbaoError):
    """A component switches itself off because what it needs is not configured."""

    stage = "config"


class InputError(JianbaoError):
    """The user gave something jianbao cannot use (a bad date, an unknown id…)."""

    stage = "input"


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


class RenderError(JianbaoError):
    """An issue could not be rendered in a format."""

    stage = "render"


class DeliveryError(JianbaoError):
    """An issue could not be delivered to a channel."""

    stage = "deliver"
