"""The incidents an article tells of (地震, 爆炸, 坍塌 …, a rare disease's case, a WHO
declaration), and whether two articles tell of one.

One place's incident of one kind on one day is one event however each outlet tells it —
the toll at another hour, the rescue, the cause — where the headlines may share no word.
This module holds the closed vocabulary of kinds, the reading of them from a headline and
lead (a death only where the opening tells it, a declaration only where the WHO is
named), the hospitals that are an incident's place, and the comparison of two articles'
incidents: the kind, the place, the day, the quake's magnitude, the disease.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from jianbao.judge.event_counts import _same_count_of_day
from jianbao.judge.event_days import _DATELINE, _RELATIVE_DAYS, _days, _other_days
from jianbao.judge.event_names import (
    _WHO,
    _WORDS_BEFORE,
    _common_ending,
    _ordinal,
    _same_host,
    _shared_institutions,
)
from jianbao.judge.event_places import (
    _COUNTRY_SET,
    _PROVINCE_SET,
    _elsewhere,
    _found,
    _in_country,
    _main_country,
)
from jianbao.judge.event_records import EventFacts
from jianbao.judge.event_text import _FIRST_SENTENCE, LEAD_CHARS

#: kinds of incident, each told by a closed set of words (Simplified): one place's
#: incident of one kind, on one day, is one event however each outlet tells it — the toll
#: at another hour, the rescue, the cause, a survivor's story — where their headlines may
#: share no word. An article may name several kinds (a landslide that brought buildings
#: down); two that share one and the place and the day are one incident
INCIDENT_KINDS = (
    # … an aftershock too, a quake of its own magnitude (:func:`_other_quakes`)
    ("地震", r"地震|强震|余震"),
    ("爆炸", r"(?<!信息)(?<!数据)(?<!知识)爆炸(?!式|性)|爆燃|燃爆|闪爆"),
    # Taiwan's and Hong Kong's outlets tell a fire as 火警 (發生火警, 安寧病房火警), not a
    # drill of one (火警演习) or the number to call (火警电话)
    ("火灾", r"火灾|起火|大火|失火|山火|森林火|火警(?!演|电话|专线|铃|警报)"),
    ("台风", r"台风"),
    # an airliner lost is told as 失联 or 失去联系 before any wreck is found (马航客机失联)
    (
        "坠机",
        r"坠机|空难|坠毁|(?:客机|航班|飞机)[\u4e00-\u9fff]{0,6}?(?:失联|失去联系|失去联络|失踪)|"
        r"(?:失联|失踪)(?:客机|航班|飞机)|(?:客机|航班|飞机)[\u4e00-\u9fff]{0,4}?(?:坠入|坠落|坠海|落入)",
    ),
    ("沉船", r"翻沉|倾覆|沉没|翻船"),
    # a bus that went into the river is told as 坠江 or as 坠入江中, 坠入长江
    # … and people who fell down a lift shaft (坠梯); a bus driven off the road into a
    # reservoir as 冲入/冲进/冲落水库 or 坠入水中 (安顺's one bus: 坠湖, 冲入虹山水库,
    # 冲落水库, 整辆车坠入水中)
    (
        "坠落",
        r"坠江|坠河|坠湖|坠桥|坠崖|坠梯|坠入[\u4e00-\u9fff]{0,2}?[江河湖海崖]|"
        r"(?:坠|冲)(?:入|进|落)[\u4e00-\u9fff]{0,4}?(?:水库|水中|水里|江中|河中|湖中|海中)",
    ),
    ("踩踏", r"踩踏|人踩人"),
    # a mountainside that gave way is told as 山崩, 崩塌 or 山体垮塌 as often as 滑坡
    # (茂县's one landslide: 山体高位垮塌, 山崩, 山体滑坡): those name a landslide too
    ("滑坡", r"滑坡|泥石流|山崩|塌方|崩塌|山体[\u4e00-\u9fff]{0,3}?(?:垮塌|坍塌)"),
    # a road or ground that gave way is told as 塌陷 or 塌方 as often as 坍塌 (梅大高速路面
    # 塌陷 / 梅龙高速路段发生路面塌方): 塌方 names either kind; a bridge's deck that
    # tipped over (桥面侧翻) is the bridge's collapse as others tell it (上跨桥垮塌)
    # … and a structure that tipped over (鹰架倾斜, 脚手架歪斜倒下, 塔吊倾倒): a scaffold
    # told as tilted by one outlet and as fallen by another; not a policy's 倾斜
    (
        "坍塌",
        r"坍塌|倒塌|垮塌|塌陷|塌方|桥[\u4e00-\u9fff]{0,4}?侧翻|"
        r"(?:鹰架|脚手架|施工架|塔吊|塔式起重机|吊车|围墙|广告牌|楼房|大楼)"
        r"[\u4e00-\u9fff]{0,4}?(?:倾斜|歪斜|倾倒)",
    ),
    ("矿难", r"透水|瓦斯爆|矿难|冒顶"),
    ("撞车", r"追尾|脱轨|出轨|相撞|擦撞|撞机|侧翻|翻车|(?<!未)发生碰撞|撞击(?:对向|前车|护栏)"),
    # violence against people, however done: a beating (打人, 被殴), a knife, a gun or a
    # car driven into a crowd (撞人, 冲撞人群), a doctor attacked (伤医); not 杀害 or 遇害,
    # which a memorial days on says of the victim as well
    (
        "袭击",
        r"砍杀|暴恐|袭击|持刀|枪击|打人|殴打|被殴|围殴|群殴|砍伤|刺伤|捅伤|行凶|撞人|冲撞人群|"
        r"伤医|杀医|刺死|砍死|捅死|恶性伤害|追打|追砍|追杀",
    ),
    ("中毒", r"中毒"),
    # a person's death, however told (逝世, 辞世, 驾崩, 与世长辞; a nurse 病发身亡): one
    # place's death on one day is one event, whichever name, title or angle each outlet
    # gives it (英国's queen, 武汉's doctor); 死亡 and a toll's 遇难 are left to the kinds
    # of incident that cause them
    ("逝世", r"逝世|去世|辞世|驾崩|与世长辞|病逝|离世|病发身?亡"),
    # the funeral or memorial that follows a death, an event of its own (国葬19日举行)
    ("葬礼", r"国葬|葬礼|追悼会|追思会|告别仪式|遗体告别"),
    # a hospital's or a service's systems attacked (黑客, 勒索软件, 遭网络攻击)
    (
        "网络攻击",
        r"黑客|网络(?:袭击|攻击)|勒索(?:软件|病毒)|恶意软件|病毒攻击|"
        r"遭受?[\u4e00-\u9fff]{0,4}攻击",
    ),
    # a hospital's or a city's systems down (临床管理系统故障, 核酸检测系统崩溃, 网络瘫痪,
    # 系统宕机): one place's outage of one day, however each outlet tells it
    (
        "系统故障",
        r"(?:系统|网络|平台|服务器|电脑)[\u4e00-\u9fff]{0,4}?(?:故障|崩溃|瘫痪|宕机|当机|停摆|失灵)",
    ),
    # a flood told by its rain or its water (特大暴雨, 积水倒灌, 被洪水冲垮, 内涝)
    ("洪水", r"决堤|溃坝|山洪|洪水|洪灾|洪涝|内涝|倒灌|特大暴雨"),
    # a place's measure against an outbreak: its market, city or transport shut, or its
    # people kept in (封闭式管理, 静默管理, 全体居民原则居家)
    ("封控", r"封控|封城|封市|休市|停运|关停|封闭式管理|封闭管理|静默管理|静态管理|原则居家"),
    # an area's alert raised to a level (三级警戒, 第三级疫情警戒, 警戒提升至三级): outlets
    # headline one measure by its level, its dates or its rules
    (
        "警戒",
        r"第?[一二三四1-4]级[\u4e00-\u9fff]{0,4}警戒|警戒[\u4e00-\u9fff]{0,4}[一二三四1-4]级",
    ),
    # the health sector's own incidents: patients infected in a hospital (院内感染, a
    # dialysis ward's 感染丙肝), not the rules or training on infection control
    (
        "院感",
        r"院内[\u4e00-\u9fff]{0,4}感染|医院感染(?!管理|控制|防控|预防|监测|质控)|院感事件|"
        r"感染(?:丙肝|乙肝|C肝|C型肝炎|丙型肝炎|艾滋|爱滋|HIV)|"
        r"(?:血透|透析)[\u4e00-\u9fff]{0,6}感染",
    ),
    # vaccines given past their date or faulty (过期脊灰疫苗, 问题疫苗)
    (
        "疫苗",
        r"过期[\u4e00-\u9fff]{0,10}疫苗|疫苗[\u4e00-\u9fff]{0,4}过期|问题疫苗|假疫苗|失效疫苗",
    ),
    # fake or substandard milk and medicine sold to patients (大头娃娃, 假奶粉, 冒充特医)
    ("假劣", r"大头娃娃|假奶粉|劣质奶粉|问题奶粉|毒奶粉|冒充特医|冒特医|假药案|劣药案"),
    ("医疗事故", r"医疗事故|医疗责任事故|医疗差错"),
    # a hospital's or a city's fraud on the medical insurance fund (骗保, 骗取医保基金,
    # 套取医保资金): one place's case on one day, told by its arrests, its sums or its
    # hospitals (沈阳's two hospitals: 刑拘37人 / 主要嫌疑人全部到案 / 彻查民营医院骗保案)
    ("骗保", r"骗保|骗取[\u4e00-\u9fff]{0,4}?医保|套取[\u4e00-\u9fff]{0,4}?医保|欺诈骗取"),
    # a mother or a newborn who died in a hospital's care (产妇死亡, 产妇抢救失败,
    # 新生儿死亡): one hospital's or county's death on one day, however each outlet
    # tells it (湘潭's mother: 一产妇死亡 / 产妇抢救失败 医生失踪)
    (
        "产妇死亡",
        r"(?:产妇|孕妇|新生儿|婴儿|胎儿)[\u4e00-\u9fff]{0,6}?"
        r"(?:死亡|身亡|抢救失败|抢救无效|不治|离世|猝死)",
    ),
    # a case of a rare or new infectious disease found at a place (重庆发现1例猴痘病例,
    # 内蒙古2人染鼠疫, 首例寨卡): one place's case of one disease on one day is one event
    # however each outlet tells it (the case, the province's notice, the alert raised);
    # not the epidemic every day's bulletin counts (新冠), where one place's days differ
    ("鼠疫", r"鼠疫"),
    ("猴痘", r"猴痘"),
    ("寨卡", r"寨卡"),
    ("中东呼吸综合征", r"中东呼吸综合征|MERS"),
    ("甲型流感", r"H1N1|甲型流感|甲流"),
    ("禽流感", r"H7N9|H5N1|H5N6|H10N8|禽流感"),
    ("埃博拉", r"埃博拉"),
    ("霍乱", r"霍乱"),
    ("炭疽", r"炭疽"),
    # the WHO's declaration of an emergency or of a pandemic's level (国际关注的突发公共
    # 卫生事件, 全球卫生紧急事件, 最高警报, 警戒级别升至6级): read only where the WHO is named
    # (:func:`_told_incidents`), and placed by it, not by where it spoke or the outbreak is
    (
        "紧急事件",
        r"(?:全球|国际)[\u4e00-\u9fff]{0,10}?(?:紧急事件|紧急事态|紧急事故|突发公共卫生事件|"
        r"紧急公共卫生事件)|"
        r"最高警报|(?:警戒|警告)(?:级别|等级)|大流行阶段",
    ),
)
#: the kinds that are a case exposed and pursued over days, not a happening of one day
#: (fake milk powder, a fraud on the insurance fund, vaccines past their date, infections
#: in a ward): one place's case of one kind within the window is one story, whatever
#: day each page names (the exposure, the inquiry, the children's checks)
CASE_KINDS = frozenset({"假劣", "骗保", "疫苗", "院感"})
#: the kinds that are a disease's cases (a declaration names its disease, or none)
DISEASES = frozenset(
    {"鼠疫", "猴痘", "寨卡", "中东呼吸综合征", "甲型流感", "禽流感", "埃博拉", "霍乱", "炭疽"}
)

#: a meeting to come that is to decide whether to declare (将召开会议评估, 将在2月1日召开
#: 紧急会议商讨是否将…列为), in a normalized text (no punctuation)
_TO_DECIDE = re.compile(
    r"是否(?:将|宣布|列为|构成)|将(?:于|在)?[\u4e00-\u9fff\d]{0,8}?(?:召开|举行|开会)"
)
#: a decision not to declare (尚未构成, 不构成, 暂不宣布)
_NOT_DECLARED = re.compile(r"尚未构成|不构成|暂不宣布|不宣布|不将")
#: the level a declaration raises the alert to (升至6级, 提升为第六级): two levels are two
#: declarations (the pandemic's phases 4 and 5 came two days apart)
_LEVEL = re.compile(
    r"(?:升至|升为|升到|提升至|提升到|提升为|提高到|提高至|进入)(?:最高的?)?第?([1-6一二三四五六])级"
)
_INCIDENT_KINDS = tuple((kind, re.compile(words)) for kind, words in INCIDENT_KINDS)
#: incidents are a bonus of this much at the least: the key alone passes the default
INCIDENT_SCORE = 0.4
#: a hospital's name long enough to be one hospital (浙江省中医院; not 人民医院) …
HOSPITAL_MIN_CHARS = 5
#: … or a four-character one whose first two characters are a name of its own (仁安医院,
#: 湘雅医院), not a kind of hospital many cities have (人民医院, 中心医院, 方舱医院)
_KIND_HOSPITALS = frozenset(
    {
        "人民医院",
        "中心医院",
        "中医医院",
        "第一医院",
        "第二医院",
        "第三医院",
        "附属医院",
        "妇幼医院",
        "儿童医院",
        "肿瘤医院",
        "胸科医院",
        "传染医院",
        "精神医院",
        "口腔医院",
        "眼科医院",
        "骨科医院",
        "民营医院",
        "公立医院",
        "私立医院",
        "定点医院",
        "方舱医院",
        "社区医院",
        "专科医院",
        "综合医院",
        "军队医院",
        "部队医院",
        "县级医院",
        "市级医院",
        "省级医院",
        "医科医院",
        "中西医院",
        "协和医院",
        "同济医院",
    }
)

#: a quake's magnitude (7.0级): two quakes of one region and days differ in it
_MAGNITUDE = re.compile(r"(\d\.\d)\s*级|规模\s*(\d\.\d)")
#: magnitudes this close are one quake as two agencies measured it (7.7 and 7.9 级)
MAGNITUDE_SPREAD = 0.2
#: … and as far apart as they may be read for one quake behind another incident both tell
REVISED_SPREAD = 0.5


def _lead_days(title: str, lead: str, published: datetime | None) -> frozenset[str]:
    """The days the headline or the lead's first sentence gives an incident it tells of
    (24日突发山体滑坡), relative days dated by the publication (今天 is its day, 昨晚
    the day before). A sentence that tells of no incident gives none: 6月4日晚，…落泪说
    dates a survivor's telling, not the capsizing; nor does a dateline (中评社北京1月26日电,
    4月9日消息), the day of the report."""
    first = _FIRST_SENTENCE.match(lead)
    found: set[str] = set()
    for said in (title, first.group(0)[:80] if first else ""):
        if not _incidents(said):
            continue
        said = _DATELINE.sub("", said)
        found.update(_days(said, published))
        if published is not None:
            for back, words in _RELATIVE_DAYS:
                if words.search(said):
                    day = published - timedelta(days=back)
                    found.add(f"{day.month}月{day.day}日")
    return frozenset(found)


#: a kind that is also another: a blast burns (管线爆炸 / 管线泄漏起火 tell one incident)
_ALSO = {"爆炸": "火灾"}


def _incidents(text: str) -> frozenset[str]:
    """The kinds of incident ``text`` tells of."""
    kinds = {kind for kind, words in _INCIDENT_KINDS if words.search(text)}
    kinds.update(_ALSO[kind] for kind in list(kinds) if kind in _ALSO)
    return frozenset(kinds)


#: a headline of a memorial, a funeral or mourners (追思会, 悼念, 献花, 国葬): news days
#: after a death, whose lead tells the death again
_MEMORIAL = re.compile(r"追思|悼念|追悼|献花|缅怀|葬礼|国葬|告别仪式|出殡|灵柩|头七")


def _told_incidents(title: str, lead: str) -> frozenset[str]:
    """The kinds of incident the headline and lead tell of; a death only when the
    headline or the lead's first sentence tells it and the headline is no memorial's: a
    memorial, a briefing or a feature days on tells the death again in its lead (杨文's
    追思会 three days after the attack is another event)."""
    kinds = _incidents(title + "，" + lead[:LEAD_CHARS])
    if "紧急事件" in kinds and not _WHO.search(title + "，" + lead[:LEAD_CHARS]):
        kinds -= {"紧急事件"}
    if "逝世" not in kinds:
        return kinds
    first = _FIRST_SENTENCE.match(lead)
    said = title + "，" + (first.group(0)[:80] if first else "")
    if _MEMORIAL.search(title) or "逝世" not in _incidents(said):
        return kinds - {"逝世"}
    return kinds


def _same_incident(a: EventFacts, b: EventFacts, days: frozenset[str]) -> str:
    """The incident two articles both tell of — one kind (地震, 爆炸 …) at one place, on
    one day — as "place kind", or "".

    The day is one both name, or, when either names none, publication days at most one
    apart. The place is a finest-level one (芦山, 万州) of each article found in the
    other's headline and lead (of the one that names any, when the other names none:
    a story of one quake that mentions another's county names its own too)."""
    kinds = a.incidents & b.incidents
    if not kinds:
        return ""
    if _other_days(a, b, days) and not _same_count_of_day(a, b) and kinds.isdisjoint(CASE_KINDS):
        return ""
    if "紧急事件" in kinds:
        declared = _same_declaration(a, b)
        if declared:
            return declared
        kinds -= {"紧急事件"}
        if not kinds:
            return ""
    # a hospital both name is the place of what happened in it (浙江省中医院's infections
    # told by the province's notice and by the ministry's), whatever else each names
    hospital = next(
        (
            name
            for name in _shared_institutions(a.institutions, b.institutions)
            if name.endswith("医院") and _one_hospital(name)
        ),
        "",
    ) or _shared_hospital(a.institutions, b.institutions)
    if hospital:
        return f"{hospital} {sorted(kinds)[0]}"
    # a country is the place only when one of the two names nothing finer: two shootings
    # in 美国 on one day, one in 纽约 and one in 得州, are two
    finer = (a.fine_places - _COUNTRY_SET, b.fine_places - _COUNTRY_SET)
    first, second = finer if finer[0] and finer[1] else (a.fine_places, b.fine_places)
    if _elsewhere(a, finer[1]) or _elsewhere(b, finer[0]):
        return ""
    if (  # 缅甸's quake, 泰国's fallen tower
        not (finer[0] or finer[1])
        and a.fine_places
        and b.fine_places
        and _main_country(a) != _main_country(b)
    ):
        return ""
    mine = sorted(p for p in first if _found(p, b) or _in_country(p, b))
    theirs = sorted(p for p in second if _found(p, a) or _in_country(p, a))
    if first and second and not (mine and theirs):
        return ""
    places = mine or theirs
    if not places:
        return ""
    return f"{places[0]} {sorted(kinds)[0]}"


