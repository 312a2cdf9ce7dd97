import pytest

from jianbao.errors import NotConfigured
from jianbao.judge.category_model import (
    load_category_model,
    refine_category,
    save_category_model,
    train_categories,
)

# this publication files hospital go-lives under 技术应用, not 地方实践
ITEMS = [
    ("某市医院上线智慧药房系统", "医院智慧药房系统正式上线运行。"),
    ("某县医院上线互联网医院", "县医院互联网医院平台上线。"),
    ("某区医院上线影像云平台", "影像云平台在区医院上线。"),
    ("某市医院上线电子病历系统", "新版电子病历系统上线。"),
    ("数字医疗产业峰会召开", "峰会在京召开，企业签约。"),
    ("医疗信息化论坛举行", "论坛举行，专家交流。"),
    ("健康医疗大数据大会开幕", "大会开幕，发布报告。"),
    ("智慧医院建设研讨会召开", "研讨会召开，行业代表参加。"),
]
LABELS = ["技术应用"] * 4 + ["行业动态"] * 4


def test_learned_category_overrules_rules_when_confident(tmp_path):
    model = train_categories(ITEMS, LABELS)
    category, probability = model.predict("某镇卫生院上线远程心电系统", "系统上线。")
    assert category == "技术应用" and probability > 0.5
    assert refine_category("某镇卫生院上线远程心电系统", "系统上线。", model, confidence=0.5) == (
        "技术应用"
    )
    # a document recognised by its form stays a policy document
    assert (
        refine_category("关于加快推进电子病历系统应用的通知", "国卫医发〔2023〕3号", model)
        == "政策文件"
    )
    assert refine_category("今日天气晴", "", None) == "其他"
    save_category_model(model, tmp_path)
    save_category_model(model, tmp_path)
    assert load_category_model(tmp_path).predict("某市医院上线系统", "")[0] == "技术应用"
    assert load_category_model(tmp_path, previous=True).meta["items"] == len(ITEMS)


def test_category_training_needs_two_categories(tmp_path):
    with pytest.raises(NotConfigured):
        train_categories(ITEMS[:2], LABELS[:2])
    with pytest.raises(NotConfigured):
        load_category_model(tmp_path)
