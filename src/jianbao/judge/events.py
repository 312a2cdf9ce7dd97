"""The event stage of story merging: one story per event, however each outlet wrote it.

The near-copy index (:mod:`jianbao.judge.dedup`) finds republications: the same text
with edits. Outlets that report one announcement in their own words share few shingles,
yet their headlines and leads name the same specifics — the issuing body, the document
(《…》 or its 发文字号), the place, the institution, the numbers. Stories on one *topic*
with different specifics (two provinces' 互联网医院 launches, two years' 电子病历评级
results) must stay apart, and it is the specifics that tell them apart.

So two articles published within a few days are one event when

- their headlines and leads are alike: TF-IDF cosine of character 2- and 3-grams
  (scikit-learn, fitted on the articles of the window compared, so the words every
  health-IT story uses weigh little), plus evidence from the specifics they share
  (the same document, institution, numbers, day, minute or flight code, and a craft or
  site named on a day both name); or they tell of one incident — one kind from a closed
  vocabulary (地震, 爆炸, 火灾, 坍塌, 坠落, 封控 …) at one finest-level place (芦山, 万州),
  on one day (named, or the publication day): the toll at another hour, the rescue, the
  cause or a survivor's story, whose headlines may share no word; or they tell of one
  sitting of a named meeting (第72届世界卫生大会) on days at most one apart, or of one
  institution doing what both headlines say (挂牌, 通报, 发布) on a day both name; and
- nothing they name contradicts: headlines naming different provinces, countries or
  years, one place's bulletins with other counts, quakes of other magnitudes, or an
  announcement against what it announced, are different events whatever their wording.

Every merge carries its reasons (同一文件《…》, 同一会议 72 世界卫生大会, 同一机构,
同一时刻 23:59, 同一事件 芦山 地震, 标题相近 0.82), so the candidates list can say why
items were folded together, and the threshold moves with the editors' corrections
(:func:`learned_threshold`): a split is a pair the stage joined wrongly, a merge a pair
it missed.
"""

from __future__ import annotations

import itertools
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta
from operator import attrgetter
from typing import Any

import numpy as np

from jianbao.judge.category import document_key, document_numbers
from jianbao.judge.char_hashing import hashed_char_ngrams
from jianbao.judge.dedup import normalize_text, normalize_title, strip_furniture
from jianbao.judge.event_releases import basis_documents, cited_documents, released_documents
from jianbao.judge.normalize import simplified
from jianbao.records import Bilingual

#: articles further apart than this are never one event
WINDOW_DAYS = 3
#: the default of the joined similarity (headline and lead, plus the specifics' evidence)
DEFAULT_THRESHOLD = 0.38
#: characters of the body read as its lead
LEAD_CHARS = 200
#: how much each kind of shared specific adds to the similarity
DOCUMENT_BONUS = 0.25
INSTITUTION_BONUS = 0.1
DAY_BONUS = 0.1
#: a clock time named by both (23时59分, 15:40): the minute an event happened or is set
#: for is its own, where a day is shared by every story of that day
CLOCK_BONUS = 0.15
#: an article naming more clock times than this is a timetable, not an event
MAX_CLOCKS = 3
#: a named thing (嫦娥六号, 福建舰, 深中通道, 环球度假区) named by both on a day (or minute)
#: both name: one craft, ship or site on one day is one event, where either alone is a
#: topic (a craft's notice, launch and return share its name on other days)
NAMED_DAY_BONUS = 0.1
NUMBER_BONUS = 0.05
MAX_NUMBER_BONUS = 0.15
#: a bulletin's count both headlines give (新增无症状:137): one day's bulletin, where a
#: figure alone may be any two stories' (8例); small counts (新增1例, 新增3例) recur on
#: one place's other days and count for nothing
COUNT_BONUS = 0.1
COUNT_MIN = 10
#: below this similarity of headline or lead, shared specifics count for nothing: two
#: stories of one day from one ministry share its name and the date, not their event
SPECIFICS_FLOOR = 0.2
#: headlines less alike than this are two stories whatever their leads share (a lead may
#: quote the same ministry, day and document for another story)
HEADLINE_FLOOR = 0.1
#: leads at least this alike, naming the same day, stand without the headlines: outlets
#: that headline one event differently (梦天出征 梦圆天宫 / 梦天实验舱发射任务取得圆满成功)
#: tell it alike
LEAD_ALONE = 0.4

# fmt: off
PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
    "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门",
    "台湾",
)
#: countries often in the news: a headline naming one and another naming a province or
#: another country tell of two places (德国新增7例 / 上海新增1例; 美国 / 韩国 …增至)
COUNTRIES = (
    "美国", "英国", "法国", "德国", "意大利", "西班牙", "葡萄牙", "荷兰", "比利时", "瑞士",
    "瑞典", "挪威", "丹麦", "芬兰", "奥地利", "波兰", "希腊", "乌克兰", "俄罗斯", "日本", "韩国",
    "朝鲜", "印度尼西亚", "印度", "伊朗", "伊拉克", "以色列", "土耳其", "沙特", "阿联酋",
    "埃及", "南非", "巴西", "阿根廷", "智利", "秘鲁", "墨西哥", "加拿大", "澳大利亚",
    "新西兰", "新加坡", "泰国", "越南", "马来西亚", "菲律宾", "巴基斯坦", "缅甸", "老挝",
    "柬埔寨", "尼泊尔", "蒙古国", "黎巴嫩", "叙利亚", "约旦", "巴勒斯坦", "阿富汗", "孟加拉国",
    "斯里兰卡", "摩洛哥", "阿尔及利亚", "利比亚", "突尼斯", "肯尼亚", "尼日利亚", "埃塞俄比亚",
    "古巴", "海地", "哥伦比亚", "委内瑞拉", "厄瓜多尔", "罗马尼亚", "匈牙利", "捷克", "爱尔兰",
    "冰岛",
)
#: other spellings of a country (Taiwan's and Hong Kong's, short forms), read as the
#: country: 纽西兰 is 新西兰, 澳洲 澳大利亚
COUNTRY_SPELLINGS = {
    "澳洲": "澳大利亚", "纽西兰": "新西兰", "义大利": "意大利", "沙乌地": "沙特",
    "印尼": "印度尼西亚", "星加坡": "新加坡", "大马": "马来西亚", "南韩": "韩国",
    "北韩": "朝鲜", "孟加拉": "孟加拉国", "寮国": "老挝",
}
#: the world's large cities and places often in the news, with their country: an event
#: abroad (贝鲁特's blast, 曼谷's tower) names its city with no 市 or 县 for the place
#: rules to read, so a city here is a finest-level place, and a headline naming it names
#: its country. Each spelling (Simplified, and Taiwan's or Hong Kong's where it differs)
#: is read as the first
FOREIGN_CITIES = (
    ("东京", "日本"), ("大阪", "日本"), ("横滨", "日本"), ("名古屋", "日本"), ("札幌", "日本"),
    ("福冈", "日本"), ("神户", "日本"), ("京都", "日本"), ("冲绳", "日本"), ("北海道", "日本"),
    ("首尔", "韩国", "汉城"), ("釜山", "韩国"), ("大邱", "韩国"), ("仁川", "韩国"),
    ("平壤", "朝鲜"), ("曼谷", "泰国"), ("清迈", "泰国"), ("普吉", "泰国"),
    ("仰光", "缅甸"), ("曼德勒", "缅甸", "瓦城"), ("内比都", "缅甸"), ("实皆", "缅甸"),
    ("河内", "越南"), ("胡志明", "越南"), ("岘港", "越南"), ("金边", "柬埔寨"),
    ("万象", "老挝"), ("吉隆坡", "马来西亚"), ("槟城", "马来西亚"), ("马尼拉", "菲律宾"),
    ("雅加达", "印度尼西亚"), ("巴厘岛", "印度尼西亚", "峇里岛"), ("新德里", "印度"),
    ("孟买", "印度"), ("加尔各答", "印度"), ("班加罗尔", "印度"), ("伊斯兰堡", "巴基斯坦"),
    ("卡拉奇", "巴基斯坦"), ("拉合尔", "巴基斯坦"), ("喀布尔", "阿富汗"), ("达卡", "孟加拉国"),
    ("科伦坡", "斯里兰卡"), ("加德满都", "尼泊尔"), ("乌兰巴托", "蒙古国"),
    ("德黑兰", "伊朗"), ("巴格达", "伊拉克"), ("大马士革", "叙利亚"), ("阿勒颇", "叙利亚"),
    ("贝鲁特", "黎巴嫩"), ("耶路撒冷", "以色列"), ("特拉维夫", "以色列"), ("加沙", "巴勒斯坦"),
    ("伊斯坦布尔", "土耳其", "伊斯坦堡"), ("安卡拉", "土耳其"), ("利雅得", "沙特"),
    ("麦加", "沙特"), ("迪拜", "阿联酋", "杜拜"), ("阿布扎比", "阿联酋"), ("多哈", "卡塔尔"),
    ("开罗", "埃及"), ("拉巴特", "摩洛哥"), ("马拉喀什", "摩洛哥"), ("卡萨布兰卡", "摩洛哥"),
    ("内罗毕", "肯尼亚"), ("拉各斯", "尼日利亚"), ("约翰内斯堡", "南非"), ("开普敦", "南非"),
    ("莫斯科", "俄罗斯"), ("圣彼得堡", "俄罗斯"), ("基辅", "乌克兰"), ("伦敦", "英国"),
    ("曼彻斯特", "英国"), ("巴黎", "法国"), ("马赛", "法国"), ("尼斯", "法国"), ("柏林", "德国"),
    ("慕尼黑", "德国"), ("法兰克福", "德国"), ("汉堡", "德国"), ("米兰", "意大利"),
    ("威尼斯", "意大利"), ("那不勒斯", "意大利"), ("马德里", "西班牙"), ("巴塞罗那", "西班牙"),
    ("里斯本", "葡萄牙"), ("阿姆斯特丹", "荷兰"), ("布鲁塞尔", "比利时"), ("日内瓦", "瑞士"),
    ("苏黎世", "瑞士"), ("维也纳", "奥地利"), ("斯德哥尔摩", "瑞典"), ("华沙", "波兰"),
    ("雅典", "希腊"), ("都柏林", "爱尔兰"), ("华盛顿", "美国", "华府"), ("纽约", "美国"),
    ("洛杉矶", "美国", "洛城"), ("旧金山", "美国", "三藩市"), ("芝加哥", "美国"),
    ("休斯敦", "美国", "休士顿"), ("西雅图", "美国"), ("波士顿", "美国"), ("迈阿密", "美国"),
    ("拉斯维加斯", "美国"), ("夏威夷", "美国"), ("加州", "美国"), ("佛罗里达", "美国"),
    ("得克萨斯", "美国", "德州"), ("多伦多", "加拿大"), ("温哥华", "加拿大"),
    ("蒙特利尔", "加拿大"), ("墨西哥城", "墨西哥"), ("圣保罗", "巴西"),
    ("里约热内卢", "巴西", "里约"),
    ("布宜诺斯艾利斯", "阿根廷"), ("圣地亚哥", "智利"), ("利马", "秘鲁"), ("哈瓦那", "古巴"),
    ("悉尼", "澳大利亚", "雪梨"), ("墨尔本", "澳大利亚"), ("布里斯班", "澳大利亚"),
    ("珀斯", "澳大利亚"), ("惠灵顿", "新西兰"), ("基督城", "新西兰"),
)
#: Hong Kong's and Taiwan's spellings of names in the news (as OpenCC's t2s leaves them:
#: 伊莉莎白, 菲腊, 伊波拉, 兹卡), read as the mainland's: outlets that tell one death or one
#: declaration share its name once it is spelled one way. The judge's normalisation
#: converts characters only (:mod:`jianbao.judge.normalize`), and the lexicon's regional
#: forms match its own terms without rewriting the text; the event stage compares whole
#: headlines, so it rewrites the names in what it compares, as it reads the spellings of
#: places abroad above
NAME_SPELLINGS = {
    "伊莉莎白": "伊丽莎白", "菲腊": "菲利普", "查理斯": "查尔斯", "佛奇": "福奇",
    "川普": "特朗普", "普丁": "普京", "蒲亭": "普京", "梅克尔": "默克尔", "马克宏": "马克龙",
    "伊波拉": "埃博拉", "兹卡": "寨卡", "屈公病": "基孔肯雅热", "沙士": "非典",
    "武汉肺炎": "新冠肺炎", "中东呼吸综合症": "中东呼吸综合征",
}
# fmt: on
_NAME_SPELLING = re.compile(
    "|".join(sorted((k for k, v in NAME_SPELLINGS.items() if k != v), key=len, reverse=True))
)