def _one_hospital(name: str) -> bool:
    """Whether a hospital's name names one hospital: five characters or more, or four
    whose first two are no kind of hospital nor a word before one (一家, 多家, 该院)."""
    if len(name) >= HOSPITAL_MIN_CHARS:
        return True
    return (
        len(name) == HOSPITAL_MIN_CHARS - 1
        and name not in _KIND_HOSPITALS
        and name[:2] not in _PROVINCE_SET
        and not _WORDS_BEFORE.match(name)
        and name[0] not in "一两二三多该此这那某各本家间"
        and name[1] not in "家间所座"
    )


#: what a hospital's name read from a text may begin with that is no part of the name
#: shared by two ways of writing it: a place's or a level's suffix (南通市第三人民医院 and
#: 苏州市第三人民医院 end alike in 市第三人民医院, and are two hospitals)
_NOT_HOSPITAL_FIRST = frozenset("市县区省州镇乡的之在是和与及")


def _shared_hospital(first: frozenset[str], second: frozenset[str]) -> str:
    """One hospital two articles name with other words before its name (衛生福利部台北醫院,
    署立台北醫院, 部立台北醫院: the ministry's hospital as each outlet calls it), as the
    longest ending their names share that names one hospital (:func:`_one_hospital`: 台北
    医院, not 人民医院), or ""."""
    best = ""
    for name in first:
        if not name.endswith("医院"):
            continue
        for other in second:
            if not other.endswith("医院"):
                continue
            size = _common_ending(name, other)
            ending = name[len(name) - size :]
            if (
                size > len(best)
                and size >= HOSPITAL_MIN_CHARS - 1
                and ending[0] not in _NOT_HOSPITAL_FIRST
                and _one_hospital(ending)
            ):
                best = ending
    return best


