"""The demo content: enough articles, outlets, kinds, dates and republications."""

from __future__ import annotations

from collections import Counter
from datetime import date

from jianbao.demo.content import (
    DEMO_ISSUE_DATE,
    DEMO_WEEK_END,
    DEMO_WEEK_START,
    expected_daily_story_keys,
    expected_monthly_story_keys,
    expected_weekly_story_keys,
    load_content,
    republished_stories,
    stories_of_kind,
)
from jianbao.demo.site import article_path


def test_enough_articles_and_outlets() -> None:
    content = load_content()
    assert len(content.articles) >= 48
    assert len(content.outlets) >= 7
    assert {a.outlet for a in content.articles} == set(content.outlets)


def test_kinds_are_about_half_a_quarter_and_a_quarter() -> None:
    counts = Counter(a.kind for a in load_content().articles)
    total = sum(counts.values())
    assert 0.4 <= counts["informatics"] / total <= 0.6
    assert counts["health"] / total >= 0.18
    assert counts["other"] / total >= 0.18


def test_three_stories_republished_by_two_or_three_outlets_with_small_edits() -> None:
    groups = republished_stories()
    assert len(groups) == 3
    for key, articles in groups.items():
        outlets = {a.outlet for a in articles}
        assert 2 <= len(outlets) <= 3, key
        first = articles[0]
        for copy in articles[1:]:
            assert copy.body != first.body, f"{copy.id} is an exact copy, not an edit"
            shared = set(copy.body) & set(first.body)
            assert len(shared) >= len(first.body) // 2, f"{copy.id} shares too little"
            assert copy.kind == first.kind


def test_dates_fall_in_the_demo_week_month_and_before() -> None:
    assert date(2026, 11, 20) == DEMO_ISSUE_DATE
    assert DEMO_WEEK_START.weekday() == 5 and DEMO_WEEK_END.weekday() == 4
    weekly = expected_weekly_story_keys()
    monthly = expected_monthly_story_keys()
    assert len(weekly) >= 8
    assert weekly < monthly
    assert 4 <= len(expected_daily_story_keys()) <= 8
    assert expected_daily_story_keys() < weekly
    informatics = [a for a in load_content().articles if a.kind == "informatics"]
    october = {a.story for a in informatics if a.day < date(2026, 11, 1)}
    assert 2 <= len(october) <= 3
    assert not october & monthly
    for article in load_content().articles:
        assert article.published.utcoffset() is not None
        assert date(2026, 10, 1) <= article.day <= DEMO_WEEK_END


def test_kinds_do_not_overlap_between_stories() -> None:
    assert not stories_of_kind("informatics") & stories_of_kind("health")
    assert not stories_of_kind("informatics") & stories_of_kind("other")


def test_every_article_has_a_unique_path_and_realistic_length() -> None:
    content = load_content()
    paths = [article_path(content.outlets[a.outlet], a) for a in content.articles]
    assert len(set(paths)) == len(paths)
    for a in content.articles:
        assert 3 <= len(a.body) <= 8
        assert sum(len(p) for p in a.body) >= 120, a.id


def test_gbk_outlet_text_is_encodable_in_gbk() -> None:
    content = load_content()
    gbk = [o for o in content.outlets.values() if o.encoding == "gbk"]
    assert gbk
    for article in content.articles:
        if content.outlets[article.outlet].encoding == "gbk":
            for text in (article.title, article.source, *article.body):
                text.encode("gbk")
