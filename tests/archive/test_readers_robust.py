"""Whatever bytes a back-issue file holds, reading it ends in lines or one clear
InputError (the importer then reports the file as failed and goes on)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianbao.archive.parse import parse_issues
from jianbao.archive.readers import html_lines, read_document
from jianbao.errors import InputError

FRAGMENTS = st.sampled_from(
    [
        "<h1>全国卫生信息化舆情监测周报</h1>",
        "<p>（第三〇一期）</p>",
        "<p>2023年10月27日</p>",
        "<h2>二、具体内容</h2>",
        "<h3>1. 标题：某医院上线</h3>",
        "<div>来源：健康报</div>",
        '<div>链接：<a href="https://a.example/1">https://a.example/1</a></div>',
        '<li>1. <a href="javascript:alert(1)">x</a>。摘要</li>',
        "<p>主要内容：</p>",
        "<!-- -->",
        "<script>1</script>",
        "<p>正文</p>",
        "</div></div>",
        "\x00\ufffd",
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(FRAGMENTS, max_size=25), st.binary(max_size=40))
def test_html_of_any_shape_gives_lines_or_a_clear_error(parts: list[str], noise: bytes) -> None:
    data = "".join(parts).encode("utf-8") + noise
    lines = html_lines(data)
    assert all(isinstance(line, str) for line in lines)
    try:
        parse_issues(lines)
    except InputError as exc:
        assert exc.hint


@pytest.mark.parametrize("suffix", [".docx", ".pdf", ".md", ".txt", ".html"])
@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=300))
def test_any_bytes_in_any_format_fail_clearly(suffix: str, data: bytes, tmp_path: Path) -> None:
    path = tmp_path / f"x{suffix}"
    path.write_bytes(data)
    try:
        parse_issues(read_document(path))
    except InputError as exc:
        assert exc.message and exc.hint