def _same_count(a: EventFacts, b: EventFacts) -> str:
    """One place's count of people (HEADCOUNT_MIN at the least) given by two articles
    published at most a day apart, as "place N人", or "": the toll, the arrests or the
    people affected are an incident's own specific, whatever its kind and however each
    outlet tells it (甘肃's mountain race: 21人遇难 in a feature, in the mayor's apology,
    in the rescue's end)."""
    if not _same_count_of_day(a, b) or not _same_host(a, b):
        return ""
    count = max(a.headcounts & b.headcounts, key=int)
    places = sorted(a.title_places & b.title_places) or sorted(
        p for p in a.fine_places if _found(p, b)
    )
    return f"{places[0] if places else ''} {count}人".strip()


def _same_declaration(a: EventFacts, b: EventFacts) -> str:
    """One declaration of the WHO (days near, as :func:`_same_incident` checks), as
    "世卫组织 <disease>", or "": the diseases both name, when both name one, are one, and
    the levels both give the alert, when both give one, are one. A meeting to come
    (将召开会议评估, 商讨是否将…列为) announces a declaration that may not be made, and a
    decision not to declare (尚未构成, 不构成) is no declaration: neither is one with a page
    that declares. The phase read elsewhere is not asked: a declaration's lead often
    quotes what the outbreak 将 cause."""
    if _TO_DECIDE.search(a.text[:LEAD_CHARS]) or _TO_DECIDE.search(b.text[:LEAD_CHARS]):
        return ""
    if bool(_NOT_DECLARED.search(a.text)) != bool(_NOT_DECLARED.search(b.text)):
        return ""
    diseases = (a.incidents & DISEASES, b.incidents & DISEASES)
    if diseases[0] and diseases[1] and not diseases[0] & diseases[1]:
        return ""
    levels = [{_ordinal(n) for n in _LEVEL.findall(f.text)} for f in (a, b)]
    if levels[0] and levels[1] and not levels[0] & levels[1]:
        return ""
    disease = sorted(diseases[0] & diseases[1] or diseases[0] | diseases[1] or {"紧急事件"})[0]
    return f"世卫组织 {disease}"


