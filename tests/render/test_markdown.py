"""Markdown parsed back and compared with the IssueView."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from jianbao.records import IssueView
from jianbao.render.markdown import render_daily_week_markdown, render_markdown

_UNESCAPE = re.compile(r"\\(.)")


def unescape(text: str) -> str:
    return _UNESCAPE.sub(r"\1", text)


def test_weekly_layout_and_sections_agree(weekly: IssueView) -> None:
    text = render_markdown(weekly)
    lines = text.splitlines()
    assert lines[0] == "# 全国卫生信息化舆情监测周报"
    assert "（第五四六期）" in lines
    assert "北京市卫生健康大数据与政策研究中心" in lines
    assert "2023年10月20日" in lines
    order = [text.index(h) for h in ("## 本期导语：", "## 一、信息目录", "## 二、具体内容")]
    assert order == sorted(order)
    assert weekly.lead in text
    toc_part = text.split("## 一、信息目录")[1].split("## 二、具体内容")[0]
    toc = re.findall(r"^(\d+)\. \[(.*)（(.*)）\]\(#item-(\d+)\)$", toc_part, re.M)
    content = re.findall(r"^### (\d+)\. 标题：(.*) <a id=\"item-(\d+)\"></a>$", text, re.M)
    assert [unescape(t) for _, t, _, _ in toc] == [i.title for i in weekly.items]
    assert [unescape(s) for _, _, s, _ in toc] == [i.source for i in weekly.items]
    assert [unescape(t) for _, t, _ in content] == [i.title for i in weekly.items]
    assert [int(n) for n, _, _, _ in toc] == list(range(1, len(weekly.items) + 1))
    assert [a for *_, a in toc] == [a for *_, a in content]
    assert text.count("来源：") == len(weekly.items)
    assert "日期：2023-10-14" in text
    assert "链接：<https://news.example.cn/a/1.html?x=1&y=2>" in text
    assert text.count("主要内容：") == len(weekly.items)


def test_markup_in_titles_is_escaped(weekly: IssueView) -> None:
    text = render_markdown(weekly)
    assert "<script>" not in text
    assert r"\<script\>" in text
    assert r"\[链接\]" in text


def test_daily_layout(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("daily", 3)
    text = render_markdown(view)
    lines = text.splitlines()
    assert lines[0] == "# 2020年7月16日（周四）今日入伏"
    items = [line for line in lines if re.match(r"^\d+\. ", line)]
    assert len(items) == 3
    assert items[0].startswith(
        "1. [衡水“1+2+2+6+4”智慧医疗架构建设内容基本完成](<https://news.example.cn/a/1.html"
    )
    assert ")。摘要" in items[0]  # 。 between a title without end punctuation and its summary
    assert "！](" not in items[1] or ")摘要" in items[1]


def test_daily_categories(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("daily", 4, categories=["国家政策", "卫生健康信息化"])
    text = render_markdown(view)
    assert text.index("**国家政策**") < text.index("**卫生健康信息化**")
    numbers = re.findall(r"^(\d+)\. ", text, re.M)
    assert numbers == ["1", "2", "3", "4"]


def test_unsafe_link_is_not_linked(view_factory: Callable[..., IssueView]) -> None:
    view = view_factory("daily", 1)
    view.items[0].url = "javascript:alert(1)"
    text = render_markdown(view)
    assert "javascript:" not in text


WEEK_TITLES = [
    "国家卫生健康委印发电子病历评级标准",
    "上海互联网医院接入医保在线支付",
    "浙江发布健康医疗大数据开放目录",
    "四川试点人工智能辅助影像诊断",
    "广东推进县域医共体信息平台建设",
    "山东开展医疗数据安全专项检查",
    "江苏上线全省统一预约挂号服务",
    "湖北建成区域检查检验结果互认平台",
    "河南部署家庭医生签约移动应用",
    "福建推广电子健康卡跨省使用",
    "北京规范医疗机构网络安全等级保护",
    "重庆启动智慧医院评审工作",
]


def test_a_duty_week_newest_first(view_factory: Callable[..., IssueView], tmp_path: Path) -> None:
    from datetime import date

    from jianbao.editions.check import check_file, format_findings
    from jianbao.editions.compose import build_issue_view

    days = []
    for day in [date(2020, 7, 13), date(2020, 7, 16), date(2020, 7, 14)]:
        base = view_factory("daily", 3)
        for n, item in enumerate(base.items):
            item.title = WEEK_TITLES[(day.day * 3 + n) % len(WEEK_TITLES)]
            item.url += f"&d={day.day}"
        days.append(
            build_issue_view(
                "daily",
                publication_title="每日学习播报",
                issue_date=day,
                number=None,
                items=base.items,
                publisher="",
                topic_phrase="",
                scope="",
            )
        )
    text = render_daily_week_markdown(days)
    headings = re.findall(r"^## (.*)$", text, re.M)
    assert headings == [
        "2020年7月16日（周四）今日入伏",
        "2020年7月14日（周二）",
        "2020年7月13日（周一）",
    ]
    path = tmp_path / "week.md"
    path.write_text(text, encoding="utf-8")
    findings = check_file(path)
    assert findings == [], format_findings(findings)
    # the same story on two days of the week is found
    days[0].items[0].title = days[1].items[1].title
    path.write_text(render_daily_week_markdown(days), encoding="utf-8")
    found = [f for f in check_file(path) if f.rule == "duplicate"]
    assert [(f.where, f.item) for f in found] == [("2020年7月13日（周一）", 1)]
