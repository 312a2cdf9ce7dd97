"""Optional summaries from an OpenAI-compatible chat endpoint, with the extractive fallback.

Some editors want summaries rewritten rather than extracted. Any provider or local server
that speaks the chat-completions protocol (``POST {url}/chat/completions``) can write them:
it is used only when configured (URL, model, key), each call has a timeout, and whenever
the call fails, times out or returns something unusable (empty, too long, not text) the
offline extractive summary is used instead, so a summary is always there. The key is sent
in the Authorization header and never logged or put in an error message.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from jianbao.judge.summary import clean_paragraphs, summarize

#: characters of the article sent to the endpoint
INPUT_CHARS = 3000

PROMPT = (
    "你是《全国卫生信息化舆情监测周报》的编辑。请用一到两句中文概括下面这篇新闻的要点"
    "（谁、做了什么；政策文件写明对谁提出了什么要求），不超过{max_chars}个字，"
    "只输出摘要本身，不要加标题、引号或说明。"
)


@dataclass(frozen=True)
class ChatEndpoint:
    """Where and how to ask: ``url`` is the API base (``…/v1``)."""

    url: str
    model: str
    key: str | None = None
    timeout: float = 20.0

    def __repr__(self) -> str:  # never show the key
        return f"ChatEndpoint(url={self.url!r}, model={self.model!r}, timeout={self.timeout})"


class ChatError(Exception):
    """The endpoint could not give a usable summary (the reason, without secrets)."""


def chat_summary(endpoint: ChatEndpoint, title: str, paragraphs: list[str], max_chars: int) -> str:
    """Ask the endpoint for a summary; raises ChatError when it gives none that fits."""
    text = "\n".join(clean_paragraphs(title, paragraphs))[:INPUT_CHARS]
    payload = {
        "model": endpoint.model,
        "messages": [
            {"role": "system", "content": PROMPT.format(max_chars=max_chars)},
            {"role": "user", "content": f"标题：{title}\n正文：\n{text}"},
        ],
        "temperature": 0.2,
    }
    request = urllib.request.Request(
        endpoint.url.rstrip("/") + "/chat/completions",
        data=json.dumps(payload, ensure_ascii=False).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    if endpoint.key:
        request.add_header("Authorization", f"Bearer {endpoint.key}")
    try:
        with urllib.request.urlopen(request, timeout=endpoint.timeout) as response:
            answer = json.loads(response.read(1_000_000).decode("utf-8"))
    except urllib.error.HTTPError as exc:
        raise ChatError(f"摘要服务返回 HTTP {exc.code}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise ChatError(f"无法连接摘要服务：{type(exc).__name__}") from None
    except (ValueError, UnicodeDecodeError):
        raise ChatError("摘要服务的回答不是 JSON") from None
    try:
        content = answer["choices"][0]["message"]["content"]
    except (KeyError, IndexError, TypeError):
        raise ChatError("摘要服务的回答缺少 choices[0].message.content") from None
    if not isinstance(content, str):
        raise ChatError("摘要服务的回答不是文本")
    summary = " ".join(content.split()).strip("“”\"' ")
    if not summary:
        raise ChatError("摘要服务给出了空摘要")
    if len(summary) > max_chars:
        raise ChatError(f"摘要服务给出的摘要超过 {max_chars} 字")
    return summary


def summarize_with_fallback(
    endpoint: ChatEndpoint | None,
    title: str,
    paragraphs: list[str],
    max_chars: int = 120,
    *,
    policy: bool = False,
) -> tuple[str, str]:
    """(summary, how): "llm" when the endpoint gave one, else "extractive"."""
    if endpoint is not None:
        try:
            return chat_summary(endpoint, title, paragraphs, max_chars), "llm"
        except ChatError:
            pass
    return summarize(title, paragraphs, max_chars, policy=policy), "extractive"
