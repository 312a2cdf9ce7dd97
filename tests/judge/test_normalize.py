"""The normalised form: 繁體 made Simplified, mirror artefacts removed, and what judging,
signing and the model make of it (issue 17)."""

from __future__ import annotations

import opencc
import pytest

from jianbao.judge import judge_article, normalize, parse_topic
from jianbao.judge.dedup import StoryIndex
from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.model import train
from jianbao.judge.normalize import (
    SAMPLE_CHARS,
    UNTONED_GLOSSES,
    simplified,
    simplified_many,
    strip_artefacts,
    traditional_characters,
)
from jianbao.records import Article

from .test_dedup import OTHER, STORY

TOPIC = parse_topic(HEALTH_IT_TOPIC)
TO_TRADITIONAL = opencc.OpenCC("s2t")


def _article(title: str, body: str) -> Article:
    url = "https://example.cn/a"
    return Article(url=url, canonical_url=url, title=title, paragraphs=[body] if body else [])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("醫院上線電子病歷系統", "医院上线电子病历系统"),
        ("醫保", "医保"),
        ("互聯網醫院", "互联网医院"),
        ("醫(yī)療數(shù)據(jù)", "医疗数据"),
        ("医（yī）疗数（shù）据（jù）", "医疗数据"),
        ("電\u200b子\u200d病\ufeff歷", "电子病历"),
        ("ＡＩ輔助診斷與５Ｇ", "AI辅助诊断与5G"),
    ],
)
def test_traditional_and_mirror_artefacts_become_simplified(text, expected):
    assert simplified(text) == expected


def test_simplified_text_comes_back_unchanged_and_keeps_full_width_punctuation():
    text = "国家医保局发布通知（2024年第3号），要求各地推进医保信息平台建设。"
    assert simplified(text) is text or simplified(text) == text


def test_one_gloss_without_a_tone_is_the_writers_not_a_mirrors():
    assert strip_artefacts("小程序(app)上线") == "小程序(app)上线"
    glossed = "医(yi)疗(liao)数(shu)据(ju)"
    assert glossed.count("(") >= UNTONED_GLOSSES
    assert strip_artefacts(glossed) == "医疗数据"
    # a bracket that follows no Chinese character is no gloss
    assert strip_artefacts("(yī) 开头") == "(yī) 开头"


def test_a_simplified_text_with_a_few_traditional_only_characters_is_not_converted():
    text = "故宫展出乾隆年间的医书，观众可通过手机扫码查看电子导览。" * 3
    assert traditional_characters(text) >= 1
    assert simplified(text) == text


def test_normalising_is_idempotent():
    text = TO_TRADITIONAL.convert("".join(STORY))
    once = simplified(text)
    assert simplified(once) == once


def test_a_traditional_report_is_judged_as_its_simplified_original():
    title = "某市人民医院上线互联网医院 电子病历实现互联互通"
    body = "".join(STORY)
    original = judge_article(_article(title, body), TOPIC)
    reprint = judge_article(
        _article(TO_TRADITIONAL.convert(title), TO_TRADITIONAL.convert(body)), TOPIC
    )
    assert original.relevant and reprint.relevant
    assert reprint.matched_terms == original.matched_terms
    assert reprint.category == original.category
    # the summary quotes the page as it is written
    assert "醫" in reprint.summary or "電" in reprint.summary


def test_a_mirror_with_pinyin_glosses_is_judged_relevant():
    title = "醫(yī)院(yuàn)上(shàng)線(xiàn)電(diàn)子(zǐ)病(bìng)歷(lì)系(xì)統(tǒng)"
    assert judge_article(_article(title, ""), TOPIC).relevant


