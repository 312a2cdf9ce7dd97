"""The places a headline and lead name, and whether two articles' places agree.

Where an event happened tells two stories of one topic apart (two provinces' launches,
two cities' fires), and one incident's reports apart from another's. This module holds
the gazetteers (provinces, countries, the world's cities in the news, the mainland's and
Taiwan's prefecture-level cities, expressways and national roads), the readers of places
from a text (at the province or country level in a headline, at the finest level in a
headline and lead) and the comparisons of two articles' places (a place found in the
other's text, a city abroad in a country named, another province or country). Kept
apart from the rest of the stage because it is most of its vocabulary, and the other
readers need only a few of its sets.
"""

from __future__ import annotations

import re

from jianbao.judge.event_records import EventFacts
from jianbao.judge.event_text import _FIRST_SENTENCE

# fmt: off
PROVINCES = (
    "北京", "天津", "河北", "山西", "内蒙古", "辽宁", "吉林", "黑龙江", "上海", "江苏", "浙江",
    "安徽", "福建", "江西", "山东", "河南", "湖北", "湖南", "广东", "广西", "海南", "重庆",
    "四川", "贵州", "云南", "西藏", "陕西", "甘肃", "青海", "宁夏", "新疆", "香港", "澳门",
    "台湾",
)
# fmt: on
#: countries often in the news: a headline naming one and another naming a province or
#: another country tell of two places (德国新增7例 / 上海新增1例; 美国 / 韩国 …增至)
# fmt: off
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
# fmt: on
#: other spellings of a country (Taiwan's and Hong Kong's, short forms), read as the
#: country: 纽西兰 is 新西兰, 澳洲 澳大利亚
# fmt: off
COUNTRY_SPELLINGS = {
    "澳洲": "澳大利亚", "纽西兰": "新西兰", "义大利": "意大利", "沙乌地": "沙特",
    "印尼": "印度尼西亚", "星加坡": "新加坡", "大马": "马来西亚", "南韩": "韩国",
    "北韩": "朝鲜", "孟加拉": "孟加拉国", "寮国": "老挝",
}
# fmt: on
#: the world's large cities and places often in the news, with their country: an event
#: abroad (贝鲁特's blast, 曼谷's tower) names its city with no 市 or 县 for the place
#: rules to read, so a city here is a finest-level place, and a headline naming it names
#: its country. Each spelling (Simplified, and Taiwan's or Hong Kong's where it differs)
#: is read as the first
# fmt: off
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
# fmt: on

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

#: what stands before 城 or 都 in a word that is no place (这座城市, 大都市, 老城区, 主城区,
#: 小城镇): a place ending so (丰城市, 盐城市, 成都市, 西城区) is kept
_NOT_PLACE_FIRST = frozenset(
    "这那座大小新老主中心个些的型线级多此该各全本我超一二三四五六七八九十两市县国省城都"
)

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