def _spelled(text: str) -> str:
    """``text`` with Hong Kong's and Taiwan's spellings of names (:data:`NAME_SPELLINGS`)
    read as the mainland's."""
    if _NAME_SPELLING.search(text) is None:
        return text
    return _NAME_SPELLING.sub(lambda found: NAME_SPELLINGS[found.group(0)], text)


#: each foreign place's spellings, its country and its first spelling
_FOREIGN_PLACE = {
    spelling: (names[0], names[1])
    for names in FOREIGN_CITIES
    for spelling in (names[0], *names[2:])
}
_FOREIGN_PLACE.update(
    {name: (name, name) for name in COUNTRIES}
    | {spelling: (name, name) for spelling, name in COUNTRY_SPELLINGS.items()}
)
_FOREIGN_SPELLINGS: dict[str, tuple[str, ...]] = {}
for _spelling, (_name, _country) in _FOREIGN_PLACE.items():
    _FOREIGN_SPELLINGS[_name] = (*_FOREIGN_SPELLINGS.get(_name, ()), _spelling)
#: a foreign place in a text: the longest spelling first (罗马尼亚 before any shorter)
_FOREIGN = re.compile("|".join(sorted(_FOREIGN_PLACE, key=len, reverse=True)))
_PROVINCE = re.compile("|".join(PROVINCES + COUNTRIES))
_PROVINCE_SET = frozenset(PROVINCES + COUNTRIES)
_COUNTRY_SET = frozenset(COUNTRIES)
#: a city or county named in a headline: 2–3 characters before 市/县/州 (not 城市, 超市 …),
#: or one before 州 (郑州, 杭州; not 州长, 州委)
_CITY = re.compile(
    r"([\u4e00-\u9fff]{2,3})(市|县|州|盟)(?![场民民委政级])|([\u4e00-\u9fff])州(?![市场民委政级长])"
)
_LEADING_PLACE = re.compile("^(?:" + "|".join(PROVINCES) + "|[于在从向至到和与及的])+")
_NOT_PLACES = frozenset({"城", "超", "都", "全", "本", "我", "该", "各", "门", "上", "股"})
#: an institution: a run of characters ending in what institutions are called
_INSTITUTION = re.compile(
    r"[\u4e00-\u9fff]{2,14}?(?:委员会|卫健委|卫生健康委|医保局|疾控中心|管理局|人民政府|医院|"
    r"中心|大学|学院|研究院|研究所|协会|学会|集团|公司|办公厅|办公室)"
)
#: institutions that issue or appear in a large share of the field's news: no evidence
_COMMON_INSTITUTIONS = frozenset(
    {
        "国家卫生健康委员会",
        "国家卫健委",
        "国家卫生健康委",
        "国家医保局",
        "国家疾控局",
        "人民政府",
        "卫健委",
        "医院",
        "中心",
        "委员会",
    }
)
_WORDS_BEFORE = re.compile(
    r"^(?:[\d多余家个]+|近日|日前|今天|今日|昨天|昨日|据悉|记者从|从|在|由|据|经|将|与|和|及|为)+"
)
#: a headline announcing what is to come, and one reporting what happened: an event's
#: announcement (明早发射, 将着陆) and its outcome (成功发射) are two items for an editor
#: 将 before whom or what something is done to (家属将她送往, 记者将此事反馈给, 宣布将
#: 警戒级别升至6级, 将疫情列为紧急事件) is the object marker 把, not the future: a report of
#: what was done says it too
_BA = (
    r"列为|升至|升为|提升至|提升到|提升为|提高到|提高至|升级为|纳入|定为|定性为|降为|降至|"
    r"送往|送到|送至|转至|转往|推向"
)
_AHEAD = re.compile(
    r"将于|即将|定于|瞄准|明早|明晚|明日|明天|拟|预计|(?<!原)计划|"
    r"将(?![来军其她他它此该这那之患病伤死遗])(?![^，,。；;！!？?]{2,24}?(?:" + _BA + "))"
)
_DONE = re.compile(
    r"成功|圆满|顺利|完成|落幕|闭幕|正式(?:开通|通车|开园|开讲|揭牌|挂牌|投产|开幕|开业)|迎客|"
    r"点火|升空|着陆|发生|投入运营|开通运营|逝世|去世|辞世|驾崩|与世长辞|病逝|离世|身亡|出征|"
    r"正式(?:启动|开始)|登陆|完工|竣工|建成"
)
_FIRST_SENTENCE = re.compile(r"[^。!?！？]*")
_CLAUSE = re.compile(r"[，,。；;！!？?]")
_YEAR = re.compile(r"(20\d{2})\s*年")
_NUMBER = re.compile(
    r"(\d+(?:\.\d+)?)\s*(?:多|余)?\s*(%|万元|亿元|万人|万千瓦|万吨|万|亿|家|个|项|例|人|名|所|台|张|次|种|床|批|级|公里|千米|米|吨)"
)
_DOC_TITLE = re.compile(r"《([^《》]{4,60})》")
#: a day named in the text (4月12日): events are dated, topics are not
_DAY = re.compile(r"(\d{1,2})\s*月\s*(\d{1,2})\s*(?:日|号(?![文楼院线]))")
#: a day named relative to the publication (今天, 今晚, 昨夜 …), with how many days
#: before it: not 今日头条, 今日说法, 今晚报 (names of media)
RELATIVE_DAYS = (
    (0, r"今(?:天|晨|早|晚(?!报)|夜|日(?!头条|说法|俄罗斯|关注|视点|中国))"),
    (1, r"昨(?:天|日|晚|夜|晨)"),
    (2, r"前天"),
)
_RELATIVE_DAYS = tuple((back, re.compile(words)) for back, words in RELATIVE_DAYS)
#: a code of letters and digits (MU5735, G8811, B-1791); not part of a longer word
_CODE = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,3}-?\d{3,5}(?![\d])")
#: a clock time, with the part of the day that may stand before it (晚上8时09分 is 20:09,
#: 深夜11时59分 23:59: outlets write one minute either way) and 点 as spoken (10点55分)
_CLOCK = re.compile(
    r"(下午|傍晚|晚上|晚间|夜间|深夜|夜|晚)?\s*(?<!\d)(\d{1,2})\s*(?:时|点|:|：)\s*(\d{2})(?!\d)"
)
#: a day named without its month (20日, 周一(20日)): the month is the article's own, or the
#: one before when the day is later than the article's
_BARE_DAY = re.compile(r"(?<![\d月.])(\d{1,2})\s*日(?![内以起前后])")
_NON_WORD = re.compile(r"[\W_]+")
#: a bulletin's count in a headline (新增58例, 累计确诊521例): one place's bulletins of two
#: days read alike and differ in their counts
_COUNT = re.compile(
    r"(新增|累计|新确诊|又确诊|再确诊)([\u4e00-\u9fff]{0,8}?)\s*(\d+)\s*(?:例|(?=[，,；;。、]|$))"
)
_NONE_NEW = re.compile(r"无新增([\u4e00-\u9fff]{0,4})")
#: a day's cases told as found (发现1例…无症状感染者, 报告2例): the day's new count, where
#: 例 must follow (发现于2019年 counts nothing)
_FOUND_COUNT = re.compile(r"(?:发现|报告)([\u4e00-\u9fff]{0,8}?)\s*(\d+)\s*例")
#: the day a bulletin counts (7月28日0时至24时, 截至7月26日24时, 25日0-24时): one place's
#: bulletins of two days tell other counts however alike their words, and a headline may
#: give none of its counts (大连30例确诊为凯洋海鲜公司员工)
_BULLETIN_DAY = re.compile(
    r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日\s*(?:0|零)\s*(?:时|点|:00)?\s*(?:至|到|-|—|－|~)\s*24\s*(?:时|点|:00)|"
    r"截至\s*(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日\s*24\s*(?:时|点|:00)"
)
#: what a count counts may follow its figure (新增137例无症状感染者)
COUNTED_AFTER_CHARS = 8
#: what a count counts (cases unless it says cured, discharged, dead, without symptoms or
#: suspected): the same bulletin headlined by its cured and by its cases is no conflict
_COUNTED = re.compile(r"治愈|出院|死亡|无症状|疑似")
#: a named craft, ship, plant, bridge, tunnel, park, airport or plain: what precedes the
#: kind word (two characters at least), compared by their common ending
_NAMED = re.compile(
    r"[\u4e00-\u9fff]{2,6}?(?:[一二三四五六七八九十]{1,3}号|舰|水电站|大桥|通道|度假区|机场|平原|"
    r"铁路|隧道|核电站)"
)
#: the shortest common ending of two names that makes them one name (嫦娥六号, 深中通道)
NAMED_MIN_CHARS = 4
#: endings many names share, which name no one thing (首都国际机场 and 大兴国际机场; 开通绿色通道):
#: a name ending so is not kept
_KIND_NAMES = (
    "国际机场",
    "绿色通道",
    "生命通道",
    "快速通道",
    "专用通道",
    "应急通道",
    "安全通道",
    "救援通道",
    "便民通道",
    "高速铁路",
    "城际铁路",
    "长江大桥",
    "黄河大桥",
    "跨海大桥",
)
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
#: the World Health Organization, however named
_WHO = re.compile(r"世界卫生组织|世卫|(?<![A-Za-z])WHO(?![A-Za-z])|谭德塞|陈冯富珍")
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
#: a place at the finest level a headline or lead names: two characters before 市, 县,
#: 区, 州, 盟, 镇 or 乡 (芦山县 is 芦山, 阿坝州九寨沟县 also 寨沟), compared by being found in
#: the other article's headline and lead (雅安芦山4·20地震 names 芦山 without 县)
_FINE_PLACE = re.compile(
    r"([\u4e00-\u9fff]{1,4}?)(新区|市(?![场值面])|县|区|州(?!市)|盟|镇(?![定压静守])|乡)"
)
#: the cities that are provinces: named as a city (天津市, 重庆市) they are a place as fine
#: as any other city's name
_MUNICIPALITIES = frozenset({"北京", "天津", "上海", "重庆"})
#: what ends like a place and is none (灾区, 景区, 小区, 城市, 超市, 全县, 城镇, 城乡; the
#: parts of a site or a city: 核心区, 工业区, 警戒区, 封控区, 服务区 …)
_NOT_FINE_PLACES = frozenset(
    {
        "灾区",
        "景区",
        "市区",
        "社区",
        "小区",
        "园区",
        "地区",
        "辖区",
        "新区",
        "山区",
        "老区",
        "片区",
        "震区",
        "疫区",
        "校区",
        "展区",
        "病区",
        "院区",
        "发区",
        "矿区",
        "港区",
        "超市",
        "股市",
        "省市",
        "各市",
        "全市",
        "该市",
        "本市",
        "我市",
        "全县",
        "该县",
        "各县",
        "本县",
        "我县",
        "村镇",
        "小镇",
        "古镇",
        "乡镇",
        "家乡",
        "故乡",
        "下乡",
        "全州",
        "中区",
        "心区",
        "税区",
        "范区",
        "验区",
        "能区",
        "活区",
        "公区",
        "宅区",
        "住区",
        "业区",
        "工区",
        "险区",
        "戒区",
        "离区",
        "控区",
        "务区",
        "车区",
        "票区",
        "候区",
        "游区",
        "览区",
        "域区",
        "困县",
        "各州",
        "国州",
        "该区",
        "全区",
        "本区",
        "我区",
        "各区",
        "一区",
        "二区",
        "三区",
        "分区",
        "街区",
        "商区",
        "营区",
        "禁区",
        "保护区",
        "自治区",
        "自治州",
        "治州",
        "治区",
        "治县",
        "省区",
        "市县",
        "县市",
        "县区",
        "区县",
        "市州",
        "集镇",
    }
)
#: cities outlets name without 市 (成都核酸检测系统故障, 台中荣总, 江西宜春袁州区): the
#: prefecture-level cities of the mainland and Taiwan's cities, each a finest-level place
#: as 成都市 is. Names ending in 州 are read by :data:`_FINE_PLACE` already; names that are
#: words as often as cities are left out (中山, 安康, 白银, 来宾, 日照, 普洱, 阿里, 黄山,
#: 朝阳, 红河), and a name that runs on into a longer word is none (北海道, 大理石,
#: 三明治, 哈密瓜, 宁德时代, 广安门)
# fmt: off
CITIES = (
    "石家庄", "唐山", "秦皇岛", "邯郸", "邢台", "保定", "张家口", "承德", "廊坊", "衡水", "太原",
    "大同", "阳泉", "长治", "晋城", "晋中", "运城", "临汾", "吕梁", "呼和浩特", "包头", "乌海",
    "赤峰", "通辽", "鄂尔多斯", "呼伦贝尔", "巴彦淖尔", "乌兰察布", "沈阳", "大连", "鞍山",
    "抚顺", "本溪", "丹东", "营口", "阜新", "辽阳", "盘锦", "铁岭", "葫芦岛", "长春", "四平",
    "辽源", "通化", "松原", "白城", "延边", "哈尔滨", "齐齐哈尔", "鸡西", "鹤岗", "双鸭山",
    "大庆", "伊春", "佳木斯", "七台河", "牡丹江", "黑河", "绥化", "南京", "无锡", "南通",
    "连云港", "淮安", "盐城", "镇江", "宿迁", "宁波", "嘉兴", "绍兴", "金华", "舟山", "丽水",
    "合肥", "芜湖", "蚌埠", "淮南", "马鞍山", "淮北", "铜陵", "安庆", "六安", "宣城", "厦门",
    "莆田", "三明", "南平", "龙岩", "宁德", "南昌", "景德镇", "萍乡", "九江", "新余", "鹰潭",
    "吉安", "宜春", "上饶", "济南", "青岛", "淄博", "枣庄", "东营", "烟台", "潍坊", "济宁",
    "泰安", "威海", "临沂", "聊城", "菏泽", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作",
    "濮阳", "许昌", "漯河", "三门峡", "南阳", "商丘", "信阳", "周口", "驻马店", "武汉", "黄石",
    "十堰", "宜昌", "襄阳", "荆门", "孝感", "黄冈", "咸宁", "恩施", "长沙", "湘潭", "衡阳",
    "邵阳", "岳阳", "常德", "张家界", "益阳", "怀化", "娄底", "湘西", "韶关", "深圳", "珠海",
    "汕头", "佛山", "江门", "湛江", "茂名", "肇庆", "汕尾", "河源", "阳江", "清远", "东莞",
    "揭阳", "云浮", "南宁", "桂林", "北海", "防城港", "贵港", "玉林", "百色", "河池", "崇左",
    "海口", "三亚", "三沙", "成都", "自贡", "攀枝花", "德阳", "绵阳", "广元", "遂宁", "内江",
    "乐山", "南充", "眉山", "宜宾", "广安", "雅安", "巴中", "资阳", "阿坝", "甘孜", "凉山",
    "贵阳", "六盘水", "遵义", "安顺", "毕节", "铜仁", "昆明", "曲靖", "玉溪", "保山", "昭通",
    "丽江", "临沧", "楚雄", "文山", "西双版纳", "大理", "德宏", "瑞丽", "拉萨", "日喀则", "昌都",
    "林芝", "西安", "铜川", "宝鸡", "咸阳", "渭南", "延安", "汉中", "榆林", "商洛", "嘉峪关",
    "金昌", "天水", "武威", "张掖", "平凉", "酒泉", "庆阳", "定西", "陇南", "临夏", "西宁",
    "玉树", "果洛", "银川", "石嘴山", "吴忠", "固原", "乌鲁木齐", "克拉玛依", "吐鲁番", "哈密",
    "喀什", "和田", "阿克苏", "伊犁", "昌吉", "塔城", "阿勒泰", "石河子", "台北", "新北", "桃园",
    "台中", "台南", "高雄", "基隆", "新竹", "嘉义", "彰化", "屏东", "宜兰", "花莲", "台东",
    "南投", "云林", "苗栗", "澎湖", "金门",
)
# fmt: on
#: a city of :data:`CITIES` in a text; provinces are matched too, so that a city's name
#: is not read inside a province's and what follows it (浙江门诊 names no 江门)
_GAZETTEER = re.compile("|".join(sorted((*CITIES, *PROVINCES), key=len, reverse=True)))
_CITY_SET = frozenset(CITIES)
#: what follows a city's name in a longer word that names no city
_NOT_AFTER_CITY = {"北海": "道", "大理": "石", "三明": "治", "哈密": "瓜", "广安": "门"}
_NOT_AFTER_CITY_WORDS = {"宁德": "时代"}
_MONTH_DAY = re.compile(r"(\d+)月(\d+)日")
#: the days of a (common) year before each month's first, by month
_DAY_OF_YEAR = (0, 0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334)
#: what stands before 城 or 都 in a word that is no place (这座城市, 大都市, 老城区, 主城区,
#: 小城镇): a place ending so (丰城市, 盐城市, 成都市, 西城区) is kept
_NOT_PLACE_FIRST = frozenset(
    "这那座大小新老主中心个些的型线级多此该各全本我超一二三四五六七八九十两市县国省城都"
)
#: a quake's magnitude (7.0级): two quakes of one region and days differ in it
_MAGNITUDE = re.compile(r"(\d\.\d)\s*级|规模\s*(\d\.\d)")
#: magnitudes this close are one quake as two agencies measured it (7.7 and 7.9 级)
MAGNITUDE_SPREAD = 0.2
#: … and as far apart as they may be read for one quake behind another incident both tell
REVISED_SPREAD = 0.5
#: a named meeting, fair or forum with its ordinal or year (第72届世界卫生大会, 第七届数字
#: 中国建设峰会, 2020年全国卫生健康工作会议): one sitting of a recurring meeting, where its
#: name alone is a topic (every year has its 世界卫生大会)
_MEETING = re.compile(
    r"(第[一二三四五六七八九十百零〇两\d]{1,6}[届次场]|(?:19|20)\d{2}\s*年度?)"
    r"([\u4e00-\u9fffA-Za-z·]{2,20}?(?:大会|峰会|会议|论坛|博览会|交易会|展览会|年会|全会|"
    r"运动会|发布会))"
)
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6}
_DIGITS.update({"七": 7, "八": 8, "九": 9})
#: the part of a meeting's name it shares with another of the same ordinal, at the least
MEETING_MIN_CHARS = 4
#: what a name does not begin with (2020年召开的会议 names no meeting)
_NOT_NAMES = frozenset("的在于将已召举开各")
#: one meeting sitting both name on days at most one apart, or one institution doing what
#: both headlines say on a day both name, is one event however each outlet headlines it
#: (who spoke, what it decided, the figures it gave): a score of this much at the least
RELEASE_SCORE = 0.4
#: what a headline says an institution did, each told by a closed set of words: one
#: institution doing one of these on a day both name is one release (its founding, a
#: notice, an opening), however each outlet headlines it
ACTS = (
    ("挂牌", r"挂牌|揭牌|成立"),
    ("通报", r"通报"),
    ("发布", r"发布|公布|印发"),
    ("召开", r"召开|开幕|闭幕"),
    ("上线", r"上线|开业|开通|启用|投用"),
    ("交付", r"交付|完工|竣工"),
)
_ACTS = tuple((act, re.compile(words)) for act, words in ACTS)
#: a meeting whose name every host uses (新闻发布会, 第3场新闻发布会): one sitting only when
#: both name its host too, a place or an institution (石家庄's third briefing is not
#: Hebei's)
_HOSTLESS_MEETINGS = ("发布会",)
#: what is done to an official (免职, 任命, 被查, 处分): the person both name, on days at
#: most one apart, is one personnel event however each outlet headlines it
_PERSONNEL = re.compile(
    r"免职|免去|撤职|撤销[\u4e00-\u9fff]{0,8}职务|被查|落马|立案审查|审查调查|接受审查|"
    r"纪律审查|监察调查|双开|开除党籍|处分|任命|辞职|停职|被免"
)
#: a person named beside the act (免去唐志红同志) or after the post (卫健委主任唐志红被免职,
#: 主任刘顺智向…道歉)
_PERSON = re.compile(
    r"(?:免去|撤销|任命|提名)([\u4e00-\u9fff]{2,3}?)(?:同志|的[\u4e00-\u9fff]{0,12}职务)|"
    r"(?:主任|局长|书记|院长|市长|县长|区长|厅长|部长|董事长|总经理|总裁|主席|处长|科长|所长|"
    r"校长|医师|医生|教授)([\u4e00-\u9fff]{2,3}?)(?:同志)?(?:被|遭|涉嫌|接受|因|已|向|给予|严重违纪)|"
    # … or opening a clause as the one investigated (目前，刘翔峰正接受…监察调查)
    r"(?:^|[，,。；;：:])([\u4e00-\u9fff]{2,3}?)(?:正|已|目前)?(?:接受|涉嫌)"
)
#: what ends a body's name, not a person's (医院涉嫌, 该公司接受)
_NOT_PERSON_LAST = frozenset("院司局委会部所厂店室处科校队站组方")
#: what begins no person's name (主任一职被…, 局长助理, 书记被…)
_NOT_PERSON_FIRST = frozenset("一二三四五六七八九十该其此原前现新副被已因等和及与的助职")
#: what a company does on a market (上市, 挂牌, IPO, 融资, 收购), with where (港交所):
#: the company both name doing it, on days at most one apart, is one event
_EXCHANGE = r"(?:香港|港交所|联交所|纳斯达克|纽交所|上交所|深交所|科创板|创业板|北交所|主板)+"
#: a listing's application (递交招股书, 向港交所提交上市申请), told the day it is filed
#: or the next (昨晚递交): one company's filing, however each outlet headlines it
_FILING = (
    r"(?:昨晚|昨日|昨天|今日|今天|日前|近日)?(?:正式)?(?:向|在|于)?(?:" + _EXCHANGE + r")?"
    r"(?:正式)?(?:递交|提交)了?(?:IPO|上市)?(?:招股书|招股说明书|上市申请)"
)
_MARKET = (
    r"(?:在|于|登陆)?(?:" + _EXCHANGE + r"(?:正式)?挂牌|" + _FILING + "|(?:" + _EXCHANGE + r")?"
    r"(?:正式)?(?:挂牌上市|上市|首挂|IPO|敲钟|完成[\u4e00-\u9fffA-Za-z\d+]{0,4}融资|"
    r"获[\u4e00-\u9fff\d.]{0,8}融资|收购|并购))"
)
#: a plaque put up (挂牌) names a founding: a listing's 挂牌 is on an exchange
_MARKET_ACT = re.compile(
    r"挂牌上市|(?<!拟)上市|首挂|IPO|敲钟|融资|收购|并购|招股书|上市申请|"
    + _EXCHANGE
    + r"(?:正式)?挂牌"
)
_COMPANY = re.compile(r"([\u4e00-\u9fffA-Za-z]{2,8}?)" + _MARKET)
#: what a company's name ends in, dropped to compare it with its short name
_COMPANY_SUFFIX = re.compile(r"(?:股份有限公司|有限责任公司|有限公司|控股|集团|公司)+$")
#: what the run before a market act is when it names no company, and words before a
#: company's name that are not part of it (是平安好医生, 正式于香港)
_NOT_COMPANIES = frozenset(
    {
        "分拆",
        "今日",
        "今天",
        "正式",
        "成功",
        "公司",
        "企业",
        "赴港",
        "计划",
        "宣布",
        "已经",
        "此前",
        "首日",
        "当日",
        "拟于",
        "即将",
        "将于",
        "申请",
        "筹备",
        "获批",
        "分拆上市",
    }
)
_BEFORE_COMPANY = re.compile(r"^(?:是|由|在|于|将|已|的|了|让|使|正式|今日|今天|宣布|旗下)+")
#: a market or a place in the run before the act: where, not who (于香港联交所)
_MARKET_PLACE = re.compile(r"香港|港股|美股|A股|交所|纳斯达克|内地|境外")


