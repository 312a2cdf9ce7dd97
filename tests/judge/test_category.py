import pytest

from jianbao.judge.category import (
    DEFAULT_CATEGORIES,
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
