"""Each rule kind fires on its example and stays silent on its counter-example; levels
rise with the conditions that hold beside risk; quiet hours hold all but red."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from jianbao.alerts.levels import parse_level
from jianbao.alerts.quiet import held_until
from jianbao.alerts.rules import (
    Member,
    Rule,
    StoryFacts,
    Thresholds,
    builtin_rules,
    check_rule,
    fire,
)
from jianbao.errors import InputError
from jianbao.judge.authority import CENTRAL_MEDIA, GOVERNMENT, OTHER

ZONE = ZoneInfo("Asia/Shanghai")
NOON = datetime(2026, 12, 1, 12, 0, tzinfo=ZONE)


def member(
    i: int,
    title: str,
    *,
    outlet: str = "",
    tier: int = OTHER,
    risk: float = 0.0,
    hours: float = 0.0,
    body: str = "",
) -> Member:
    return Member(
        i,
        title,
        body,
        f"https://n{i}.example/a.html",
        outlet or f"媒体{i}",
        tier,
        NOON + timedelta(hours=hours),
        risk,
        "neu",
    )


LIMITS = Thresholds(risk=0.5, spike_outlets=3, spike_hours=6, watch=("东川省人民医院",))
RULES = builtin_rules({}, LIMITS.watch)


def test_keyword_rule_fires_and_stays_silent() -> None:
    rule = check_rule(Rule("泄露", "keyword", "橙", "(医院 OR 卫健委) AND (泄露 OR 勒索 OR 宕机)"))
    assert rule.level == "orange"
    hit = StoryFacts("s1", (member(1, "某医院患者信息泄露"),))
    miss = StoryFacts("s2", (member(2, "某银行客户信息泄露"),))
    level, fired = fire([rule], hit, LIMITS) or ("", [])
    assert level == "orange" and "泄露" in fired[0].reason
    assert fire([rule], miss, LIMITS) is None


def test_risk_rule_fires_on_an_incident_only() -> None:
    assert fire(RULES, StoryFacts("s1", (member(1, "医院遭勒索病毒攻击", risk=0.9),)), LIMITS)
    assert fire(RULES, StoryFacts("s2", (member(1, "医院开展应急演练", risk=0.1),)), LIMITS) is None


#: a story of the health sector that reports no incident (risk 0 here)
CLINIC = "东川市人民医院新院区正式启用"
#: a story outside the sector, like the realistic stream's 醉酒 spike (issue 18)
DRUNK = "夫妻闹矛盾男子醉酒下河酿惨剧"


def test_spike_fires_on_many_outlets_within_hours_not_over_days() -> None:
    fast = StoryFacts("s1", tuple(member(i, CLINIC, hours=i) for i in range(3)))
    slow = StoryFacts("s2", tuple(member(i, CLINIC, hours=i * 10) for i in range(3)))
    result = fire(RULES, fast, LIMITS)
    assert result is not None and result[0] == "blue" and result[1][0].kind == "spike"
    assert fire(RULES, slow, LIMITS) is None


def test_spike_fires_on_a_term_far_above_its_baseline() -> None:
    hot = StoryFacts("s1", (member(1, "医院遭勒索病毒攻击"),), {"勒索病毒": (5, 0.2)})
    usual = StoryFacts("s2", (member(1, "医院遭勒索病毒攻击"),), {"勒索病毒": (5, 3.0)})
    result = fire(RULES, hot, LIMITS)
    assert result is not None and "前四周日均" in result[1][0].reason
    assert fire(RULES, usual, LIMITS) is None


def test_a_viral_story_outside_the_health_sector_is_no_spike() -> None:
    """Issue 18: three of the realistic stream's twelve alerts were spikes on stories no
    health commission follows (a drunk man, a phone market, a product blacklist). Carried
    by every outlet within hours, or its term far above its baseline, such a story stays
    silent; the same with the sector judged off (``alert_spike_sector = false``) fires."""
    fast = StoryFacts("s1", tuple(member(i, DRUNK, hours=i) for i in range(3)))
    hot = StoryFacts("s2", (member(1, DRUNK),), {"醉酒": (5, 0.2)})
    assert fire(RULES, fast, LIMITS) is None
    assert fire(RULES, hot, LIMITS) is None
    anything = Thresholds(risk=0.5, spike_outlets=3, spike_hours=6, spike_sector=False)
    for story in (fast, hot):
        result = fire(RULES, story, anything)
        assert result is not None and [f.kind for f in result[1]] == ["spike"]


def test_a_viral_story_of_the_sector_spikes_whichever_article_names_it() -> None:
    """The lead (the earliest here) is a feed's bare headline naming no hospital; another
    outlet's write-up of the same event does, in 繁體 (read Simplified, as the risk judge
    reads it): the story is the sector's and spikes. A story naming nothing of the sector
    that the relevance judge took for the topics' spikes too."""
    bare = member(0, "产妇坠楼身亡 家属称曾多次下跪求剖腹产")
    named = member(
        1, "产妇坠楼事件调查", hours=1, body="陝西榆林市第一醫院綏德院區一名產婦墜樓身亡。"
    )
    third = member(2, "产妇坠楼身亡", hours=2)
    result = fire(RULES, StoryFacts("s1", (bare, named, third)), LIMITS)
    assert result is not None and result[0] == "blue" and result[1][0].kind == "spike"
    assert fire(RULES, StoryFacts("s2", (bare, third)), LIMITS) is None
    platform = "全省政务数据共享平台上线"
    plain = tuple(member(i, platform, hours=i) for i in range(3))
    relevant = (dataclasses.replace(plain[0], relevant=True), *plain[1:])
    assert fire(RULES, StoryFacts("s3", plain), LIMITS) is None
    assert fire(RULES, StoryFacts("s4", relevant), LIMITS) is not None


