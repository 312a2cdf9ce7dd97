"""The event stage's release rule (issue 20, seventh round): one sitting of a named meeting
told on days at most one apart, or one institution doing what both headlines say on a day
both name, is one event whatever the headlines share; another sitting, another meeting of
its kind, or another act of the institution is not — and the merge says why."""

from __future__ import annotations

from datetime import datetime

from jianbao.judge.events import (
    EventMatch,
    best_match,
    compare,
    describe,
    event_facts,
    similarity_matrices,
)


def _judge(first: tuple[str, str, str], second: tuple[str, str, str]) -> EventMatch:
    facts = [
        event_facts(title, body, datetime.fromisoformat(day))
        for title, body, day in (first, second)
    ]
    headline, lead = similarity_matrices(facts)
    return compare(facts[0], facts[1], headline[0, 1], lead[0, 1])


OPENING = (
    "第三十届全国医院信息化大会在杭州开幕",
    "11月5日，第三十届全国医院信息化大会在杭州开幕，来自各地的代表围绕数据驱动展开讨论。",
    "2026-11-05",
)
#: a write-up of one speech at the same sitting: no headline word in common with the opening
SPEECH = (
    "院长谈智慧服务：让患者少跑腿",
    "在5日举行的第三十届全国医院信息化大会上，一位三甲医院院长介绍了预约诊疗的经验。",
    "2026-11-05",
)


def test_a_meeting_sitting_is_read_with_its_ordinal_in_digits_or_numerals() -> None:
    spelt = event_facts("第七十二届世界卫生大会开幕", "", None)
    digits = event_facts("第72届世界卫生大会今天开幕", "", None)
    assert spelt.meetings == digits.meetings == {"72|世界卫生大会"}
    assert event_facts("2026年全国卫生健康工作会议在京召开", "", None).meetings == {
        "2026|全国卫生健康工作会议"
    }
    fair = "第一百零五届中国进出口商品交易会开幕", "第105届中国进出口商品交易会今日开幕"
    assert {m for title in fair for m in event_facts(title, "", None).meetings} == {
        "105|中国进出口商品交易会"
    }
    # a meeting without its ordinal or year is a topic; a clause after a year names none
    assert not event_facts("世界卫生大会闭幕", "", None).meetings
    assert not event_facts("2026年召开的会议", "", None).meetings


def test_one_meeting_sitting_on_one_day_is_one_event_in_other_words() -> None:
    match = _judge(OPENING, SPEECH)
    assert match.same(), match
    assert ("meeting", "30 全国医院信息化大会") in match.reasons
    told = describe(match.reasons)
    assert "同一会议 30 全国医院信息化大会" in told
    assert "same meeting 30 全国医院信息化大会" in [reason.en for reason in told]


def test_another_sitting_or_another_meeting_of_its_kind_is_another_event() -> None:
    next_sitting = (SPEECH[0], SPEECH[1].replace("第三十届", "第三十一届"), SPEECH[2])
    assert not _judge(OPENING, next_sitting).same()
    conference = (
        "2026年全国卫生健康工作会议在京召开",
        "1月8日，2026年全国卫生健康工作会议在北京召开，部署今年重点任务。",
        "2026-01-08",
    )
    insurance = (
        "医保参保率稳定在95%以上",
        "1月8日召开的2026年全国医疗保障工作会议通报，去年基本医保参保率保持稳定。",
        "2026-01-08",
    )
    assert not _judge(conference, insurance).same()


def test_a_window_article_naming_the_sitting_comes_near_whatever_its_headline() -> None:
    """best_match weighs the leads only of the window's articles whose headline comes
    near or that name a specific the new one names: the meeting sitting is one."""
    day = datetime(2026, 11, 5)
    others = [
        event_facts(f"某市第{n}批家庭医生签约团队名单公布", "名单见附件。", day)
        for n in range(1, 9)
    ]
    opening = event_facts(OPENING[0], OPENING[1], day)
    found = best_match(event_facts(SPEECH[0], SPEECH[1], day), [*others, opening])
    assert found is not None and found[0] == len(others)


def test_an_institution_doing_what_both_headlines_say_on_a_named_day_is_one_event() -> None:
    unveiled = (
        "省疾病预防控制中心新址今日揭牌",
        "3月2日上午，省疾病预防控制中心新址揭牌，实验室和应急指挥大厅同步投入使用。",
        "2026-03-02",
    )
    signboard = (
        "新址挂牌 市民咨询更方便",
        "记者3月2日获悉，省疾病预防控制中心当天在新址挂牌，疫苗咨询窗口同时开放。",
        "2026-03-02",
    )
    match = _judge(unveiled, signboard)
    assert match.same(), match
    assert ("institution", "省疾病预防控制中心") in match.reasons
    # the same institution's notice of that day is another item
    notice = (
        "流感进入高发期 市民咨询更方便",
        "记者3月2日获悉，省疾病预防控制中心通报近期流感监测情况，提醒及时接种疫苗。",
        "2026-03-02",
    )
    assert not _judge(unveiled, notice).same()
