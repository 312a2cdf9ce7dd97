"""Regression tests for issue 14, item 5: extraction has a budget per page.

A page of 10 MB of ``<br>`` cost minutes of CPU (about 16 s per MB) and stalled the
cycle. Each page is now bounded in markup, elements and CPU time (``extract/budget.py``)
and fails alone with an ExtractError naming the limit. Run in a killable child with a
time bound, so a regression fails instead of hanging.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from jianbao.errors import ExtractError
from jianbao.extract import extract_article
from jianbao.extract.budget import MAX_ELEMENTS, MAX_MARKUP_CHARS, ExtractBudget
from jianbao.testing import ChildRaised, within_seconds

FIXTURES = Path(__file__).parent / "fixtures"
URL = "http://budget.test/a.html"


def _page(filler: str, count: int) -> bytes:
    return (
        "<html><head><title>一则消息</title></head><body><h1>一则消息</h1>"
        "<p>本报讯，省卫生健康委今天召开会议，部署全省医疗卫生信息化工作。</p>"
        + filler * count
        + "</body></html>"
    ).encode()


def _refusal(body: bytes, seconds: float = 5.0) -> ChildRaised:
    with pytest.raises(ChildRaised) as caught:
        within_seconds(seconds, extract_article, body, URL)
    return caught.value


def test_ten_megabytes_of_br_fail_at_once() -> None:
    body = _page("<br>", 10 * 1024 * 1024 // 4)
    refused = _refusal(body)
    assert refused.kind == "ExtractError"
    chars = len(body.decode())
    assert f"页面过大：{chars} 个字符，上限 {MAX_MARKUP_CHARS} 个，未提取" in refused.message
    assert URL in refused.message
    assert refused.elapsed < 3.0


def test_a_megabyte_of_br_under_the_size_limit_fails_on_its_elements() -> None:
    """262,144 elements: 16 s of CPU before."""
    refused = _refusal(_page("<br>", 1024 * 1024 // 4))
    assert refused.kind == "ExtractError"
    assert f"页面元素过多：超过 {MAX_ELEMENTS} 个，未提取" in refused.message
    assert refused.elapsed < 3.0


def test_a_page_over_its_cpu_time_fails_between_stages() -> None:
    """20,000 short paragraphs are under both size limits but cost seconds: the real
    thread clock stops them at the budget (0.2 s here) plus one stage."""
    body = _page("<p>段落文字内容。</p>", 20_000)
    with pytest.raises(ChildRaised) as caught:
        within_seconds(10.0, _extract_with, body, 0.2)
    assert caught.value.kind == "ExtractError"
    assert "提取超时：" in caught.value.message and "上限 0.2 秒" in caught.value.message


def _extract_with(body: bytes, seconds: float) -> str:
    return extract_article(body, URL, budget=ExtractBudget(cpu_seconds=seconds)).title


class _Clock:
    """A CPU clock that advances one second each time it is read."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        self.now += 1.0
        return self.now


def test_the_message_names_the_stage_and_the_time_used() -> None:
    body = (FIXTURES / "gov_notice.html").read_bytes()
    with pytest.raises(ExtractError) as caught:
        extract_article(body, URL, budget=ExtractBudget(cpu_seconds=1.5, clock=_Clock()))
    assert caught.value.message == "提取超时：选取正文后已用 2.0 秒 CPU，上限 1.5 秒"
    assert caught.value.item == URL
    assert caught.value.hint == "页面结构异常复杂；若是正常文章，请为该网站添加站点规则"


@pytest.fixture(params=sorted(FIXTURES.glob("*.html")), ids=lambda p: p.stem)
def fixture_page(request: pytest.FixtureRequest) -> Iterator[Path]:
    yield request.param


def test_every_fixture_page_is_within_the_default_budget(fixture_page: Path) -> None:
    expected = json.loads(fixture_page.with_suffix(".expected.json").read_text("utf-8"))
    budget = ExtractBudget()
    article = extract_article(fixture_page.read_bytes(), expected["url"], budget=budget)
    assert article.title == expected["title"]
    assert budget.used() < budget.cpu_seconds / 10