def _other_quakes(a: EventFacts, b: EventFacts) -> bool:
    """Whether two articles tell of quakes of other magnitudes (none in common): two
    quakes, however alike their words (a region's quake and the next day's)."""
    # a collapse both tell (曼谷's tower in 缅甸's quake) is their event, whatever
    # magnitude each gives the quake behind it, as first read or revised (7.7, 7.9, 8.2);
    # an aftershock is weaker by more
    spread = REVISED_SPREAD if (a.incidents & b.incidents) - {"地震"} else MAGNITUDE_SPREAD
    return (
        "地震" in a.incidents
        and "地震" in b.incidents
        and bool(a.magnitudes and b.magnitudes)
        and all(
            abs(float(x) - float(y)) > spread + 1e-9 for x in a.magnitudes for y in b.magnitudes
        )
    )


def _other_diseases(a: EventFacts, b: EventFacts) -> bool:
    """Whether two headlines name other diseases (寨卡 / 埃博拉) and none in common: the
    WHO's declarations, or two places' cases, of two diseases on one day are two events
    however alike their words; a lead may name another disease as a precedent."""
    if a.incidents.isdisjoint(DISEASES) or b.incidents.isdisjoint(DISEASES):
        return False
    mine, theirs = _incidents(a.title) & DISEASES, _incidents(b.title) & DISEASES
    return bool(mine and theirs and mine.isdisjoint(theirs))