@dataclass(frozen=True, slots=True)
class EventFacts:
    """What an article's headline and lead say about its event."""

    title: str
    #: normalized headline plus lead, the text the vectors are built from
    text: str
    published: datetime | None
    #: document names (《…》, normalized) and 发文字号 keys
    documents: frozenset[str]
    #: the first document's name as written, for the reason shown
    document_label: str
    institutions: frozenset[str]
    title_places: frozenset[str]
    title_years: frozenset[str]
    #: "ahead" (an announcement), "done" (an outcome) or "" by the headline's wording
    phase: str
    numbers: frozenset[str]
    #: days named in the headline and lead (4月12日)
    days: frozenset[str] = frozenset()
    #: a case as its headline tells it: "疑似" (suspected), "确诊" (confirmed) or "" —
    #: a first case suspected and the same case confirmed days on are two events for an
    #: editor (首例甲型H1N1流感疑似病例 / 确诊首例甲型H1N1流感病例)
    case: str = ""
    #: days the headline or the lead's first sentence gives the incident it tells of
    #: (24日突发山体滑坡; 今天11时02分…二次垮塌, dated by the publication): its own
    #: incident's days, where the rest of a lead may name others' (a warning of the day
    #: before, the day of a report)
    lead_days: frozenset[str] = frozenset()
    #: clock times named in the headline and lead (23:59)
    clocks: frozenset[str] = frozenset()
    #: flight, train and model codes named in the headline and lead (MU5735, G8811)
    codes: frozenset[str] = frozenset()
    #: a bulletin's counts named in the headline (新增58, 累计521)
    counts: frozenset[str] = frozenset()
    #: the days the headline and lead give a bulletin's counts for (7月28日0时至24时)
    bulletin_days: frozenset[str] = frozenset()
    #: named crafts, ships and sites in the headline and lead (嫦娥六号, 深中通道)
    named: frozenset[str] = frozenset()
    #: kinds of incident the headline and lead tell of (地震, 爆炸, 坍塌)
    incidents: frozenset[str] = frozenset()
    #: places at the finest level the headline and lead name (芦山, 万州)
    fine_places: frozenset[str] = frozenset()
    #: the country abroad the article is about: the first its headline names past a column
    #: tag (【缅甸强震】泰国…大楼倒塌 is about 泰国), else the first its lead names, or ""
    country: str = ""
    #: magnitudes named (7.0)
    magnitudes: frozenset[str] = frozenset()
    #: meeting sittings named, as ordinal or year and name (72|世界卫生大会)
    meetings: frozenset[str] = frozenset()
    #: what the headline says was done (挂牌, 通报, 发布 …)
    acts: frozenset[str] = frozenset()
    #: documents the headline and lead name as released (李斌发布了《…》), names as in
    #: ``documents``
    released: frozenset[str] = frozenset()
    #: documents the headline or the lead's first sentence names, not as cited (依据《…》)
    #: nor as a basis, names as in ``documents``
    leading: frozenset[str] = frozenset()
    #: people the headline and lead name in a personnel act (免去唐志红同志, 主任…被免职)
    people: frozenset[str] = frozenset()
    #: companies the headline and lead name on a market (平安好医生港交所挂牌, 京东健康上市)
    companies: frozenset[str] = frozenset()
    #: the countries the WHO is told asking for information (世卫组织要求中国提供…), none
    #: in a page that tells a reply (中方回应)
    requests: frozenset[str] = frozenset()
    #: of those, the ones named as filing to list (微医递交招股书)
    filings: frozenset[str] = frozenset()
    #: counts of people named (HEADCOUNT_MIN at the least: 21 of 21人遇难, 37 of 37名),
    #: none in an outbreak's tally (:data:`_TALLY`)
    headcounts: frozenset[str] = frozenset()


