"""The audit of extract/ for issue 14, item 4: page text reaches its patterns in linear time.

The byline reader's trailing separators ``[…]+$`` were searched again from every one of
a long run ("来源：健康报（ （ （ …": 7 s for 40,000 characters); they are now stripped
in one pass; the date cut from a value ran from every "2020-" of a run ending in a line
break (5 s for 100,000 characters). Three more patterns are quadratic on their own: the
title splitter's ``\\s*``-led separators, the space-beside-punctuation rule and the
year-month line;
each is reached only behind a guard: white space is collapsed before the title is split
and before the punctuation rule, and a year-month line is at most 30 characters. These
probes keep those guards: remove one and its probe fails (in a child killed after its
bound) instead of a page stalling a cycle.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from jianbao.extract.byline import read_byline
from jianbao.extract.cleanup import normalize_text
from jianbao.extract.dates import year_month_line
from jianbao.extract.page import find_title, parse_html
from jianbao.testing import within_seconds

N = 50_000


def _title(page: str) -> str:
    tree = parse_html(page)
    assert tree is not None
    return find_title(tree, None)[0]


def _byline_source(text: str) -> str | None:
    return read_byline(text).source


PROBES: dict[str, tuple[Callable[[str], object], str]] = {
    "a title of spaces": (_title, "<title>新闻" + " " * N + "x</title>"),
    "a title of spaced dashes": (_title, "<title>" + "- " * N + "</title>"),
    "a source ending in separators": (_byline_source, "来源：健康报" + "丨 " * N + "x"),
    "a source ending in brackets": (_byline_source, "来源：健康报" + "（ " * N + "x"),
    "a source of dates before a line break": (_byline_source, "来源：健康报" + "2020-" * N + "\nx"),
    "a source of spaces": (_byline_source, "来源：" + " " * N + "健康报"),
    "spaces before punctuation": (normalize_text, "会议" + " " * N + "x"),
    "a long year-month line": (year_month_line, " " * N + "2024年5月"),
}


@pytest.mark.parametrize("probe", sorted(PROBES))
def test_page_text_is_read_in_linear_time(probe: str) -> None:
    function, text = PROBES[probe]
    within_seconds(3.0, function, text)


def test_what_the_patterns_read_is_unchanged() -> None:
    assert read_byline("来源：健康报 丨 ").source == "健康报"
    assert read_byline("来源：健康报 2023-10-16 09:30").source == "健康报"
    assert _title("<title>全省推进电子病历  _  新闻中心_某某网</title>") == "全省推进电子病历"
    assert normalize_text("会议   。 召开") == "会议。召开"