def test_watch_fires_on_central_media_or_government_only() -> None:
    text = "东川省人民医院上线新系统"
    central = StoryFacts("s1", (member(1, text, outlet="人民日报", tier=CENTRAL_MEDIA),))
    local = StoryFacts("s2", (member(1, text, outlet="东川晚报", tier=OTHER),))
    result = fire(RULES, central, LIMITS)
    assert result is not None and "人民日报" in result[1][0].reason
    assert fire(RULES, local, LIMITS) is None


def test_central_media_criticising_a_watched_project_alerts_though_its_risk_is_capped() -> None:
    """Issue 18 asks that central media criticising a local health-IT project alert. Such
    a page is often a commentary, which the risk judgement caps below the alert (its genre
    reports no incident: jianbao.judge.risk_genre); the watch rule still carries it, and
    the same commentary in a local paper stays silent."""
    from jianbao.judge.risk import framed

    title = "人民日报评论员：东川省全民健康信息平台岂能建而不用"
    body = "东川省投入数亿元建设的全民健康信息平台上线两年，基层医生反映系统卡顿、数据不通。"
    risk = framed(title, 0.9, body)
    assert risk < LIMITS.risk
    watch = Thresholds(risk=0.5, spike_outlets=3, spike_hours=6, watch=("东川省",))
    rules = builtin_rules({}, watch.watch)
    central = member(1, title, outlet="人民日报", tier=CENTRAL_MEDIA, risk=risk, body=body)
    local = member(2, title, outlet="东川晚报", tier=OTHER, risk=risk, body=body)
    result = fire(rules, StoryFacts("s1", (central,)), watch)
    assert result is not None
    level, fired = result
    assert level == "blue" and [f.kind for f in fired] == ["watch"]
    assert "人民日报" in fired[0].reason and "东川省" in fired[0].reason
    assert fire(rules, StoryFacts("s2", (local,)), watch) is None


def test_levels_rise_with_watch_and_spike_beside_risk() -> None:
    risky = member(1, "东川省人民医院数据泄露", outlet="新华社", tier=GOVERNMENT, risk=0.9)
    assert fire(RULES, StoryFacts("s1", (risky,)), LIMITS)[0] == "orange"  # type: ignore[index]
    spread = tuple(member(i, "东川省人民医院数据泄露", risk=0.9, hours=i) for i in range(2, 5))
    level, _ = fire(RULES, StoryFacts("s2", (risky, *spread)), LIMITS)  # type: ignore[misc]
    assert level == "red"
    alone = StoryFacts("s3", (member(1, "某医院数据泄露", risk=0.9),))
    assert fire(RULES, alone, LIMITS)[0] == "yellow"  # type: ignore[index]


def test_configured_levels_replace_the_defaults() -> None:
    rules = builtin_rules({"spike": "yellow"}, ())
    fast = StoryFacts("s1", tuple(member(i, CLINIC, hours=i) for i in range(3)))
    assert fire(rules, fast, LIMITS)[0] == "yellow"  # type: ignore[index]


def test_a_bad_rule_says_what_to_fix() -> None:
    with pytest.raises(InputError, match="级别"):
        parse_level("紫")
    with pytest.raises(InputError):
        check_rule(Rule("坏", "keyword", "黄", "(医院 AND"))
    with pytest.raises(InputError, match="0 到 1"):
        check_rule(Rule("坏", "risk", "黄", "1.5"))


def test_quiet_hours_hold_all_but_red_until_morning() -> None:
    night = datetime(2026, 12, 1, 23, 30, tzinfo=ZONE)
    early = datetime(2026, 12, 2, 5, 0, tzinfo=ZONE)
    morning = datetime(2026, 12, 2, 7, 0, tzinfo=ZONE)
    assert held_until(night, "orange", "22:00-07:00", ZONE) == morning
    assert held_until(early, "blue", "22:00-07:00", ZONE) == morning
    assert held_until(night, "red", "22:00-07:00", ZONE) is None
    assert held_until(NOON, "yellow", "22:00-07:00", ZONE) is None
    assert held_until(night, "yellow", "", ZONE) is None