@dataclass(frozen=True, slots=True)
class EventMatch:
    """Two articles compared: the joined score, whether it passes, and why."""

    score: float
    headline: float
    conflict: str | None = None
    reasons: tuple[tuple[str, str], ...] = field(default_factory=tuple)

    def same(self, threshold: float = DEFAULT_THRESHOLD) -> bool:
        return self.conflict is None and self.score >= threshold


def _institutions(text: str) -> set[str]:
    found = set()
    for match in _INSTITUTION.findall(text):
        name = _WORDS_BEFORE.sub("", match)
        if len(name) >= 4 and name not in _COMMON_INSTITUTIONS:
            found.add(name[-10:])
    return found


#: a place a flight, train or ship is headed for (飞往北京, 飞北京): its destination, not
#: where the event is (马航飞北京失踪客机 is 马来西亚's, as 马来西亚航空公司…失去联系)
_DESTINATION = re.compile(
    r"(?:飞往|飞抵|飞|开往|驶往|前往)(?:中国)?(?:" + "|".join(PROVINCES + COUNTRIES) + ")"
)


#: seas named after a country (南印度洋): no place of that country
_SEAS = re.compile(r"印度洋")


#: what a market does that ends in 市 and names no city (暂时休市, 新发地封市, 罢市, 夜市)
_MARKET_WORDS = frozenset("休闭罢夜早股")


def _market_closed(place: str) -> bool:
    """Whether a name read before 市 is a market's closing or kind (时休 of 暂时休市, 地封 of
    新发地封市), not a city (开封市 is one)."""
    return len(place) == 2 and (
        place[-1] in _MARKET_WORDS or (place[-1] == "封" and place[0] != "开")
    )


#: a dateline's place and day (新华网北京5月10日电, 中评社北京11月24日电): where a report was
#: filed, not where its event is
_DATELINE_PLACE = re.compile(
    r"(?:新华网|新华社|中新网|中新社|中评社|海外网|人民网|央视网|中国新闻网)?"
    r"(?:" + "|".join(PROVINCES) + r")\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*(?:电|讯)"
)


def _places(title: str) -> set[str]:
    title = _SEAS.sub("大洋", _DESTINATION.sub("", _DATELINE_PLACE.sub("", title)))
    places = set(_PROVINCE.findall(title))
    # a city abroad (贝鲁特, 曼谷) or another spelling of a country (纽西兰) names its country
    places.update(_FOREIGN_PLACE[name][1] for name in _FOREIGN.findall(title))
    for longer, suffix, single in _CITY.findall(title):
        # 广西藤县 is 藤县, 于梧州 is 梧州: what precedes a county's name is not part of it
        city = _LEADING_PLACE.sub("", longer) if longer else single
        if suffix == "市" and _market_closed(city[-2:]):
            continue
        if city and city[-1] not in _NOT_PLACES and city[0] not in _NOT_PLACES:
            # a one-character name keeps its 州/县 (郑州 written alone or after 河南)
            places.add(city[-2:] if len(city) > 1 else city + (suffix or "州"))
    return places


def _counts(title: str) -> set[str]:
    """A headline's bulletin counts, each as what and how many (新增确诊:58, 累计死亡:3)."""
    found = set()
    for match in _COUNT.finditer(title):
        kind, words, number = match.groups()
        after = title[match.end() : match.end() + COUNTED_AFTER_CHARS]
        counted = _COUNTED.search(words) or _COUNTED.search(_CLAUSE.split(after)[0])
        kind = kind if kind in ("新增", "累计") else "新增"  # 又确诊3例 is the day's new cases
        found.add(f"{kind}{counted.group(0) if counted else '确诊'}:{int(number)}")
    for match in _FOUND_COUNT.finditer(title):
        words, number = match.groups()
        after = title[match.end() : match.end() + COUNTED_AFTER_CHARS]
        counted = _COUNTED.search(words) or _COUNTED.search(_CLAUSE.split(after)[0])
        found.add(f"新增{counted.group(0) if counted else '确诊'}:{int(number)}")
    for words in _NONE_NEW.findall(title):
        counted = _COUNTED.search(words)
        found.add(f"新增{counted.group(0) if counted else '确诊'}:0")
    return found


def _bulletin_days(text: str, published: datetime | None) -> frozenset[str]:
    """The days ``text`` gives a bulletin's counts for (7月28日0时至24时, 截至26日24时), a
    day without its month dated as :func:`_days` dates it."""
    found = set()
    for match in _BULLETIN_DAY.finditer(text):
        month, day, month_to, day_to = match.groups()
        month, day = (month, day) if day else (month_to, day_to)
        if month:
            found.add(f"{int(month)}月{int(day)}日")
        else:
            found.update(_days(f"{int(day)}日", published))
    return frozenset(found)


def _told(text: str) -> tuple[bool, bool]:
    """Whether ``text`` says something is to come, and whether it says something happened:
    a done word with a future word just before it in its clause (将于24日正式通车,
    预计6月30日正式开通, 将着陆) says what is to come."""
    done = False
    for match in _DONE.finditer(text):
        clause = _CLAUSE.split(text[max(0, match.start() - 30) : match.start()])[-1]
        if not _AHEAD.search(clause):
            done = True
            break
    return bool(_AHEAD.search(text)), done


def _clocks(text: str) -> frozenset[str]:
    """The clock times an article names, when it names an event's few (a timetable's
    many, 07:00——07:30 …, say no minute of any one event)."""
    found = set()
    for part, hour, minute in _CLOCK.findall(text):
        h = int(hour)
        if part and h < 12 and not (part in ("深夜", "夜") and h < 5):
            h += 12
        if h < 24:
            found.add(f"{h}:{minute}")
    return frozenset(found) if len(found) <= MAX_CLOCKS else frozenset()


def _days(text: str, published: datetime | None) -> frozenset[str]:
    """The days an article names (4月12日), a day without its month (20日) dated by the
    article's own publication (the month it was published in, or the one before for a day
    later than the publication's)."""
    found = {f"{int(m)}月{int(d)}日" for m, d in _DAY.findall(text)}
    if published is not None:
        for day in (int(d) for d in _BARE_DAY.findall(_DAY.sub("", text))):
            if not 1 <= day <= 31:
                continue
            month = published.month if day <= published.day + 1 else published.month - 1 or 12
            found.add(f"{month}月{day}日")
    return frozenset(found)


#: a dateline: the day a report was filed (新华社北京1月26日电, 4月9日消息, 26日讯)
_DATELINE = re.compile(r"(?:\d{1,2}\s*月\s*)?\d{1,2}\s*日\s*(?:电|讯|消息)")


#: the Chinese character pairs a first sentence shares with its headline at the least to
#: tell the headline's story
OPENING_BIGRAMS = 2
_HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")


def _bigrams(text: str) -> set[str]:
    """The pairs of adjacent Chinese characters of ``text``."""
    return {run[n : n + 2] for run in _HAN_RUN.findall(text) for n in range(len(run) - 1)}


def _leading_documents(title: str, lead: str, documents: set[str]) -> frozenset[str]:
    """The documents of ``documents`` the headline or the lead's first sentence names,
    not as cited (依据《…》): what the page opens with is its news, and a name deeper in
    the lead may be a quotation or another story's paragraph."""
    first = _FIRST_SENTENCE.match(lead)
    sentence = first.group(0) if first else ""
    # a first sentence that shares no words with the headline is not its story's (a
    # quotation, a box of another story's paragraph): its documents are not the page's
    if len(_bigrams(title) & _bigrams(sentence)) < OPENING_BIGRAMS:
        sentence = ""
    opening = title + "\n" + sentence
    named = {_NON_WORD.sub("", m) for m in _DOC_TITLE.findall(opening)}
    return frozenset((named & documents) - cited_documents(opening))


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


def _relative_days(title: str, lead: str, published: datetime | None) -> frozenset[str]:
    """The days the headline or the lead's first sentence names relative to the
    publication (工信部今日向…发放, 昨晚), dated by it: the day another outlet writes out
    (6月6日，工信部向…)."""
    if published is None:
        return _NONE
    first = _FIRST_SENTENCE.match(lead)
    said = _DATELINE.sub("", title + "，" + (first.group(0)[:80] if first else ""))
    found = set()
    for back, words in _RELATIVE_DAYS:
        if words.search(said):
            day = published - timedelta(days=back)
            found.add(f"{day.month}月{day.day}日")
    return frozenset(found)


#: words that date what is to come, where a bare 将 in a lead's later sentences is as often
#: a quote's or a background's future (将造成灾难性的后果, 王储将继位) or 把
_DEFINITE_AHEAD = re.compile(r"将于|即将|定于|瞄准|明早|明晚|明日|明天|预计|(?<!原)计划|拟")


