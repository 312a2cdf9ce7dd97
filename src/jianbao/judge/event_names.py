"""The named specifics of an article — institutions, documents, named crafts and sites,
meeting sittings, what an institution did, people, companies and the WHO's requests —
and whether two articles name the same.

Outlets that tell one event in their own words still name its issuing body, its document
(《…》), its meeting (第72届世界卫生大会), its official or its company; each is read by a
closed pattern and compared by its name or a common ending of two names (北京协和医院
and 协和医院). Kept apart from places, days and incidents, which are read otherwise.
"""

from __future__ import annotations

import re

from jianbao.judge.event_places import COUNTRIES, _found
from jianbao.judge.event_records import EventFacts
from jianbao.judge.event_releases import cited_documents
from jianbao.judge.event_text import _FIRST_SENTENCE, _NON_WORD, _NONE, LEAD_CHARS

#: an institution: a run of characters ending in what institutions are called
_INSTITUTION = re.compile(
    r"[\u4e00-\u9fff]{2,14}?(委员会|卫健委|卫生健康委|医保局|疾控中心|管理局|人民政府|医院|"
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

_DOC_TITLE = re.compile(r"《([^《》]{4,60})》")

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

#: the World Health Organization, however named
_WHO = re.compile(r"世界卫生组织|世卫|(?<![A-Za-z])WHO(?![A-Za-z])|谭德塞|陈冯富珍")

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


#: an institution named as any one of its kind (印度一医院, 北方邦一所医院, 某公司, 一家儿童
#: 医院): a place's "a hospital", which two pages of two incidents both write; not a
#: hospital numbered in its city (武汉市一医院, 县一医院, 第一医院) nor a name ending so
#: (统一公司), nor a name only its first character withholds (某神山医院)
_INDEFINITE = re.compile(
    r"(?:(?<![市县区省第统])一|某|[一两几多数][家所间座个][\u4e00-\u9fff]{0,2})$"
)


def _institutions(text: str) -> set[str]:
    """The institutions ``text`` names, by their names' last ten characters; none named
    as any one of its kind (:data:`_INDEFINITE`)."""
    found = set()
    for match in _INSTITUTION.finditer(text):
        name = _WORDS_BEFORE.sub("", match.group(0))
        kind = match.group(1)
        if _INDEFINITE.search(name[: len(name) - len(kind)]):
            continue
        if len(name) >= 4 and name not in _COMMON_INSTITUTIONS:
            found.add(name[-10:])
    return found


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
