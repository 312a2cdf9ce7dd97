"""What a source may hold: its kind, fetch mode, lengths and page count.

A source comes from a person (``sources add``, the workstation) or from a file someone
sent (``sources import``), and is then used by every collection cycle for months. Before
these checks a 2-million-character name was stored and a ``maxPages`` of 10^30 overflowed
the database column at insert; now each field is checked against the column it goes to
and against what collection can use, with an error naming the source and the field.
"""

from __future__ import annotations

from typing import get_args

from jianbao.errors import InputError
from jianbao.records import SourceKind, SourceSpec

KINDS: tuple[SourceKind, ...] = get_args(SourceKind)
RENDERS = ("http", "browser")
#: the longest name (the column is 200 characters; a name is shown in every list)
MAX_NAME = 200
#: the longest URL browsers and servers reliably accept
MAX_URL = 2048
#: the longest CSS selector for links on a listing page
MAX_SELECTOR = 500
#: the most listing pages one cycle follows for a source
MAX_PAGES = 50


def check_source_spec(spec: SourceSpec, where: str = "") -> None:
    """Raise InputError naming the field unless every field of ``spec`` is usable.

    ``where`` says which entry of a file it is (``第 3 个来源``), for imports.
    """
    label = where or "来源"
    item = spec.name[:60] or spec.url[:100] or None
    _check_text(spec.name, f"{label}的名称", MAX_NAME, item, required=True)
    _check_text(spec.url, f"{label}的地址", MAX_URL, item, required=True)
    if not spec.url.startswith(("http://", "https://")):
        raise InputError(
            f"{label}的地址须以 http:// 或 https:// 开头",
            item=spec.url[:100],
            hint="粘贴订阅源或页面的完整地址",
        )
    if spec.kind not in KINDS:
        raise InputError(
            (f"{where}：" if where else "") + f"未知的来源类型 {str(spec.kind)[:40]!r}",
            item=item,
            hint="可用类型：" + "、".join(KINDS),
        )
    if spec.render not in RENDERS:
        raise InputError(
            f"{label}的抓取方式无效：{str(spec.render)[:40]!r}",
            item=item,
            hint="可用 http 或 browser",
        )
    _check_text(spec.link_selector or "", f"{label}的链接选择器", MAX_SELECTOR, item)
    _check_text(spec.default_source_name or "", f"{label}的默认媒体名", MAX_NAME, item)
    pages = spec.max_pages
    if not isinstance(pages, int) or isinstance(pages, bool) or not 1 <= pages <= MAX_PAGES:
        raise InputError(
            f"{label}的翻页数无效：{str(pages)[:40]}",
            item=item,
            hint=f"翻页数（max_pages）须是 1 到 {MAX_PAGES} 之间的整数",
        )


def _check_text(
    value: str, what: str, limit: int, item: str | None, *, required: bool = False
) -> None:
    if not isinstance(value, str):
        raise InputError(f"{what}应是文字", item=item, hint="写成一行文字，不要写成列表或键值表")
    if required and not value.strip():
        raise InputError(f"{what}不能为空", item=item)
    if len(value) > limit:
        raise InputError(
            f"{what}过长：{len(value)} 个字符，上限 {limit} 个",
            item=item,
            hint="缩短后再添加",
        )
    if any(ord(char) < 32 or ord(char) == 127 for char in value):
        raise InputError(
            f"{what}含有控制字符（如换行）", item=item, hint="写在一行内，去掉换行与制表符"
        )