def _phase(
    title: str, lead: str = "", lead_too: bool = True, published: datetime | None = None
) -> str:
    """ "ahead" (an announcement), "done" (an outcome) or "", read in the headline and the
    lead's first sentence, else in the rest of the lead (a headline that names the event
    alone, 天宫课堂第一课开讲, is an announcement when its lead says 定于) unless
    ``lead_too`` is false: a meeting's report says next what the meeting 将 discuss
    (第72届世界卫生大会20日开幕。本届大会将围绕…), which announces nothing.

    A headline or first sentence with neither kind of word may still date what it tells
    from a day (13日0时起正式下线): from a day after its publication it announces, from
    its own day or before it reports what has begun — the next day's report of a service
    closed (12月13日0时起，行程卡正式下线) is not the notice of the day before, whose
    background says the service 将 close."""
    first = _FIRST_SENTENCE.match(lead)
    said = title + "。" + (first.group(0)[:80] if first else "")
    for text in (said, lead[:LEAD_CHARS]) if lead_too else (said,):
        ahead, done = _told(text)
        if done:
            return "done"
        if ahead and (text is said or _DEFINITE_AHEAD.search(text)):
            return "ahead"
        if text is said:
            dated = _set_for(said, published)
            if dated:
                return dated
    return ""


#: a day (or today, tomorrow) from which something is done: 13日0时起, 12月13日零时起,
#: 今起, 明日起 — a clause's own start, not a day merely named
_FROM_DAY = re.compile(
    r"(?:(\d{1,2})\s*月\s*)?(\d{1,2})\s*日[^，,。；;：:！!？?（(]{0,8}?起|(今|即|明)(?:日|天)?起"
)


def _set_for(text: str, published: datetime | None) -> str:
    """ "ahead" when ``text`` says something is done from a day after ``published``
    (tomorrow, or a named day later), "done" when from that day or before, or ""."""
    found = _FROM_DAY.search(text)
    if not found:
        return ""
    month, day, relative = found.groups()
    if relative:
        return "ahead" if relative == "明" else "done"
    if published is None:
        return ""
    number = int(day)
    if month:
        named = _DAY_OF_YEAR[int(month)] + number if 1 <= int(month) <= 12 else None
    else:  # a day without its month is this month's, or next month's when long past
        named = _DAY_OF_YEAR[published.month] + number
        if number + 20 < published.day and published.month < 12:
            named = _DAY_OF_YEAR[published.month + 1] + number
    if named is None:
        return ""
    ahead = 0 < named - _day_of_year(published) <= 60
    return "ahead" if ahead else "done"


#: a case told as suspected, and as confirmed (确诊, 证实, 确认): a headline naming both
#: (新增确诊5例，疑似3例) is a bulletin of both and tells no one stage
_SUSPECTED = re.compile(r"疑似|疑为|疑患|疑染")
_CONFIRMED = re.compile(r"确诊|证实|确认")


def _case(title: str) -> str:
    """ "疑似" when a headline tells of a suspected case only, "确诊" a confirmed one only,
    else ""."""
    suspected, confirmed = bool(_SUSPECTED.search(title)), bool(_CONFIRMED.search(title))
    if suspected == confirmed:
        return ""
    return "疑似" if suspected else "确诊"


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


#: a road named by its two-character abbreviation (梅大高速, 沈海高速): the characters of the
#: places it joins, each outlet free to write another's (梅龙高速 for 梅大高速). Read only
#: where the abbreviation begins a word: after no Chinese character, a place's or a
#: province's name, or a word that leads to a place (在, 于, 往 …); 发生高速公路 names none
_ROAD = re.compile(r"([\u4e00-\u9fff]{2})高速")
_BEFORE_ROAD = re.compile(
    "(?:^|[^\u4e00-\u9fff]|[省市县区在于经往的]|" + "|".join(PROVINCES) + ")$"
)


#: what two characters before 高速 may be that abbreviate no road: a province, a part
#: of an area (全省高速, 境内高速, 市内高速) or a verb (造成高速, 进入高速)
_NOT_ROAD_FIRST = frozenset("全各本该境市省县区我其这那此在于")
_NOT_ROAD_SECOND = frozenset("省市县区内外部上下")
_NOT_ROADS = frozenset({"造成", "发生", "导致", "进入", "驶入", "驶上", "驶出", "上了", "下了"})


#: a national road by its number (312国道, G312国道): one road, whichever city's stretch
#: an outlet names (无锡312国道, 312国道无锡段)
_NATIONAL_ROAD = re.compile(r"(?<![\dA-Za-z])G?(\d{3})\s*国道")


def _roads(text: str) -> set[str]:
    """The expressways ``text`` names by their abbreviation, each with 高速 (梅大高速),
    and the national roads by their number (312国道)."""
    found = {number + "国道" for number in _NATIONAL_ROAD.findall(text)}
    for match in _ROAD.finditer(text):
        name = match.group(1)
        if (
            name in _NOT_ROADS
            or name in _PROVINCE_SET
            or name[0] in _NOT_ROAD_FIRST
            or name[1] in _NOT_ROAD_SECOND
        ):
            continue
        if _BEFORE_ROAD.search(text[max(0, match.start() - 3) : match.start()]):
            found.add(match.group(0))
    return found


def _fine_places(text: str) -> frozenset[str]:
    """The places at the finest level ``text`` names (two characters each), and the
    roads it names by their abbreviation or number (梅大高速, 312国道)."""
    found = _roads(text)
    for name, suffix in _FINE_PLACE.findall(text):
        # 广州, 郑州, 阿坝州: a prefecture's name is often one character before 州 or 盟,
        # which is kept with it (据广州 is 广州, not 据广)
        place = name[-1] + suffix if suffix in ("州", "盟") else name[-2:]
        if len(place) < 2 or place in _NOT_FINE_PLACES or place[-1] + suffix in _NOT_FINE_PLACES:
            continue
        if (place in _PROVINCE_SET and place not in _MUNICIPALITIES) or place[0] in _NOT_PLACES:
            continue
        if place[-1] in "城都" and place[0] in _NOT_PLACE_FIRST:
            continue
        if suffix == "市" and place[-1] == "上":  # 上市 is a listing (首日上市), no city
            continue
        if suffix == "市" and _market_closed(place):
            continue
        found.add(place)
    return frozenset(found)


def _cities(text: str) -> set[str]:
    """The cities of :data:`CITIES` ``text`` names without their suffix (成都, 台中)."""
    found = set()
    for match in _GAZETTEER.finditer(text):
        name = match.group(0)
        if name not in _CITY_SET:
            continue
        after = text[match.end() : match.end() + 2]
        if after[:1] == _NOT_AFTER_CITY.get(name) or after == _NOT_AFTER_CITY_WORDS.get(name):
            continue
        found.add(name)
    return found


def _named_cities(title: str, lead: str) -> frozenset[str]:
    """The cities of :data:`CITIES` the headline and the lead's first sentence name: where
    a text names its event's city without 市, it names it first; a city further on is
    a comparison or a background's (北京's market closed, as 武汉 had been)."""
    first = _FIRST_SENTENCE.match(lead)
    return frozenset(_cities(title + "，" + (first.group(0)[:80] if first else "")))


def _abroad(title: str, lead: str) -> frozenset[str]:
    """The places abroad the headline and the lead's first sentence name (贝鲁特港口,
    缅甸中部): a city or the country is as fine as a news text names an event abroad by,
    and it names it first; places further on are where the event was felt or answered
    (泰国亦有震感, 美国表示哀悼)."""
    first = _FIRST_SENTENCE.match(lead)
    said = _SEAS.sub("大洋", title + "，" + (first.group(0)[:80] if first else ""))
    return frozenset(_FOREIGN_PLACE[name][0] for name in _FOREIGN.findall(said))


def _ordinal(written: str) -> int | None:
    """A number written in digits or in Chinese numerals up to the thousands (七十二 is 72,
    一百零五 105), or None."""
    if written.isdigit():
        return int(written)
    total, digit = 0, 0
    for char in written:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in "十百千":
            total += (digit or 1) * {"十": 10, "百": 100, "千": 1000}[char]
            digit = 0
        else:
            return None
    return total + digit


def _meetings(text: str) -> frozenset[str]:
    """The meeting sittings ``text`` names, each as its ordinal or year and its name
    (第七十二届世界卫生大会 and 第72届世界卫生大会 are both 72|世界卫生大会)."""
    found = set()
    for number, name in _MEETING.findall(text):
        digits = number.strip("第届次场年度 ")
        value = _ordinal(digits)
        if value is not None and len(name) >= MEETING_MIN_CHARS and name[0] not in _NOT_NAMES:
            found.add(f"{value}|{name}")
    return frozenset(found)


#: a country's head of government or state, named by the post (黎巴嫩总理宣布政府辞职):
#: one person however each outlet names or leaves out the name
_LEADER = re.compile("(" + "|".join(COUNTRIES) + ")(?:总理|总统|首相)")


#: a request that a country give information (要求中国提供, 要求中方提供更多…信息)
_REQUEST = re.compile(
    r"(?:要求|呼吁|敦促|促请)(中国|中方|" + "|".join(COUNTRIES) + r")(?:政府|当局)?"
    r"[\u4e00-\u9fff]{0,4}?(?:提供|分享|公开|通报)"
)
#: a reply to a request, an event of its own (中方回应, 已提供数据)
_REPLY = re.compile(r"回应|答复|回复|已提供|已分享|已向")


def _requests(title: str, lead: str) -> frozenset[str]:
    """The countries the WHO is told asking for information in the headline and lead
    (世卫组织要求中国提供…), as the country: one request however each outlet tells it,
    and the reply (中方回应, 已提供数据) another event."""
    text = title + "，" + lead[:LEAD_CHARS]
    if _REPLY.search(title) or not _WHO.search(text):
        return _NONE
    return frozenset("中国" if c == "中方" else c for c in _REQUEST.findall(text))


def _people(text: str) -> frozenset[str]:
    """The people ``text`` names in a personnel act (免职, 任命, 处分 …), when it tells of one,
    and the heads of government or state of the countries it names in it (黎巴嫩总理)."""
    if not _PERSONNEL.search(text):
        return _NONE
    found = {a or b or c for a, b, c in _PERSON.findall(text)}
    found.update(country + "总理" for country in _LEADER.findall(text))
    return frozenset(
        name
        for name in found
        if name[0] not in _NOT_PERSON_FIRST and name[-1] not in _NOT_PERSON_LAST
    )


def _companies(text: str) -> frozenset[str]:
    """The companies ``text`` names on a market (上市, 挂牌, IPO, 融资, 收购): the name before
    the act, and a company's full name (京东健康股份有限公司) without its ending."""
    if not _MARKET_ACT.search(text):
        return _NONE
    found = set()
    for name in _COMPANY.findall(text):
        name = _BEFORE_COMPANY.sub("", _WORDS_BEFORE.sub("", name))
        name = _COMPANY_SUFFIX.sub("", name) or name  # 微医控股 is 微医
        if len(name) >= 2 and name not in _NOT_COMPANIES and not _MARKET_PLACE.search(name):
            found.add(name)
    for name in _institutions(text):
        if name.endswith(("公司", "集团")):
            short = _COMPANY_SUFFIX.sub("", name.rpartition("的")[2])
            if len(short) >= 2:
                found.add(short)
    return frozenset(found)


def _filings(text: str, companies: frozenset[str]) -> frozenset[str]:
    """The companies ``text`` names as filing to list (递交招股书, 提交上市申请): a filing is
    done though what it asks for is ahead (拟香港IPO上市), so it is matched as an event of
    its own, not refused as an announcement."""
    return companies if companies and _FILED.search(text) else _NONE


_FILED = re.compile(_FILING)


def _shared_company(first: frozenset[str], second: frozenset[str]) -> str:
    """A company named by both (one name the beginning of the other, three characters at
    the least: 京东健康 and 京东健康股份), or ""."""
    for name in sorted(first):
        for other in sorted(second):
            short = min(name, other, key=len)
            if name == other or (
                len(short) >= 3 and (name.startswith(other) or other.startswith(name))
            ):
                return short
    return ""


