"""Byline lines: 来源/作者/编辑/发布时间 read into fields, and told apart from sentences."""

from __future__ import annotations

import pytest

from jianbao.extract.byline import dateline_source, is_byline, read_byline


@pytest.mark.parametrize(
    ("line", "source", "author", "editor", "time"),
    [
        (
            "来源：国家卫生健康委  作者：张三  发布时间：2023-10-16 10:30  浏览次数：123",
            "国家卫生健康委",
            "张三",
            None,
            "2023-10-16 10:30",
        ),
        ("发布时间：2023-10-16 来源：健康报", "健康报", None, None, "2023-10-16"),
        ("2023-10-16 10:30 来源：新华网 作者：李四 王五", "新华网", "李四 王五", None, None),
        ("【责任编辑：王小明】", None, None, "王小明", None),
        ("编辑：张三", None, None, "张三", None),
        ("来源: 人民网-人民日报 | 2023年10月16日", "人民网-人民日报", None, None, None),
        ("記者：林小華／台北報導", None, "林小華", None, None),
        ("来源：中国新闻网 参与互动(0)", "中国新闻网", None, None, None),
    ],
)
def test_read_byline(
    line: str, source: str | None, author: str | None, editor: str | None, time: str | None
) -> None:
    found = read_byline(line)
    assert found.source == source
    assert found.author == author
    assert found.editor == editor
    assert found.published_text == time
    assert is_byline(line)


@pytest.mark.parametrize(
    "line",
    [
        "据国家统计局来源：数据显示，今年全国医疗卫生机构总诊疗人次达到了很多很多。",
        "会议指出，要加快推进医院信息化建设，来源：各地上报的数据表明进展明显。这是一句话。",
        "国家卫生健康委员会今天发布通知。",
    ],
)
def test_sentences_are_not_bylines(line: str) -> None:
    assert not is_byline(line)


def test_dateline_source() -> None:
    assert dateline_source("新华社北京10月16日电（记者张三）国家卫生健康委今天……") == "新华社"
    assert dateline_source("本报讯（记者王硕）昨天……") is None
    assert dateline_source("会议指出……") is None


def test_fields_printed_in_adjacent_spans_are_split() -> None:
    found = read_byline("来源：云州日报作者：云州日报记者 邓佳发布时间：2026-11-19 09:00")
    assert found.source == "云州日报"
    assert found.author == "云州日报记者 邓佳"
    assert found.published_text == "2026-11-19 09:00"


def test_an_unlabelled_reporter_credit_ends_the_source() -> None:
    found = read_byline("2026年11月18日 08:30 来源：青禾网 青禾网记者 马骁 字号：A+ A-")
    assert found.source == "青禾网"
