import re

import pytest

from jianbao.judge.category import (
    _CITES_NUMBER,
    _LOCAL_PLACE,
    DEFAULT_CATEGORIES,
    DOCUMENT_NUMBER,
    categorize,
    document_key,
    document_numbers,
    is_policy_document,
)


@pytest.mark.parametrize(
    ("title", "body", "expected"),
    [
        (
            "国家卫生健康委关于印发全国医疗机构信息互通共享三年攻坚行动方案的通知",
            "各省…",
            "政策文件",
        ),
        ("关于进一步完善医疗卫生服务体系的意见", "", "政策文件"),
        ("医保局发布通知", "医保办发〔2022〕8号 各省、自治区…", "政策文件"),
        ("专家解读《电子病历系统应用水平分级评价标准》", "专家认为，标准的出台…", "观点研究"),
        ("常州首家!常州市中医医院建成5G智慧医院创新实验室", "", "地方实践"),
        ("某科技公司发布医疗大模型 辅助诊断准确率提升", "人工智能", "技术应用"),
        ("2023数字医疗产业峰会在京召开", "会议召开，企业签约", "行业动态"),
        ("今日天气晴", "", "其他"),
    ],
)
def test_categorize(title, body, expected):
    assert categorize(title, body) == expected


def test_category_is_from_the_given_list():
    assert categorize("关于进一步完善医疗卫生服务体系的意见", "", ["行业动态", "其他"]) in (
        "行业动态",
        "其他",
    )
    assert categorize("x", "", ["甲", "乙"]) == "乙"
    assert set(DEFAULT_CATEGORIES) >= {"政策文件", "其他"}


def test_interpretation_is_not_the_document():
    assert not is_policy_document("一图读懂《关于加快推进电子病历的通知》", "")
    assert is_policy_document("关于加快推进电子病历的通知", "")


def test_document_numbers_and_keys():
    text = "根据国卫规划发〔2023〕12号和国办发 [2018] 26号文件，以及规划发（2023）12号"
    numbers = document_numbers(text)
    assert numbers[:2] == ["国卫规划发〔2023〕12号", "国办发[2018]26号"]
    keys = [document_key(n) for n in numbers]
    assert keys[0] == keys[2] == "规划发2023-12"


@pytest.mark.parametrize(
    "text",
    [
        "国卫规划发〔2023〕12号",
        "根据国办发 [2018] 26号文件",
        "医保办发[2022]8号各省",
        "国卫办医函（2023）45号",
        "发〔2023〕12号",  # no issuer
        "ABC发〔2023〕12号",  # a Latin issuer is not one
        "国卫规划发〔1998〕12号",
        "国卫规划发〔2023〕号",
        "一二三四五六七八九十一二三四发〔2023〕1号",
        "2023年12号文件",
        "",
    ],
)
def test_quick_number_check_agrees_with_the_full_pattern(text):
    assert bool(_CITES_NUMBER.search(text)) == bool(DOCUMENT_NUMBER.search(text))
    assert is_policy_document("某地新闻", text) == bool(DOCUMENT_NUMBER.search(text))


#: the place pattern as first written, with up to six characters before 省/市/县…
_PLACE_AS_WRITTEN = re.compile(
    r"(?:北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|"
    r"河南|湖北|湖南|广东|海南|四川|贵州|云南|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|"
    r"新疆|香港|澳门)|[\u4e00-\u9fff]{1,6}(?:省|市|区|县|州|旗|镇|乡)(?![场民长委级])"
)


@pytest.mark.parametrize(
    "text",
    [
        "某县推进医共体",
        "市场监管",
        "全市",
        "市民",
        "A市",
        "县级医院",
        "市区医院",
        "黑龙江",
        "乡镇卫生院",
        "",
    ],
)
def test_place_search_finds_what_the_written_pattern_finds(text):
    assert bool(_LOCAL_PLACE.search(text)) == bool(_PLACE_AS_WRITTEN.search(text))
    assert categorize("某县推进医共体建设", "") == "地方实践"
