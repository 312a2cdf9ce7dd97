"""How much one page may cost to extract: its markup, its elements and its CPU time.

Extraction walks every element several times (our blocks, the density method,
trafilatura's cleaning), about 15 µs per element each; a page of 10 MB of ``<br>`` cost
minutes of CPU and stalled a collection cycle. The limits below are far above any news
page (of the 270 pages in the extraction evaluation the largest holds 366,000
characters and 7,800 elements, and the slowest takes a fraction of a second), so a page
beyond them is no article: it fails alone, with an ExtractError that says which limit it
crossed, and the cycle goes on. The CPU time is checked between the stages, so a page
costs at most the budget and one stage (about 1.5 s at the element limit).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from lxml import etree

from jianbao.errors import ExtractError

#: the most characters of decoded markup handed to the parsers
MAX_MARKUP_CHARS = 4_000_000
#: the most elements a parsed page may have
MAX_ELEMENTS = 30_000
#: the most CPU seconds one page may take (checked between the stages)
MAX_CPU_SECONDS = 3.0


@dataclass
class ExtractBudget:
    """The limits for one page, and the CPU clock it is measured with (injectable for
    tests; the thread's own CPU time, so waiting for a core costs nothing)."""

    max_chars: int = MAX_MARKUP_CHARS
    max_elements: int = MAX_ELEMENTS
    cpu_seconds: float = MAX_CPU_SECONDS
    clock: Callable[[], float] = time.thread_time
    _started: float | None = field(default=None, init=False, repr=False)

    def start(self) -> ExtractBudget:
        """This budget with its clock started now (extraction of one page begins)."""
        self._started = self.clock()
        return self

    def check_markup(self, text: str, url: str) -> None:
        if len(text) > self.max_chars:
            raise ExtractError(
                f"页面过大：{len(text)} 个字符，上限 {self.max_chars} 个，未提取",
                item=url,
                hint="这不像一篇文章（可能是数据文件或异常页面）；检查来源的链接选择",
            )

    def check_elements(self, tree: etree._Element, url: str) -> None:
        for count, _ in enumerate(tree.iter(), start=1):
            if count > self.max_elements:
                raise ExtractError(
                    f"页面元素过多：超过 {self.max_elements} 个，未提取",
                    item=url,
                    hint="这不像一篇文章（可能是异常或恶意页面）；检查来源的链接选择",
                )

    def used(self) -> float:
        """CPU seconds spent on the page since ``start``."""
        if self._started is None:
            self.start()
        assert self._started is not None
        return self.clock() - self._started

    def check_time(self, stage: str, url: str) -> None:
        """Raise ExtractError once the page has used up its CPU time (``stage``: what
        was just done, for the message)."""
        used = self.used()
        if used > self.cpu_seconds:
            raise ExtractError(
                f"提取超时：{stage}后已用 {used:.1f} 秒 CPU，上限 {self.cpu_seconds:g} 秒",
                item=url,
                hint="页面结构异常复杂；若是正常文章，请为该网站添加站点规则",
            )
