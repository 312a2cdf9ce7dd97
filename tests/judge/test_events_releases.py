"""The event stage's release rule (issue 20, seventh round): one sitting of a named meeting
told on days at most one apart, or one institution doing what both headlines say on a day
both name, is one event whatever the headlines share; another sitting, another meeting of
its kind, or another act of the institution is not — and the merge says why. Eighth round:
a document both name as released is one release in other words, a document cited or
announced is not, and a meeting's report saying what it 将 discuss announces nothing."""

from __future__ import annotations

from datetime import datetime

from jianbao.judge.event_releases import basis_documents, cited_documents, released_documents
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


# eighth round: a document named as released, and a meeting's phase read in its first
# sentence
#: two write-ups of one report's release, headlined by different findings
FIGURES = (
    "卫健委：成年居民超重肥胖超过一半",
    "11月20日上午，国务院新闻办公室举行新闻发布会，介绍《全国居民口腔健康状况报告（2026年）》"
    "有关情况。报告显示，成年居民超重肥胖率继续上升。",
    "2026-11-20",
)
ADVICE = (
    "儿童龋齿问题不断凸显 专家建议早晚刷牙",
    "国务院新闻办今天举行的发布会上，国家卫生健康委副主任发布了《全国居民口腔健康状况报告"
    "(2026)年》，报告显示儿童龋齿率仍然偏高。",
    "2026-11-21",
)


def test_a_document_named_as_released_is_read_whatever_its_brackets() -> None:
    assert released_documents(FIGURES[1]) == released_documents(ADVICE[1])
    assert released_documents(FIGURES[1]) == {"全国居民口腔健康状况报告2026年"}
    # cited, followed or commented on: no release
    assert not released_documents("依据《互联网诊疗监管细则（试行）》，预约诊疗已普及。")
    assert not released_documents("专家解读《全国居民口腔健康状况报告（2026年）》的三个变化")


def test_one_report_released_is_one_event_in_other_words() -> None:
    match = _judge(FIGURES, ADVICE)
    assert match.same(), match
    assert ("document", "全国居民口腔健康状况报告（2026年）") in match.reasons
    told = describe(match.reasons)
    assert "同一文件《全国居民口腔健康状况报告（2026年）》" in told
    assert "same document 《全国居民口腔健康状况报告（2026年）》" in [r.en for r in told]


def test_a_report_cited_in_passing_or_announced_is_not_its_release() -> None:
    cited = (
        "社区开展口腔义诊 百余名老人受益",
        "11月21日，社区卫生服务中心根据《全国居民口腔健康状况报告（2026年）》的建议，开展口腔义诊。",
        "2026-11-21",
    )
    assert not _judge(FIGURES, cited).same()
    preview = (
        "口腔健康报告下周出炉",
        "国务院新闻办公室将于11月20日举行发布会，发布《全国居民口腔健康状况报告（2026年）》。",
        "2026-11-18",
    )
    assert not _judge(preview, ADVICE).same()
    # another year's report of the same series is another event
    last_year = (
        "去年口腔健康报告：成年人牙周健康率不足一成",
        "国务院新闻办公室举行新闻发布会，介绍《全国居民口腔健康状况报告（2025年）》有关情况。",
        "2026-11-21",
    )
    assert not _judge(last_year, ADVICE).same()


def test_a_meeting_report_saying_what_it_will_discuss_is_no_announcement() -> None:
    opening = (
        "第八十届世界卫生大会在日内瓦开幕",
        "当地时间19日，第80届世界卫生大会在瑞士日内瓦开幕。大会选举了主席。",
        "2027-05-19",
    )
    theme = (
        "全民健康覆盖 不遗漏任何一人",
        "第80届世界卫生大会19日在日内瓦开幕。本届大会将围绕全民健康覆盖这一主题进行讨论。",
        "2027-05-19",
    )
    assert event_facts(*theme[:2]).phase != "ahead"
    assert _judge(opening, theme).same()
    # a report that names no meeting still reads its lead's 定于 as an announcement
    assert (
        event_facts("天宫课堂第一课开讲", "据消息，天宫课堂第一课定于12月9日开始。").phase
        == "ahead"
    )
    # and a preview of the sitting is still an announcement
    preview = (
        "第八十届世界卫生大会将于19日开幕",
        "第80届世界卫生大会将于5月19日在日内瓦开幕，会期十天。",
    )
    assert event_facts(*preview).phase == "ahead"


