"""extract_article on hostile input: it returns an Article or raises ExtractError, nothing else."""

from __future__ import annotations

import contextlib

from hypothesis import given, settings
from hypothesis import strategies as st

from jianbao.errors import ExtractError
from jianbao.extract import extract_article

FRAGMENTS = st.sampled_from(
    [
        "<p>",
        "</p>",
        "<div class='content'>",
        "</div>",
        "<a href='/x'>",
        "</a>",
        "<br>",
        "<script>var ct = '1697423400';</script>",
        "<h1>标题</h1>",
        "来源：健康报",
        "发布时间：2023-10-16",
        "国家卫生健康委员会发布通知，要求加快推进信息化建设。",
        "<!-- comment -->",
        "<?xml version='1.0' encoding='gbk'?>",
        "<meta charset='gb2312'>",
        "<table><tr><td>",
        "</td></tr></table>",
        "\x00",
        "&nbsp;",
    ]
)


@settings(max_examples=30, deadline=None)
@given(st.lists(FRAGMENTS, max_size=40), st.sampled_from(["utf-8", "gb18030"]))
def test_never_crashes_on_tag_soup(parts: list[str], encoding: str) -> None:
    body = "".join(parts).encode(encoding, errors="replace")
    try:
        article = extract_article(body, "http://example.com/a.html")
    except ExtractError:
        return
    assert article.paragraphs
    assert all(p.strip() for p in article.paragraphs)


@settings(max_examples=25, deadline=None)
@given(st.binary(max_size=2000))
def test_never_crashes_on_random_bytes(body: bytes) -> None:
    with contextlib.suppress(ExtractError):
        extract_article(body, "http://example.com/a.html", {"Content-Type": "text/html"})