def event_facts(title: str, body: str, published: datetime | None = None) -> EventFacts:
    """The specifics of an article, from its headline and the lead of its body (in the
    normalized Simplified form, as the judge reads it)."""
    title = _spelled(simplified(title or ""))
    lead = _spelled(strip_furniture(simplified(body or ""))[: LEAD_CHARS * 2])
    head = title + "\n" + lead
    documents = {
        name for name in (_NON_WORD.sub("", m) for m in _DOC_TITLE.findall(head)) if len(name) >= 4
    }
    # a document issued under another names the other as its basis: that name is not
    # what the page tells of, when it names a document of its own
    basis = basis_documents(head)
    if documents - basis:
        documents -= basis
    documents.update("no:" + document_key(n) for n in document_numbers(head))
    written = [w for w in _DOC_TITLE.findall(head) if _NON_WORD.sub("", w) in documents]
    short_title = normalize_title(title)
    meetings = _meetings(title + "，" + lead[:LEAD_CHARS])
    companies = _companies(title + "，" + lead[:LEAD_CHARS])
    numbers = frozenset(a + u for a, u in _NUMBER.findall(title + lead[:LEAD_CHARS]))
    facts = EventFacts(
        title=short_title,
        text=short_title + " " + normalize_text(lead)[:LEAD_CHARS],
        published=published,
        documents=frozenset(documents),
        document_label=written[0] if written else "",
        institutions=frozenset(_institutions(title + "，" + lead[:LEAD_CHARS])),
        title_places=frozenset(_places(title)),
        title_years=frozenset(_YEAR.findall(title)),
        phase=_phase(title, lead, lead_too=not meetings, published=published),
        case=_case(title),
        numbers=numbers,
        days=_days(title + lead[:LEAD_CHARS], published) | _relative_days(title, lead, published),
        lead_days=_lead_days(title, lead, published),
        clocks=_clocks(title + lead[:LEAD_CHARS]),
        codes=frozenset(_CODE.findall(title + lead[:LEAD_CHARS])),
        counts=frozenset(_counts(title)),
        bulletin_days=_bulletin_days(title + "，" + lead[:LEAD_CHARS], published),
        named=frozenset(
            name
            for name in _NAMED.findall(title + "，" + lead[:LEAD_CHARS])
            if not name.endswith(_KIND_NAMES)
        ),
        incidents=_told_incidents(title, lead),
        fine_places=_fine_places(title + "，" + lead[:LEAD_CHARS])
        | _abroad(title, lead)
        | _named_cities(title, lead),
        magnitudes=frozenset(a or b for a, b in _MAGNITUDE.findall(title + lead[:LEAD_CHARS])),
        country=_first_country(
            normalize_title(_COLUMN_TAG.sub("", title, count=1))
            + " "
            + normalize_text(lead)[:LEAD_CHARS]
        ),
        meetings=meetings,
        acts=frozenset(act for act, words in _ACTS if words.search(title)),
        released=released_documents(title + "\n" + lead[:LEAD_CHARS]),
        leading=_leading_documents(title, lead, documents),
        people=_people(title + "，" + lead[:LEAD_CHARS]),
        companies=companies,
        filings=_filings(title + "，" + lead[:LEAD_CHARS], companies),
        headcounts=_headcounts(numbers, title + "，" + lead[:LEAD_CHARS]),
        requests=_requests(title, lead),
    )
    # most of an article's sets are empty, and each empty frozenset is an object of its
    # own (216 bytes): a window's facts share one instead (issue 21)
    for name in _SET_FIELDS:
        if not getattr(facts, name):
            object.__setattr__(facts, name, _NONE)
    return facts


#: the fields of :class:`EventFacts` that hold sets, and the empty set they share
_SET_FIELDS = tuple(f.name for f in fields(EventFacts) if str(f.type).startswith("frozenset"))
_NONE: frozenset[str] = frozenset()


#: character 2- and 3-grams hashed into this many columns (collisions are negligible: at
#: 2**19 every figure of benchmarks/stories.py is that of 2**20; 2**18 merged more)
_FEATURES = 2**19
#: analysed texts kept per process: a store's window is read again for every new
#: article, so each stored article's text is analysed once per process, not once per join
_MAX_CACHED = 20000


@dataclass(frozen=True, slots=True)
class _Row:
    """A text's n-grams (in the order of their hashed columns, each once) as numbers of
    the process's vocabulary (:data:`_column_id`), and their counts in the text: plain
    arrays, so joining a window concatenates them without SciPy's per-row attribute
    calls. The counts are small integers (a byte each below 256, where the sublinear
    term frequencies 1 + log(count) as floats took 8: issue 21), the numbers 2 bytes
    while the vocabulary fits (:func:`_small_ids`); :func:`_term_frequencies` looks the
    frequencies up in a table, so no logarithm is taken per join."""

    ids: np.ndarray
    counts: np.ndarray


#: 1 + log(k) at place k (place 0 unused): the sublinear term frequency of a count, the
#: same float that computing it gives; grown when a text holds an n-gram more often
_log_table = np.concatenate(([0.0], 1.0 + np.log(np.arange(1, 256, dtype=np.float64))))


def _term_frequencies(counts: np.ndarray) -> np.ndarray:
    """1 + log(count) of each count (all below the table's length: :func:`_small_counts`)."""
    return _log_table[counts]


def _small_counts(counts: np.ndarray) -> np.ndarray:
    """Counts (floats of whole numbers) as the smallest unsigned integers that hold
    them, the table of term frequencies grown to cover them first."""
    global _log_table
    top = int(counts.max()) if len(counts) else 0
    if top >= len(_log_table):
        size = max(top + 1, 2 * len(_log_table))
        grown = np.concatenate(([0.0], 1.0 + np.log(np.arange(1, size, dtype=np.float64))))
        _log_table = grown  # one assignment: a reader sees the old table or the new
    return counts.astype(np.uint8 if top < 2**8 else np.uint16 if top < 2**16 else np.uint32)


def _small_ids(ids: np.ndarray) -> np.ndarray:
    """Vocabulary numbers as 2-byte integers while the vocabulary numbers fit (its
    first 65,536 n-grams, the most common ones, come first), else as they are: a
    window's joining concatenates and counts them the same whatever their width."""
    return ids.astype(np.uint16) if len(ids) and int(ids.max()) < 2**16 else ids


_cached: OrderedDict[str, _Row] = OrderedDict()
#: the hashed columns this process has met, numbered as they came: a window's n-grams
#: are counted and looked up in tables as long as the columns met (a few thousand in the
#: collect world), where tables of all 2**19 columns made each join's counting and
#: lookups wander over megabytes (issue 21). At most 2**19 numbers: no larger than before
_column_id = np.full(_FEATURES, -1, dtype=np.int32)
_id_column = np.zeros(0, dtype=np.int32)
_vocabulary_lock = threading.Lock()
#: a dense vector of the new article's weights, kept zeroed between joins (one per
#: thread): allocating and zeroing a 2**19 array for every join was a tenth of its cost
_scratch = threading.local()


def _analysed(texts: Sequence[str]) -> list[_Row]:
    """The rows of the texts, from the cache (the missing ones hashed and kept)."""
    found: list[_Row | None] = []
    for text in texts:
        row = _cached.get(text)
        if row is not None:
            _cached.move_to_end(text)
        found.append(row)
    missing = [text for text in dict.fromkeys(texts) if text not in _cached]
    if missing:
        # hashed with NumPy alone, to the column and count what scikit-learn's
        # HashingVectorizer(analyzer="char", ngram_range=(2, 3), alternate_sign=False,
        # norm=None) gives: a collecting process need not import scikit-learn and SciPy
        # for it (about 70 MB, issue 21)
        indptr, columns, counts = hashed_char_ngrams(missing, _FEATURES)
        ids = _small_ids(_numbered(columns))
        small = _small_counts(counts)
        made = {}
        for n, text in enumerate(missing):
            low, high = indptr[n], indptr[n + 1]
            made[text] = _cached[text] = _Row(ids[low:high], small[low:high])
        while len(_cached) > _MAX_CACHED:
            _cached.popitem(last=False)
        found = [made[text] if row is None else row for row, text in zip(found, texts, strict=True)]
    return [row for row in found if row is not None]


def _numbered(columns: np.ndarray) -> np.ndarray:
    """The vocabulary's numbers of hashed ``columns``, the new ones numbered first."""
    global _id_column
    ids = _column_id[columns]
    if (ids < 0).any():
        with _vocabulary_lock:
            new = np.unique(columns[_column_id[columns] < 0])
            start = len(_id_column)
            # the table back first: whoever finds a number finds its column
            _id_column = np.concatenate([_id_column, new.astype(np.int32)])
            _column_id[new] = np.arange(start, start + len(new))
        ids = _column_id[columns]
    return ids


def _tf_matrix(texts: Sequence[str]) -> Any:
    """The texts' sublinear term frequencies, one sparse row each."""
    from scipy.sparse import csr_matrix

    rows = _analysed(texts)
    sizes = [len(row.ids) for row in rows]
    indptr = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64)
    if not indptr[-1]:
        return csr_matrix((len(rows), _FEATURES))
    columns = _id_column[np.concatenate([row.ids for row in rows])]
    tf = _term_frequencies(np.concatenate([row.counts for row in rows]))
    return csr_matrix((tf, columns, indptr), shape=(len(rows), _FEATURES))


def _tfidf(tf: Any) -> Any:
    """Sublinear TF times smoothed IDF fitted on these rows, rows of unit length (what
    scikit-learn's TfidfVectorizer gives, from term frequencies already made)."""
    matrix = tf.astype(np.float64)
    if not matrix.nnz:
        return matrix
    _columns, inverse = np.unique(matrix.indices, return_inverse=True)
    frequency = np.bincount(inverse)
    idf = np.log((1 + matrix.shape[0]) / (1 + frequency)) + 1.0
    matrix.data = matrix.data * idf[inverse]
    per_row = np.diff(matrix.indptr)
    rows = np.repeat(np.arange(matrix.shape[0]), per_row)
    lengths = np.sqrt(np.bincount(rows, weights=matrix.data**2, minlength=matrix.shape[0]))
    lengths[lengths == 0] = 1.0
    matrix.data /= np.repeat(lengths, per_row)
    return matrix


def similarity_matrices(facts: Sequence[EventFacts]) -> tuple[np.ndarray, np.ndarray]:
    """Cosine similarities of the headlines, and of headline plus lead, all pairs, with
    TF-IDF weights fitted on these articles (a window's: what every story of the window
    says weighs little)."""
    if not facts:
        return np.zeros((0, 0)), np.zeros((0, 0))
    titles = _tfidf(_tf_matrix([f.title or "∅" for f in facts]))
    texts = _tfidf(_tf_matrix([f.text or "∅" for f in facts]))
    return (titles @ titles.T).toarray(), (texts @ texts.T).toarray()


def similarities_to_first(facts: Sequence[EventFacts]) -> tuple[np.ndarray, np.ndarray]:
    """The first row of :func:`similarity_matrices` alone (a new article against its
    window): the same weights, without the products of every other pair."""
    if not facts:
        return np.zeros(0), np.zeros(0)
    return _headlines_to_first(facts), _leads_to_first(facts)


def _headlines_to_first(facts: Sequence[EventFacts]) -> np.ndarray:
    return _first_row([f.title or "∅" for f in facts])


def _leads_to_first(facts: Sequence[EventFacts], only: Sequence[int] | None = None) -> np.ndarray:
    return _first_row([f.text or "∅" for f in facts], only)


def _first_row(texts: Sequence[str], only: Sequence[int] | None = None) -> np.ndarray:
    """Cosine of the first text's TF-IDF vector with every text's (weights fitted on
    these texts), computed on the cached rows' arrays joined end to end: stacking a
    window's sparse rows and sorting their columns cost most of the event stage (issue
    21), and the weights need only each column's count of texts.

    With ``only`` (positions among ``texts``), the other positions are left 0: every
    text counts in the weights, but only those rows are weighted and measured (the
    leads of the few articles whose headlines come near, not the window's hundreds)."""
    rows = _analysed(texts)
    count = len(rows)
    every = [row.ids for row in rows]
    sizes = np.fromiter(map(len, every), dtype=np.int64, count=count)
    result = np.zeros(count)
    if not sizes.sum():
        return result
    columns = np.concatenate(every)
    # smoothed IDF over these texts (a text holds a column once in its row), looked up
    # by each column's count of texts in a table as long as the window
    frequency = np.bincount(columns)
    idf = np.log((1 + count) / (1 + np.arange(count + 1))) + 1.0
    if only is None:
        picked = np.arange(count)
        picked_columns = columns
        tf = _term_frequencies(np.concatenate([row.counts for row in rows]))
    else:
        picked = np.unique(np.asarray([0, *only], dtype=np.int64))
        chosen = [rows[n] for n in picked.tolist()]
        picked_columns = np.concatenate([row.ids for row in chosen])
        tf = _term_frequencies(np.concatenate([row.counts for row in chosen]))
    weights = tf * idf[frequency[picked_columns]]
    owner = np.repeat(np.arange(len(picked)), sizes[picked])
    lengths = np.sqrt(np.bincount(owner, weights=weights**2, minlength=len(picked)))
    lengths[lengths == 0] = 1.0
    first = getattr(_scratch, "first", None)
    if first is None:
        first = _scratch.first = np.zeros(_FEATURES)
    own = rows[0].ids
    try:
        first[own] = weights[: len(own)] / lengths[0]
        dots = np.bincount(owner, weights=first[picked_columns] * weights, minlength=len(picked))
    finally:
        first[own] = 0.0
    result[picked] = dots / lengths
    return result


