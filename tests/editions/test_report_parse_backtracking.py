"""Regression tests for issue 14, item 4 (the report reader's part): ``issue check`` on
a hand-made report must take time in proportion to the file.

Patterns led by ``\\s*`` were searched again from every character of a long run of
spaces, and Markdown link and tag patterns ran to the end of the line from every ``[``
or ``<``: 20,000 ``[`` took 24 s, 20,000 ``<http://`` 52 s. Each probe runs in a child
killed after its bound, so a regression fails instead of hanging; hypothesis feeds the
reader lines built from the same tricky pieces, each input under its own deadline.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.editions.report_parse import markdown_lines, parse_report
from jianbao.testing import within_seconds

N = 50_000
SPACES = " " * N
BOUND = 3.0


def _markdown(text: str) -> int:
    return len(markdown_lines(text))


def _report(*lines: str) -> int:
    doc = parse_report(list(lines))
    return len(doc.toc) + len(doc.items) + len(doc.days)


PROBES: dict[str, tuple[Callable[..., int], tuple[str, ...]]] = {
    "anchor after spaces": (_markdown, ("标题" + SPACES + "正文",)),
    "unclosed link labels": (_markdown, ("[" * N,)),
    "unclosed link targets": (_markdown, ("[a](" * N,)),
    "a link target without its end": (_markdown, ("[a](" + "x" * N + " " + "y" * N,)),
    "unclosed tags": (_markdown, ("<a" * N,)),
    "unclosed autolinks": (_markdown, ("<http://" * N,)),
    "an issue number after spaces": (_report, ("（" + SPACES + "x", "标题")),
    "a toc line with spaces": (_report, ("一、信息目录", "1. 标题" + SPACES + "x")),
    "a toc continuation with spaces": (_report, ("一、信息目录", "1. 标题", "续" + SPACES + "x")),
    "a daily item with spaces": (_report, ("2024年1月1日（周一）", "1. 标题" + SPACES + "x")),
    "a rule of stars": (_report, ("*" + " *" * N + "x",)),
}


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_a_hostile_line_is_read_in_linear_time(probe: str) -> None:
    function, args = PROBES[probe]
    within_seconds(BOUND, function, *args)


def test_links_and_marks_are_still_read() -> None:
    lines = markdown_lines(
        "## 标题 {#top}\n"
        '1. [医保新政](https://a.example/1 "说明") 与 [旧闻][r] <b>加粗</b>\n'
        "见 <https://b.example/2>\n"
        "[r]: https://c.example/3\n"
    )
    assert lines == [
        "标题",
        "1. 医保新政 <https://a.example/1> 与 旧闻 <https://c.example/3> 加粗",
        "见 https://b.example/2",
    ]


def test_toc_sources_and_numbers_are_still_read() -> None:
    doc = parse_report(
        [
            "卫生健康信息周报",
            "（第 547 期）",
            "一、信息目录",
            "1. 全省推进电子病历   （健康报）",
            "2. 标题折行的",
            "第二行   （人民网）",
        ]
    )
    assert doc.number == 547
    assert [(e.title, e.source) for e in doc.toc] == [
        ("全省推进电子病历", "健康报"),
        ("标题折行的第二行", "人民网"),
    ]


_PIECES = [
    " ",
    "   ",
    "\u3000",
    "\t",
    "[",
    "]",
    "(",
    ")",
    "（",
    "）",
    "<",
    ">",
    "<a",
    "<http://",
    "https://x.example/a",
    "{#",
    "}",
    "#",
    "*",
    "**",
    "-",
    "_",
    "\\",
    "第",
    "期",
    "十二",
    "2024",
    "年",
    "月",
    "日",
    "1.",
    "、",
    "：",
    "来源",
    "链接",
    "主要内容",
    "一、信息目录",
    "二、具体内容",
    "本期导语",
    "（周一）",
    "【国家政策】",
    "标题",
    "\n",
]
_LINE = st.lists(st.sampled_from(_PIECES), max_size=60).map("".join)
#: long lines made of few pieces repeated: the shape that found the quadratic patterns
_RUNS = st.lists(
    st.tuples(st.sampled_from(_PIECES), st.integers(min_value=1, max_value=3000)).map(
        lambda pair: pair[0] * pair[1]
    ),
    min_size=1,
    max_size=4,
).map("".join)


@settings(max_examples=200, deadline=timedelta(milliseconds=300))
@given(st.lists(_LINE, max_size=30))
def test_any_report_is_read_without_error(lines: list[str]) -> None:
    parse_report(lines)
    parse_report(markdown_lines("\n".join(lines)))


@settings(
    max_examples=100,
    deadline=timedelta(milliseconds=500),
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(_RUNS, min_size=1, max_size=6))
def test_long_runs_are_read_in_bounded_time(lines: list[str]) -> None:
    started = time.perf_counter()
    text = "\n".join(lines)
    parse_report(markdown_lines(text))
    parse_report(text.splitlines())
    assert time.perf_counter() - started < 0.5
