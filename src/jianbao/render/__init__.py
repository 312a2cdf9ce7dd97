"""Renderers: one per output format, all drawing the same IssueView.

``FORMATS`` maps a format name to its Renderer (file suffix and a function writing the
file), in the manner of scrapy's exporters: one small class per format, one registry.
``render(view, fmt, out_dir)`` writes one file and returns its path; ``render_many``
writes a publication's formats together (what publishing does). Heavy libraries
(python-docx, Jinja2) are imported only when their format is written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from jianbao.errors import NotConfigured, RenderError
from jianbao.records import IssueView
from jianbao.render.layout import file_stem
from jianbao.render.style import DocxStyle


@dataclass(frozen=True, slots=True)
class RenderOptions:
    """Settings some formats take: Word typography, LibreOffice's path, chat limits."""

    docx_style: DocxStyle = field(default_factory=DocxStyle)
    soffice: str | None = None


Writer = Callable[[IssueView, Path, RenderOptions], Path]


@dataclass(frozen=True, slots=True)
class Renderer:
    """A format: its name, file suffix, what it is, and how to write it."""

    name: str
    suffix: str
    description: str
    write: Writer

    def path_for(self, view: IssueView, out_dir: Path) -> Path:
        return out_dir / f"{file_stem(view)}{self.suffix}"


def _text(make: Callable[[IssueView], str]) -> Writer:
    def write(view: IssueView, path: Path, options: RenderOptions) -> Path:
        path.write_text(make(view), encoding="utf-8")
        return path

    return write


def _request_bodies(make: Callable[[IssueView], list[dict[str, object]]]) -> Writer:
    """A chat robot's messages as JSON Lines: one request body per line, each line the
    very bytes delivery POSTs to the robot's webhook (``json.dumps(body,
    ensure_ascii=False)``, UTF-8) for one part of the issue, in sending order. No webhook
    takes an array of bodies, so the file is not one JSON document."""

    def write(view: IssueView, path: Path, options: RenderOptions) -> Path:
        lines = [json.dumps(body, ensure_ascii=False) for body in make(view)]
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        return path

    return write


def _markdown(view: IssueView) -> str:
    from jianbao.render.markdown import render_markdown

    return render_markdown(view)


def _html(view: IssueView) -> str:
    from jianbao.render.html import render_html

    return render_html(view)


def _txt(view: IssueView) -> str:
    from jianbao.render.chat import render_chat_text

    return render_chat_text(view)


def _wecom(view: IssueView) -> list[dict[str, object]]:
    from jianbao.render.chat import wecom_payloads

    return wecom_payloads(view)


def _dingtalk(view: IssueView) -> list[dict[str, object]]:
    from jianbao.render.dingtalk import dingtalk_payloads

    return dingtalk_payloads(view)


def _feishu(view: IssueView) -> list[dict[str, object]]:
    from jianbao.render.feishu import FEISHU_BODY_LIMIT, SIGNING_ROOM, feishu_payloads

    return feishu_payloads(view, FEISHU_BODY_LIMIT - SIGNING_ROOM)


def _docx(view: IssueView, path: Path, options: RenderOptions) -> Path:
    from jianbao.render.docx import render_docx

    return render_docx(view, path, options.docx_style)


def _pdf(view: IssueView, path: Path, options: RenderOptions) -> Path:
    from jianbao.render.pdf import render_pdf

    return render_pdf(view, path, soffice=options.soffice, style=options.docx_style)


FORMATS: dict[str, Renderer] = {
    r.name: r
    for r in (
        Renderer("docx", ".docx", "Word 文档", _docx),
        Renderer("pdf", ".pdf", "PDF（经 LibreOffice）", _pdf),
        Renderer("md", ".md", "Markdown", _text(_markdown)),
        Renderer("html", ".html", "网页（单文件）", _text(_html)),
        Renderer("txt", ".txt", "纯文本（微信群）", _text(_txt)),
        Renderer(
            "wecom",
            ".wecom.jsonl",
            "企业微信群机器人消息（每行一条请求）",
            _request_bodies(_wecom),
        ),
        Renderer(
            "dingtalk",
            ".dingtalk.jsonl",
            "钉钉群机器人消息（每行一条请求）",
            _request_bodies(_dingtalk),
        ),
        Renderer(
            "feishu",
            ".feishu.jsonl",
            "飞书群机器人消息（每行一条请求）",
            _request_bodies(_feishu),
        ),
    )
}

ALIASES = {
    "markdown": "md",
    "word": "docx",
    "text": "txt",
    "chat": "txt",
    "htm": "html",
    "wechat": "txt",
    "lark": "feishu",
    "dingding": "dingtalk",
}


def available_formats(options: RenderOptions | None = None) -> list[str]:
    """The formats that can be written on this machine (PDF needs LibreOffice)."""
    from jianbao.render.pdf import find_soffice

    names = list(FORMATS)
    try:
        find_soffice(options.soffice if options else None)
    except NotConfigured:
        names.remove("pdf")
    return names


def get_renderer(fmt: str) -> Renderer:
    name = fmt.strip().lower().lstrip(".")
    name = ALIASES.get(name, name)
    if name not in FORMATS:
        raise RenderError(
            f"不支持的输出格式 {fmt!r}",
            item=fmt,
            hint="可用格式：" + ", ".join(FORMATS),
        )
    return FORMATS[name]


def render(view: IssueView, fmt: str, out_dir: Path, options: RenderOptions | None = None) -> Path:
    """Write ``view`` in format ``fmt`` into ``out_dir``; return the file's path."""
    renderer = get_renderer(fmt)
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(
            f"无法创建输出目录：{exc.strerror or exc}", item=str(out_dir), hint="换一个可写的目录"
        ) from exc
    path = renderer.path_for(view, out_dir)
    try:
        return renderer.write(view, path, options or RenderOptions())
    except (RenderError, NotConfigured):
        raise
    except OSError as exc:
        raise RenderError(
            f"无法写入 {renderer.description}：{exc.strerror or exc}",
            item=str(path),
            hint="检查输出目录是否可写",
        ) from exc


def render_many(
    view: IssueView,
    formats: Iterable[str],
    out_dir: Path,
    options: RenderOptions | None = None,
) -> list[Path]:
    """Write several formats (each once, in the order given); the paths written.

    When both Word and PDF are asked for, the PDF is converted from the Word file just
    written instead of building the document twice.
    """
    names = list(dict.fromkeys(get_renderer(f).name for f in formats))
    options = options or RenderOptions()
    written: dict[str, Path] = {}
    if "pdf" in names and "docx" in names:
        from jianbao.render.pdf import docx_to_pdf, find_soffice

        find_soffice(options.soffice)
        written["docx"] = render(view, "docx", out_dir, options)
        written["pdf"] = docx_to_pdf(
            written["docx"], out_dir, soffice=options.soffice, style=options.docx_style
        )
    for name in names:
        if name not in written:
            written[name] = render(view, name, out_dir, options)
    return [written[name] for name in names]


__all__ = [
    "ALIASES",
    "FORMATS",
    "DocxStyle",
    "RenderOptions",
    "Renderer",
    "available_formats",
    "get_renderer",
    "render",
    "render_many",
]