def _other_place(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two headlines name different provinces or countries (and none in common).
    Cities are not compared: a county
    and the city it lies in (广西藤县, 梧州) cannot be told apart without a gazetteer, and
    one event is often headlined by either."""
    provinces = (first & _PROVINCE_SET, second & _PROVINCE_SET)
    return bool(provinces[0] and provinces[1] and not provinces[0] & provinces[1])


#: the first-level divisions abroad the news names (an Indian 邦, a US 州, a Japanese 县
#: or 府, a Korean 道, an Australian 州, a Canadian 省), each with its country and other
#: spellings: two events abroad of one kind and toll (two hospital fires killing ten
#: newborns, in 北方邦 and in 马哈拉施特拉邦) are told apart by the division each page
#: names first, as two home provinces' are. Read from this table only, never from a
#: suffix: 州 ends many of China's own cities (广州, 杭州, 德州), none of them here
# fmt: off
DIVISIONS = (
    ("北方邦", "印度"), ("马哈拉施特拉邦", "印度", "马哈拉施特拉"), ("喀拉拉邦", "印度"),
    ("泰米尔纳德邦", "印度", "泰米尔纳杜邦"), ("西孟加拉邦", "印度"), ("比哈尔邦", "印度"),
    ("古吉拉特邦", "印度"), ("拉贾斯坦邦", "印度"), ("中央邦", "印度"), ("安得拉邦", "印度"),
    ("卡纳塔克邦", "印度"), ("旁遮普邦", "印度"), ("奥里萨邦", "印度", "奥迪沙邦"),
    ("哈里亚纳邦", "印度"), ("阿萨姆邦", "印度"), ("特伦甘纳邦", "印度"), ("恰蒂斯加尔邦", "印度"),
    ("贾坎德邦", "印度"), ("喜马偕尔邦", "印度"), ("北阿坎德邦", "印度"), ("果阿邦", "印度"),
    ("加利福尼亚州", "美国", "加州"), ("纽约州", "美国"), ("得克萨斯州", "美国", "得州"),
    ("佛罗里达州", "美国", "佛州"), ("路易斯安那州", "美国"), ("华盛顿州", "美国"),
    ("伊利诺伊州", "美国"), ("俄亥俄州", "美国"), ("密歇根州", "美国"), ("宾夕法尼亚州", "美国"),
    ("佐治亚州", "美国"), ("亚利桑那州", "美国"), ("马萨诸塞州", "美国", "麻州"),
    ("新泽西州", "美国"), ("科罗拉多州", "美国"), ("北卡罗来纳州", "美国"),
    ("南卡罗来纳州", "美国"),
    ("弗吉尼亚州", "美国"), ("田纳西州", "美国"), ("密苏里州", "美国"), ("威斯康星州", "美国"),
    ("明尼苏达州", "美国"), ("俄勒冈州", "美国"), ("内华达州", "美国"), ("犹他州", "美国"),
    ("肯塔基州", "美国"), ("夏威夷州", "美国"), ("阿拉斯加州", "美国"), ("马里兰州", "美国"),
    ("印第安纳州", "美国"), ("爱荷华州", "美国"), ("康涅狄格州", "美国"), ("阿拉巴马州", "美国"),
    ("俄克拉何马州", "美国"), ("堪萨斯州", "美国"), ("内布拉斯加州", "美国"),
    ("新墨西哥州", "美国"),
    ("密西西比州", "美国"), ("阿肯色州", "美国"), ("蒙大拿州", "美国"), ("爱达荷州", "美国"),
    ("北海道", "日本"), ("东京都", "日本"), ("大阪府", "日本"), ("京都府", "日本"),
    ("神奈川县", "日本"), ("千叶县", "日本"), ("埼玉县", "日本"), ("爱知县", "日本"),
    ("兵库县", "日本"), ("福冈县", "日本"), ("冲绳县", "日本"), ("福岛县", "日本"),
    ("广岛县", "日本"), ("宫城县", "日本"), ("静冈县", "日本"), ("长崎县", "日本"),
    ("熊本县", "日本"), ("新潟县", "日本"), ("长野县", "日本"), ("茨城县", "日本"),
    ("石川县", "日本"), ("鹿儿岛县", "日本"), ("奈良县", "日本"), ("岐阜县", "日本"),
    ("京畿道", "韩国"), ("江原道", "韩国"), ("忠清北道", "韩国"), ("忠清南道", "韩国"),
    ("全罗北道", "韩国"), ("全罗南道", "韩国"), ("庆尚北道", "韩国"), ("庆尚南道", "韩国"),
    ("济州道", "韩国", "济州特别自治道"),
    ("新南威尔士州", "澳大利亚"), ("维多利亚州", "澳大利亚", "维州"),
    ("昆士兰州", "澳大利亚", "昆州"), ("西澳大利亚州", "澳大利亚"),
    ("南澳大利亚州", "澳大利亚"),
    ("安大略省", "加拿大"), ("魁北克省", "加拿大"), ("不列颠哥伦比亚省", "加拿大", "卑诗省"),
    ("阿尔伯塔省", "加拿大"),
)
# fmt: on
#: each division's spellings, as its first spelling and its country
_DIVISION = {
    spelling: (names[0], names[1]) for names in DIVISIONS for spelling in (names[0], *names[2:])
}
_DIVISION_NAMES = re.compile("|".join(sorted(_DIVISION, key=len, reverse=True)))


def _divisions(title: str, lead: str) -> frozenset[str]:
    """The first-level divisions abroad (:data:`DIVISIONS`) the headline and the lead's
    first sentence name, each as "country:division" (印度:北方邦): where a page tells of
    an event abroad it names its division first, as :func:`_abroad` reads its city."""
    first = _FIRST_SENTENCE.match(lead)
    said = title + "，" + (first.group(0)[:80] if first else "")
    return frozenset("{1}:{0}".format(*_DIVISION[name]) for name in _DIVISION_NAMES.findall(said))


def _other_division(first: frozenset[str], second: frozenset[str]) -> bool:
    """Whether two pages name different first-level divisions of one country abroad and
    none of that country in common (北方邦 / 马哈拉施特拉邦): two places, as two home
    provinces are. A page naming no division of that country is not compared."""
    countries = {d.partition(":")[0] for d in first} & {d.partition(":")[0] for d in second}
    return any(
        {d for d in first if d.startswith(country + ":")}.isdisjoint(
            {d for d in second if d.startswith(country + ":")}
        )
        for country in countries
    )