def compare(a: EventFacts, b: EventFacts, headline: float, lead: float) -> EventMatch:
    """Join the vector similarities with the specifics the two share or contradict."""
    if a.published and b.published and abs(a.published - b.published) > timedelta(days=WINDOW_DAYS):
        return EventMatch(0.0, headline, conflict="window")
    shared_documents = a.documents & b.documents
    reasons: list[tuple[str, str]] = []
    if not shared_documents and _other_place(a.title_places, b.title_places):
        return EventMatch(0.0, headline, conflict="place")
    if _other_counts(a.counts, b.counts) or (
        a.bulletin_days and b.bulletin_days and a.bulletin_days.isdisjoint(b.bulletin_days)
    ):
        return EventMatch(0.0, headline, conflict="counts")
    years = (a.title_years, b.title_years)
    if not shared_documents and years[0] and years[1] and not years[0] & years[1]:
        return EventMatch(0.0, headline, conflict="year")
    if {a.phase, b.phase} == {"ahead", "done"} or {a.case, b.case} == {"疑似", "确诊"}:
        return EventMatch(0.0, headline, conflict="phase")
    if _other_quakes(a, b):
        return EventMatch(0.0, headline, conflict="magnitude")
    if _other_diseases(a, b):
        return EventMatch(0.0, headline, conflict="disease")
    clocks, days, codes = a.clocks & b.clocks, a.days & b.days, a.codes & b.codes
    named = _shared_name(a.named, b.named) if days or clocks else ""
    incident = _same_incident(a, b, days) or _same_count(a, b)
    release = _same_release(a, b, days)
    # one document or programme (《每周质量报告》) both name with one day both name: that
    # day's release or exposé, told from other sides (the capsules, the factories)
    document_day = bool(days and a.leading & b.leading)
    # one event's write-ups share headline words, or name its minute or code, or its
    # craft or site on its day, or its meeting sitting or its institution's act, or read
    # alike and name its day or document (leads alike alone: two stories over one site's
    # boilerplate)
    if (
        headline < HEADLINE_FLOOR
        and not clocks
        and not codes
        and not named
        and not incident
        and not release
        and not document_day
        and not (
            lead >= LEAD_ALONE
            and (days or shared_documents or not a.institutions.isdisjoint(b.institutions))
        )
    ):
        return EventMatch(0.0, headline, conflict="headline")
    score = max(
        headline,
        lead,
        INCIDENT_SCORE if incident else 0.0,
        RELEASE_SCORE if release or document_day else 0.0,
    )
    if score < SPECIFICS_FLOOR:  # shared specifics confirm texts that read alike, alone
        return EventMatch(
            round(float(score), 4), float(headline), None, (("title", f"{headline:.2f}"),)
        )
    if shared_documents:
        score += DOCUMENT_BONUS
        names = sorted(d for d in shared_documents if not d.startswith("no:"))
        label = a.document_label if a.document_label else (names[0] if names else "")
        reasons.append(("document", label or sorted(shared_documents)[0][3:]))
    institutions = _shared_institutions(a.institutions, b.institutions)
    if institutions:
        score += INSTITUTION_BONUS
        reasons.append(("institution", institutions[0]))
    numbers = a.numbers & b.numbers
    if numbers:
        score += min(MAX_NUMBER_BONUS, NUMBER_BONUS * len(numbers))
        reasons.append(("numbers", "、".join(sorted(numbers)[:3])))
    counts = sorted(c for c in a.counts & b.counts if int(c.partition(":")[2]) >= COUNT_MIN)
    if counts:
        score += COUNT_BONUS
        reasons.append(("numbers", counts[0].partition(":")[2] + "例"))
    if days:
        score += DAY_BONUS
        reasons.append(("day", sorted(days)[0]))
    if clocks:
        score += CLOCK_BONUS
        reasons.append(("clock", sorted(clocks)[0]))
    if codes:
        score += CLOCK_BONUS
        reasons.append(("code", sorted(codes)[0]))
    if named:
        score += NAMED_DAY_BONUS
        reasons.append(("named", named))
    if incident:
        reasons.append(("incident", incident))
    if release.startswith("meeting:"):
        reasons.append(("meeting", release.removeprefix("meeting:")))
    elif release.startswith(("person:", "company:", "bulletin:", "institution:")):
        kind, _colon, name = release.partition(":")
        if (kind, name) not in reasons:
            reasons.append((kind, name))
    places = a.title_places & b.title_places
    if places:
        reasons.append(("place", sorted(places)[0]))
    reasons.append(("title", f"{headline:.2f}"))
    return EventMatch(round(float(min(score, 1.5)), 4), float(headline), None, tuple(reasons))


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


#: a count of people, however counted (37人, 37名), and the least that is telling
_HEADCOUNT = re.compile(r"(\d+)[人名]$")
HEADCOUNT_MIN = 10
#: an outbreak's tally (累计确诊, 新增病例): its counts of people (12 dead, 14 flown home)
#: stay the same from one day's bulletin to the next, and tell no one day's news
_TALLY = re.compile(r"确诊|病例|累计|新增")


def _headcounts(numbers: frozenset[str], text: str) -> frozenset[str]:
    """The counts of people among ``numbers`` (HEADCOUNT_MIN at the least), as digits;
    none when ``text`` is an outbreak's tally, whose counts of people (12 dead, 14 flown
    home) stay the same from one day's bulletin to the next."""
    found = {m.group(1) for m in map(_HEADCOUNT.match, numbers) if m}
    found = {n for n in found if int(n) >= HEADCOUNT_MIN}
    if not found or _TALLY.search(text):
        return _NONE
    return frozenset(found)


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


def _other_days(a: EventFacts, b: EventFacts, days: frozenset[str]) -> bool:
    """Whether two articles' incidents are on other days. The days each headline and
    first sentence give their incident, when both give one, are those of one incident:
    a second collapse three days on, whose lead quotes the warning of the day before,
    shares that day with the first's later reports. Else a day both name, or publication
    days at most one apart when either names none, are one incident's."""
    if (
        a.lead_days
        and b.lead_days
        and not _near_days(_day_numbers(a.lead_days), _day_numbers(b.lead_days))
    ):
        return True
    return (
        not days
        and not _near_days(_incident_days(a), _incident_days(b))
        and not (_news_of_its_day(a, b) or _news_of_its_day(b, a))
    )


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


def _same_count_of_day(a: EventFacts, b: EventFacts) -> bool:
    """Whether two articles published at most a day apart give one count of people
    (37人 / 37名, HEADCOUNT_MIN at the least): one incident's news of that day, whatever
    days their leads give as background (沈阳's fraud: the exposure a week before, the
    day the arrests were counted, the press conference). A page without a date gives
    its day by naming it: the count and a day both name (16名…批准逮捕 on 1月13日)."""
    if a.headcounts.isdisjoint(b.headcounts):
        return False
    if not (a.published and b.published):
        return not a.days.isdisjoint(b.days)
    return _near_publications(a, b)


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


def _elsewhere(facts: EventFacts, places: frozenset[str]) -> bool:
    """Whether an article that names no place finer than countries (缅甸中部发生7.7级地震，
    邻国泰国亦感受震动) is about another country than the cities abroad ``places`` holds:
    such an article is about the first country it names, and a tower fallen in 曼谷 is
    another incident than 缅甸's quake however many words the two share."""
    if facts.fine_places - _COUNTRY_SET:
        return False
    countries = {_FOREIGN_PLACE[p][1] for p in places if p in _FOREIGN_PLACE}
    first = _main_country(facts)
    return bool(countries and first) and first not in countries


def _main_country(facts: EventFacts) -> str:
    """The country abroad an article is about (:attr:`EventFacts.country`)."""
    return facts.country


#: a column tag opening a headline (【缅甸强震】, [疫情速报]): the outlet's series the
#: article is filed under, which names the story it follows, not what this article tells
_COLUMN_TAG = re.compile(r"^\s*[【\[［][^】\]］]{1,16}[】\]］]")


def _first_country(text: str) -> str:
    """The country of the first place abroad ``text`` names, or ""."""
    first = _FOREIGN.search(_SEAS.sub("大洋", text))
    return _FOREIGN_PLACE[first.group(0)][1] if first else ""


def _news_of_its_day(dated: EventFacts, undated: EventFacts) -> bool:
    """Whether ``undated`` names no day and is published the day of ``dated`` or the next,
    and ``dated`` is news of its own day (names it or the day before): the next day's
    report of the toll told the day before (12日…升至8人, published the 13th; 近日…8人死亡
    on the 14th), where the days ``dated`` names reach back to the incident's."""
    if undated.days or not dated.days or not (dated.published and undated.published):
        return False
    apart = (undated.published.date() - dated.published.date()).days
    own = _day_of_year(dated.published)
    return 0 <= apart <= 1 and _near_days(_incident_days(dated), [own])


def _in_country(place: str, facts: EventFacts) -> bool:
    """Whether a city abroad (伦敦) lies in the country an article names with nothing
    finer (英国), or a country holds a city abroad the article names: one place told at
    two levels, as a county and its city are (英国女王国葬 / 女王国葬…伦敦西敏寺)."""
    if place in _COUNTRY_SET:
        return any(_FOREIGN_PLACE[p][1] == place for p in facts.fine_places if p in _FOREIGN_PLACE)
    country = _FOREIGN_PLACE[place][1] if place in _FOREIGN_PLACE else ""
    return (
        bool(country)
        and country != place
        and country in facts.fine_places
        and not facts.fine_places - _COUNTRY_SET
    )


def _found(place: str, facts: EventFacts) -> bool:
    """Whether an article names ``place``: in its headline and lead, or, for an
    expressway, as one of its own of the same first character (梅大高速 and 梅龙高速: one
    road written after the places it joins, by outlets that pick others)."""
    if place in facts.text:
        return True
    if place in _FOREIGN_SPELLINGS:
        return any(spelling in facts.text for spelling in _FOREIGN_SPELLINGS[place])
    return place.endswith("高速") and any(
        mine.endswith("高速") and mine[0] == place[0] for mine in facts.fine_places
    )


def _same_release(a: EventFacts, b: EventFacts, days: frozenset[str]) -> str:
    """The meeting sitting or release two articles both tell of, as "meeting:…" or
    "institution:…", or "": one sitting of a named meeting (第72届世界卫生大会) on a day
    both name or, when one names none, publication days at most one apart; or an
    institution both name doing what both headlines say (挂牌, 通报, 发布 …) on a day both
    name.

    Outlets tell one meeting day by who spoke or what it decided, and one institution's
    founding or notice by its figures: their headlines may share no word. A sitting
    named on other days (a meeting's later decisions) is not this event, nor is a
    preview (将开幕) the sitting it announces. A document cited by both is not enough
    alone: one ministry's two stories of a day may cite the same rules; a document both
    name as released (发布, 介绍, 表决通过 …, :mod:`jianbao.judge.event_releases`) on
    one day is its release."""
    request = sorted(a.requests & b.requests)
    if request and _near_publications(a, b):
        return "institution:世卫组织"
    filing = _shared_company(a.filings, b.filings)
    if filing and (days or _near_days(_incident_days(a), _incident_days(b))):
        return "company:" + filing
    # one place's bulletin of one day (7月28日0时至24时), headlined by any of its counts
    bulletin = sorted(a.bulletin_days & b.bulletin_days)
    if bulletin and _same_host(a, b):
        return "bulletin:" + bulletin[0]
    if "ahead" in (a.phase, b.phase):
        return ""
    meeting = _shared_meeting(a.meetings, b.meetings)
    if meeting.endswith(_HOSTLESS_MEETINGS) and not _same_host(a, b):
        meeting = ""
    released = a.released & b.released
    people = a.people & b.people
    company = _shared_company(a.companies, b.companies)
    if (meeting or released or people or company) and (
        days or _near_days(_incident_days(a), _incident_days(b))
    ):
        if meeting or released:
            return "meeting:" + meeting if meeting else "document:" + min(released)
        # one official's dismissal, or one company's listing, told by its figures or
        # its causes: the person or company with the act, on its days
        return "person:" + min(people) if people else "company:" + company
    if not days or a.acts.isdisjoint(b.acts):
        return ""
    shared = _shared_institutions(a.institutions, b.institutions)
    return "institution:" + shared[0] if shared else ""


