"""An undated page's bare day of the month (当地时间15日晚, 本月15日): read as a day of the
month, it agrees with a dated page's 11月15日 as a day both name does, as one specific
among others; alone it joins nothing (issue 20, twenty-fourth round)."""

from __future__ import annotations

from datetime import datetime

from jianbao.judge.events import DEFAULT_THRESHOLD, compare, event_facts, similarity_matrices


def _judge(first: tuple[str, str, str], second: tuple[str, str, str]):
    """Two pages compared, an empty date for a page that shows none."""
    facts = [
        event_facts(title, body, datetime.fromisoformat(day) if day else None)
        for title, body, day in (first, second)
    ]
    headline, lead = similarity_matrices(facts)
    return compare(facts[0], facts[1], headline[0, 1], lead[0, 1])


DATED_FIRE = (
    "长春市一医院15日发生火灾 8名患者不幸身亡",
    "长春市一家医院15日晚发生火灾，起火地点在住院部附近，造成8名患者不幸身亡，当局表示伤亡"
    "人数可能还会上升。",
    "2026-11-16",
)
UNDATED_FIRE = (
    "长春一医院大火致8人遇难",
    "据报道，当地时间15日晚，长春市一所医院发生火灾，导致至少8人遇难，另有多人受伤。事发医院"
    "位于城区，火势迅速蔓延。",
    "",
)


def test_an_undated_pages_day_of_the_month_reads_as_a_dated_pages_day() -> None:
    # blind22's w027/w028: 印度北方邦一間醫院15日發生火災 (2024-11-16) and an undated
    # 当地时间15日晚…发生火灾: the incident rule found no day for the undated page
    match = _judge(DATED_FIRE, UNDATED_FIRE)
    assert match.same(DEFAULT_THRESHOLD)
    assert ("incident", "长春 火灾") in match.reasons
    assert ("day", "11月15日") in match.reasons


def test_an_undated_pages_other_day_of_the_month_is_another_day() -> None:
    other = (UNDATED_FIRE[0], UNDATED_FIRE[1].replace("15日", "3日"), "")
    match = _judge(DATED_FIRE, other)
    assert not match.same(DEFAULT_THRESHOLD)
    assert not any(kind in ("incident", "day") for kind, _detail in match.reasons)


def test_the_day_of_the_month_is_read_from_an_undated_page_only() -> None:
    assert event_facts("某地通报", "本月15日，某地发生火灾。").month_days == {"15"}
    assert event_facts("某地通报", "当地时间3日晚，某地发生火灾。").month_days == {"3"}
    # a dated page's bare day keeps its reading, dated by the publication
    dated = event_facts("某地通报", "15日晚，某地发生火灾。", datetime(2026, 11, 16))
    assert not dated.month_days and dated.days == {"11月15日"}
    # a span of days (15日内) names no day
    assert not event_facts("某地通报", "要求15日内完成整改。").month_days


def test_two_undated_pages_of_one_day_of_the_month_stay_apart() -> None:
    # a day of the month alone is weak (1 in 30): two undated pages of other incidents
    # on the 15th share nothing else and stay two stories, as a dated page and an
    # undated one of other incidents do
    bridge = (
        "成都一座人行天桥垮塌",
        "当地时间15日，成都市郊一座人行天桥突然垮塌，所幸未造成人员伤亡，相关部门正在调查原因。",
        "",
    )
    match = _judge(UNDATED_FIRE, bridge)
    assert not match.same(DEFAULT_THRESHOLD)
    assert ("day", "15") not in match.reasons
    assert not _judge(DATED_FIRE, bridge).same(DEFAULT_THRESHOLD)