#: a plan's release, and a notice issued under the plan the next day (invented wording)
PLAN = (
    "国家卫生健康委等12部门印发“健康体重行动”实施方案",
    "国家卫生健康委等12个部门日前联合印发《“健康体重行动”实施方案》，"
    "力争通过三年时间，全民健康体重意识显著提升。",
    "2026-05-10",
)
PLAN_READING = (
    "《“健康体重行动”实施方案》解读",
    "国家卫生健康委等12个部门日前联合印发《“健康体重行动”实施方案》，一、出台背景是什么？",
    "2026-05-11",
)
UNDER_PLAN = (
    "按照《“健康体重行动”实施方案》有关安排，我们组织编写了《居民健康体重要点（2026年版）》",
    "各省卫生健康委：按照《“健康体重行动”实施方案》有关安排，我们组织编写了"
    "《居民健康体重要点（2026年版）》及其释义，现印发给你们，供推广使用。",
    "2026-05-11",
)


def test_a_document_issued_under_another_is_not_the_others_release() -> None:
    # issue 20, nineteenth round (blind18's 体重管理年 plan and its 核心知识 notice)
    assert basis_documents(UNDER_PLAN[1]) == frozenset({"健康体重行动实施方案"})
    assert "健康体重行动实施方案" not in event_facts(*UNDER_PLAN[:2]).documents
    assert _judge(PLAN_READING, UNDER_PLAN).score < 0.38
    # the plan and its reading stay one release; a page citing the plan alone keeps it
    assert _judge(PLAN, PLAN_READING).score >= 0.38
    cited = event_facts(
        "各地落实健康体重行动", "按照《“健康体重行动”实施方案》要求，各地开展宣传。"
    )
    assert "健康体重行动实施方案" in cited.documents


#: one programme's exposé of a day, told by a brand's product and by the factories
#: (invented wording)
EXPOSE_BRAND = (
    "某药业批号为200101的感冒胶囊被曝铝含量超标",
    "在今日播出的央视《健康质量观察》栏目中，某药业批号为200101的感冒胶囊被曝铝含量超标。",
    "2026-04-15",
)
EXPOSE_FACTORIES = (
    "视频：药用胶囊厂用废料生产原料",
    "2026年4月15日，央视《健康质量观察》播出节目，曝光一些胶囊企业用废料熬制原料，流向药企。",
    "2026-04-15",
)
#: the programme's exposé of another day
EXPOSE_LATER = (
    "视频：某地保健品作坊无证生产",
    "4月22日，央视《健康质量观察》播出节目，曝光某地保健品作坊无证生产。",
    "2026-04-22",
)
#: two stories of a day citing one rule
CITING_ONE = (
    "省卫健委通报两起医疗广告违法案例",
    "4月15日，省卫健委依据《医疗广告管理办法》通报两起违法案例。",
    "2026-04-15",
)
CITING_TWO = (
    "市场监管局查处一家诊所虚假宣传",
    "4月15日，市场监管局依据《医疗广告管理办法》对一家诊所作出处罚。",
    "2026-04-15",
)


def test_one_programme_or_document_named_with_one_day_is_one_release() -> None:
    # issue 20, nineteenth round (blind18's 铬超标胶囊: 《每周质量报告》 of 4月15日)
    assert _judge(EXPOSE_BRAND, EXPOSE_FACTORIES).score >= 0.38
    # another day's programme, or a rule two stories of a day cite, is no one release
    assert _judge(EXPOSE_FACTORIES, EXPOSE_LATER).score < 0.38
    assert _judge(CITING_ONE, CITING_TWO).score < 0.38
    assert cited_documents(CITING_ONE[1]) == frozenset({"医疗广告管理办法"})
    # a copy of another story whose first sentence is a paragraph of the exposé (a box
    # of related news) shares no words with its headline: not the exposé
    boxed = (
        "戒烟口香糖 美研究：无效",
        "记者了解到，今日央视《健康质量观察》播出节目，曝光一些胶囊企业用废料熬制原料。"
        "近年来戒烟用的尼古丁替代疗法很流行。",
        "2026-04-15",
    )
    assert _judge(EXPOSE_FACTORIES, boxed).score < 0.38