def test_a_traditional_reprint_signs_as_the_same_story():
    index: StoryIndex[str] = StoryIndex(threshold=0.5)
    index.add("original", index.signature("\n".join(STORY), title="全民健康信息平台建设取得进展"))
    index.add("other", index.signature("\n".join(OTHER)))
    reprint = TO_TRADITIONAL.convert("\n".join(STORY))
    assert index.query(index.signature(reprint, title="全民健康資訊平台建設取得進展")) == [
        "original"
    ]


def test_the_model_reads_a_traditional_item_as_its_simplified_original():
    items = [
        ("医院上线电子病历系统", "电子病历互联互通"),
        ("互联网医院开诊", "患者在线复诊"),
        ("足球联赛开幕", "主队获胜"),
        ("股市收盘上涨", "券商板块领涨"),
    ] * 3
    model = train(items, [1, 1, 0, 0] * 3, calibration_folds=0)
    title, body = "医院上线电子病历系统", "电子病历互联互通"
    assert model.probability(
        TO_TRADITIONAL.convert(title), TO_TRADITIONAL.convert(body)
    ) == pytest.approx(model.probability(title, body))


@pytest.mark.parametrize(
    "title",
    [
        "訪菲啟動遠距醫療平台 海外打拚健保續用",  # Taiwan's word for telemedicine
        "本中心在5G網絡下完成1例遠程機器人輔助結腸癌根治術",  # remote surgery, told as a case
        "台灣醫院資訊化 導入人工智慧判讀",  # 資訊化, 人工智慧: Taiwan's words near a hospital
    ],
)
def test_taiwans_words_and_remote_surgery_are_health_it(title):
    assert judge_article(_article(title, ""), TOPIC).relevant


def test_a_robot_vacuum_and_a_phone_launch_are_not():
    assert not judge_article(_article("石頭科技推出可爬樓的掃地機器人", ""), TOPIC).relevant
    assert not judge_article(_article("小米15系列首發驍龍8至尊版 影像系統升級", ""), TOPIC).relevant


def test_hong_kongs_variant_characters_are_simplified_too():
    # t2s leaves 衞 (Hong Kong's form of 衛) as it is; the page means 卫生
    assert simplified("食物及衞生局及醫院管理局") == "食物及卫生局及医院管理局"
    assert judge_article(_article("醫健通推出電子健康紀錄互通新功能", ""), TOPIC).relevant


def test_a_batch_is_normalised_text_by_text_as_one_text_is():
    """simplified_many finds the texts that need work with one table lookup per character
    instead of each text's regular expressions: the strings and the texts remembered must
    be those of calling simplified on each in turn, whatever a text holds."""
    story = "".join(STORY)
    texts = [
        story,
        TO_TRADITIONAL.convert(story),
        "醫(yī)療數(shù)據(jù)",  # a gloss: simplified's own path
        "医(yi)疗(liao)数(shu)据(ju)",
        "小程序(app)上线，电子病历（记者 张伟）",  # brackets that open no gloss
        "ＡＩ輔助診斷與５Ｇ",
        "電\u200b子病歷",
        "食物及衞生局及醫院管理局",  # a Hong Kong variant in a 繁體 text
        "故宫展出乾隆年间的医书" * 3,
        "",
        "醫院𠀀上線電子病歷",  # a character beyond the BMP
        "一" * (SAMPLE_CHARS - 5) + "醫院電子病歷系統",  # 繁體 only after the sample
        "醫院" * SAMPLE_CHARS,
        "醫",
        "(",
        "（ ",
    ]
    texts += [TO_TRADITIONAL.convert(story)]  # a repeat
    one_by_one = []
    normalize._made.clear()
    for text in texts:
        one_by_one.append(simplified(text))
    remembered = dict(normalize._made)
    normalize._made.clear()
    assert simplified_many(texts) == one_by_one
    assert normalize._made == remembered
    # a text that is the output of an earlier one comes back as it is, as simplified does
    again = [texts[1], one_by_one[1], texts[2]]
    normalize._made.clear()
    expected = [simplified(text) for text in again]
    normalize._made.clear()
    assert simplified_many(again) == expected