def _near_publications(a: EventFacts, b: EventFacts) -> bool:
    """Whether two articles are published at most a day apart."""
    if not (a.published and b.published):
        return False
    return abs((a.published.date() - b.published.date()).days) <= 1


def _same_host(a: EventFacts, b: EventFacts) -> bool:
    """Whether two articles name one host: a finest-level place each names the other's
    of, a province or city both headlines name, or an institution both name."""
    mine = any(_found(p, b) for p in a.fine_places)
    theirs = any(_found(p, a) for p in b.fine_places)
    return (
        (mine and theirs)
        or bool(a.title_places & b.title_places)
        or bool(_shared_institutions(a.institutions, b.institutions))
    )


def _shared_meeting(first: frozenset[str], second: frozenset[str]) -> str:
    """A meeting sitting named by both — the same ordinal or year, and one name the
    ending of the other (MEETING_MIN_CHARS characters at the least: 全国卫生健康工作会议
    and 全国医疗保障工作会议 are two) — as the reason tells it (72 世界卫生大会), or ""."""
    for mine in sorted(first):
        number, name = mine.split("|", 1)
        for theirs in sorted(second):
            other_number, other = theirs.split("|", 1)
            if number != other_number:
                continue
            size = _common_ending(name, other)
            if size >= MEETING_MIN_CHARS and size == min(len(name), len(other)):
                return f"{number} {min(name, other, key=len)}"
    return ""


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


def _incident_days(facts: EventFacts) -> list[int]:
    """The days an article's incident may be on, as days of the year: those it names near
    its publication, else its publication day and the day before (news of an incident
    comes that day or the next). A day named further back than BACKGROUND_DAYS is a
    background's (the ward last inspected on 7月3日, a team set up a week before), not
    the incident's, unless the headline or first sentence gives it to the incident
    (10月5日，…一家人聚餐后中毒, a report a week on): a page naming only such days is dated
    by its publication."""
    named = _day_numbers(facts.days)
    if facts.published is None:
        return named
    day = _day_of_year(facts.published)
    own = set(_day_numbers(facts.lead_days))
    near = [n for n in named if n in own or _days_apart(n, day) <= BACKGROUND_DAYS]
    return near or [day, day - 1]


#: a day named further from an article's publication than this is a background's
BACKGROUND_DAYS = 6


def _days_apart(first: int, second: int) -> int:
    """Days between two days of the year, across the year's end too."""
    apart = abs(first - second)
    return min(apart, 365 - apart)


def _day_numbers(days: Iterable[str]) -> list[int]:
    """Named days (4月12日) as days of a common year."""
    named = (_MONTH_DAY.fullmatch(day) for day in days)
    months_days = ((int(m.group(1)), int(m.group(2))) for m in named if m)
    return [_DAY_OF_YEAR[month] + day for month, day in months_days if 1 <= month <= 12]


def _day_of_year(moment: datetime) -> int:
    """A publication's day of the year counted as the named days are (a common year's
    months), so that 10月12日 and a page of 2020-10-13 are a day apart in a leap year too."""
    return _DAY_OF_YEAR[moment.month] + moment.day


def _near_days(first: list[int], second: list[int]) -> bool:
    """Whether a day of each is the same or next to it (the year's end next to its start)."""
    return any(abs(x - y) <= 1 or abs(x - y) >= 364 for x in first for y in second)


def _other_place(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two headlines name different provinces or countries (and none in common).
    Cities are not compared: a county
    and the city it lies in (广西藤县, 梧州) cannot be told apart without a gazetteer, and
    one event is often headlined by either."""
    provinces = (first & _PROVINCE_SET, second & _PROVINCE_SET)
    return bool(provinces[0] and provinces[1] and not provinces[0] & provinces[1])


def _other_counts(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two headlines give one kind of bulletin count (新增确诊, 累计治愈 …) with
    different figures and no figure of that kind in common: two days' bulletins."""
    kinds = {c.split(":")[0] for c in first} & {c.split(":")[0] for c in second}
    for kind in kinds:
        mine = {c for c in first if c.split(":")[0] == kind}
        theirs = {c for c in second if c.split(":")[0] == kind}
        if not mine & theirs:
            return True
    return False


def _shared_name(first: frozenset[str], second: frozenset[str]) -> str:
    """The longest common ending of a name of each (at least NAMED_MIN_CHARS characters:
    从文昌起飞嫦娥六号 and 新华社报道嫦娥六号 name 嫦娥六号; 神舟十三号 and 神舟十四号 no
    one), or ""."""
    best = ""
    for name in sorted(first):
        for other in sorted(second):
            size = _common_ending(name, other)
            if size >= NAMED_MIN_CHARS and size > len(best):
                best = name[len(name) - size :]
    return best


def _common_ending(name: str, other: str) -> int:
    """How many characters two names end alike in."""
    size = 0
    while size < min(len(name), len(other)) and name[-1 - size] == other[-1 - size]:
        size += 1
    return size


def _shared_institutions(first: frozenset[str], second: frozenset[str]) -> list[str]:
    """Institutions named by both (one name ending the other: 北京协和医院 and 协和医院)."""
    shared = set(first & second)
    for name in first - shared:
        for other in second:
            if (
                len(name) >= 4
                and len(other) >= 4
                and (name.endswith(other) or other.endswith(name))
            ):
                shared.add(min(name, other, key=len))
    # longest first, then in character order: the merge reason (同一机构 …) is the same
    # in every process, whatever the order of a set of strings (PYTHONHASHSEED)
    return sorted(shared, key=lambda name: (-len(name), name))


(
    _CLOCKS,
    _DAYS,
    _CODES,
    _DOCUMENTS,
    _INCIDENTS,
    _MEETINGS,
    _PEOPLE,
    _COMPANIES,
    _HEADCOUNTS,
    _INSTITUTIONS,
    _REQUESTS,
) = (
    attrgetter(kind)
    for kind in (
        "clocks",
        "days",
        "codes",
        "documents",
        "incidents",
        "meetings",
        "people",
        "companies",
        "headcounts",
        "institutions",
        "requests",
    )
)


def _specifics(facts: EventFacts) -> tuple[tuple[Any, frozenset[str]], ...]:
    """(how to read a kind of specific, the ones ``facts`` names) for the specifics that
    bring a window's article near whatever its headline."""
    return (
        (_CLOCKS, facts.clocks),
        (_DAYS, facts.days),
        (_CODES, facts.codes),
        (_DOCUMENTS, facts.documents),
        (_INCIDENTS, facts.incidents),
        (_MEETINGS, facts.meetings),
        (_PEOPLE, facts.people),
        (_COMPANIES, facts.companies),
        (_HEADCOUNTS, facts.headcounts),
        (_INSTITUTIONS, facts.institutions),
        (_REQUESTS, facts.requests),
    )


def best_match(
    new: EventFacts, window: Sequence[EventFacts], threshold: float = DEFAULT_THRESHOLD
) -> tuple[int, EventMatch] | None:
    """The position in ``window`` of the article ``new`` is the same event as (the best
    scoring one that passes), or None."""
    if not window:
        return None
    facts = [new, *window]
    # the new article's headline and text hashed together (one call of the hasher, whose
    # own cost is most of a short text's)
    _analysed([new.title or "∅", new.text or "∅"])
    headline = _headlines_to_first(facts)
    # compare says no first when the headlines share almost nothing and the two name
    # neither the same minute nor the same day: most new articles come near nothing in
    # their window, and the leads (a row many times the headlines' work) are weighed for
    # the few that do
    close = headline[1:] >= HEADLINE_FLOOR
    # the same minute, day, code or document: each kind the new article names tested in
    # one pass over the window, without making the sets the two share
    for kind, mine in _specifics(new):
        if mine:
            close |= np.fromiter(
                (not mine.isdisjoint(theirs) for theirs in map(kind, window)), bool, len(window)
            )
    near = np.flatnonzero(close).tolist()
    if not near:
        return None
    lead = _leads_to_first(facts, [n + 1 for n in near]).tolist()
    headlines = headline.tolist()  # plain floats, as float() makes them: no scalar per pair
    best: tuple[int, EventMatch] | None = None
    for n in near:
        other = window[n]
        match = compare(new, other, headlines[n + 1], lead[n + 1])
        if match.same(threshold) and (best is None or match.score > best[1].score):
            best = (n, match)
    return best


def cluster(
    facts: Sequence[EventFacts],
    threshold: float = DEFAULT_THRESHOLD,
    *,
    joined: Iterable[tuple[int, int]] = (),
) -> list[int]:
    """A story label per article: the articles are taken in order (as they arrive) and
    each joins the story of its best match among the earlier ones within the window;
    ``joined`` are pairs already one story (near-copies), merged first."""
    parent = list(range(len(facts)))

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    for i, j in joined:
        parent[root(max(i, j))] = root(min(i, j))
    order = sorted(range(len(facts)), key=lambda n: (facts[n].published or datetime.min, n))
    headline, lead = similarity_matrices(facts)
    for at, n in enumerate(order):
        best, best_score = None, -1.0
        for m in order[:at]:
            match = compare(facts[n], facts[m], float(headline[n, m]), float(lead[n, m]))
            if match.same(threshold) and match.score > best_score:
                best, best_score = m, match.score
        if best is not None:
            parent[root(n)] = root(best)
    return [root(n) for n in range(len(facts))]


def learned_threshold(
    corrections: Iterable[tuple[float, bool]], default: float = DEFAULT_THRESHOLD
) -> float:
    """The threshold that agrees best with the editors' corrections.

    Each correction is ``(score, same)``: a split says the pair (joined at ``score``) is
    not one event, a merge that it is. The threshold is the value, among the default and
    midpoints between the scores, that misjudges fewest corrections (ties: closest to
    the default), so a few corrections move it no further than they need to."""
    points = sorted(corrections)
    if not points:
        return default
    scores: list[float] = sorted({round(float(s), 4) for s, _same in points})
    options: set[float] = {default} | {(a + b) / 2 for a, b in itertools.pairwise(scores)}
    options |= {scores[0] - 0.01, scores[-1] + 0.01}

    def errors(threshold: float) -> int:
        return sum((score >= threshold) != same for score, same in points)

    def cost(threshold: float) -> tuple[int, float]:
        return errors(threshold), abs(threshold - default)

    best: float = min(options, key=cost)
    return round(best, 4)


#: how each kind of reason is told: (Chinese, English), ``{}`` the detail
_TOLD = {
    "document": ("同一文件《{}》", "same document 《{}》"),
    "institution": ("同一机构 {}", "same institution {}"),
    "numbers": ("相同数字 {}", "same figures {}"),
    "day": ("同一日期 {}", "same day {}"),
    "clock": ("同一时刻 {}", "same time {}"),
    "code": ("同一编号 {}", "same code {}"),
    "named": ("同一名称 {}", "same name {}"),
    "incident": ("同一事件 {}", "same incident {}"),
    "meeting": ("同一会议 {}", "same meeting {}"),
    "person": ("同一人物 {}", "same person {}"),
    "company": ("同一企业 {}", "same company {}"),
    "bulletin": ("同一通报 {}", "same bulletin {}"),
    "place": ("同一地点 {}", "same place {}"),
    "title": ("标题相近 {}", "similar headlines {}"),
}


def describe(reasons: Iterable[Sequence[str]]) -> list[Bilingual]:
    """The reasons of merges as the editor reads them (同一文件《…》, 同一机构 …,
    标题相近 0.82), each once, in the order given (headlines: the most alike only)."""
    reasons = [tuple(reason) for reason in reasons]
    titles = [detail for kind, detail in reasons if kind == "title"]
    told: dict[str, Bilingual] = {}
    for kind, detail in reasons:
        if kind == "title" and detail != max(titles):
            continue
        if kind in _TOLD:
            zh, en = _TOLD[kind]
            told.setdefault(zh.format(detail), Bilingual(zh.format(detail), en.format(detail)))
    return list(told.values())
