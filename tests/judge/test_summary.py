import pytest

from jianbao.judge.summary import (
    _rank_sets,
    _squash,
    clean_paragraphs,
    drop_setting,
    rank_sentences,
    split_sentences,
    summarize,
    summarize_many,
)

PARAGRAPHS = [
    "新华社北京10月16日电（记者 张三）国家卫生健康委16日发布《关于加快推进电子病历系统应用的通知》，"
    "要求二级以上医院2024年底前电子病历应用水平达到4级。",
    "通知指出，各地要加强医院信息化建设，推进互联互通；",
    "来源：新华网",
    "责任编辑：李四",
    "通知还要求，加强数据安全管理。记者了解到，此前已有多地开展试点。",
]


def test_clean_drops_dateline_credits_and_headline():
    cleaned = clean_paragraphs("电子病历通知发布", ["电子病历通知发布", *PARAGRAPHS])
    assert cleaned[0].startswith("国家卫生健康委16日发布")
    assert not any(p.startswith(("来源", "责任编辑")) for p in cleaned)
    assert len(cleaned) == 3


def test_clean_drops_other_dateline_forms():
    for line in (
        "本报讯（记者 王五）某市上线互联网医院。",
        "中新网上海3月2日电 某市上线互联网医院。",
        "【健康界讯】某市上线互联网医院。",
    ):
        assert clean_paragraphs("", [line]) == ["某市上线互联网医院。"], line


def test_split_sentences_keeps_final_punctuation_and_quotes():
    assert split_sentences("他说：“好。”然后走了！真的？是；对…") == [
        "他说：“好。”",
        "然后走了！",
        "真的？",
        "是；",
        "对…",
    ]


def test_summary_states_the_news_within_limit():
    summary = summarize("国家卫健委推进电子病历", PARAGRAPHS)
    assert summary.startswith("国家卫生健康委16日发布")
    assert len(summary) <= 120
    assert summary.endswith("。")
    assert "新华社" not in summary and "来源" not in summary


def test_summary_respects_small_limits_and_ends_on_sentence():
    for limit in (30, 50, 80):
        summary = summarize("国家卫健委推进电子病历", PARAGRAPHS, max_chars=limit)
        assert len(summary) <= limit
        assert summary[-1] in "。！？…"


def test_long_first_sentence_is_cut_at_a_clause():
    body = ["本市" + "，".join(["推进智慧医院建设"] * 20) + "。"]
    summary = summarize("智慧医院", body, max_chars=60)
    assert len(summary) <= 60
    assert summary.endswith("…")
    assert "，…" not in summary


def test_near_duplicate_sentences_are_not_repeated():
    body = [
        "某市互联网医院平台正式上线运行，市民可在线复诊。",
        "某市互联网医院平台正式上线运行，市民可以在线复诊。",
        "平台还提供处方流转和药品配送服务。",
    ]
    summary = summarize("某市互联网医院平台上线", body)
    assert summary.count("正式上线运行") == 1


def test_empty_body_falls_back_to_title():
    assert summarize("国家医保信息平台上线", []) == "国家医保信息平台上线"
    assert summarize("", ["来源：新华网"]) == ""


def test_policy_document_summarised_by_its_requirements():
    body = [
        "各省、自治区、直辖市卫生健康委：",
        "为深入贯彻落实党中央、国务院决策部署，推进医疗机构信息互通共享，现将有关事项通知如下。",
        "到2025年，二级以上医院要实现检查检验结果互认，各地要建立区域全民健康信息平台。",
        "请认真贯彻执行。",
    ]
    plain = summarize("关于推进医疗机构信息互通共享的通知", body, max_chars=60)
    policy = summarize("关于推进医疗机构信息互通共享的通知", body, max_chars=60, policy=True)
    assert policy.startswith("到2025年，二级以上医院要实现检查检验结果互认")
    assert len(policy) <= 60
    assert plain != policy or plain.startswith("到2025年")


ARTICLES = [
    ("国家卫健委推进电子病历", PARAGRAPHS),
    ("某市互联网医院平台上线", ["某市互联网医院平台正式上线运行，市民可在线复诊。"] * 2),
    ("", ["一句话。"]),
    ("只有标题", []),
    ("智慧医院", ["本市" + "，".join(["推进智慧医院建设"] * 20) + "。"]),
    ("含扩展汉字𠀀", ["医院上线𠀀𠀁系统，患者可在线复诊。", "平台还提供处方流转服务。"]),
    ("长文", [f"第{n}段介绍了医院信息化建设的第{n}项进展，成效明显。" for n in range(40)]),
]


def test_summaries_in_bulk_equal_one_by_one():
    policies = [n % 2 == 0 for n in range(len(ARTICLES))]
    assert summarize_many(ARTICLES, 50, policies=policies) == [
        summarize(title, paragraphs, 50, policy=policy)
        for (title, paragraphs), policy in zip(ARTICLES, policies, strict=True)
    ]
    assert summarize_many([]) == []


def test_ranking_with_bit_masks_equals_ranking_with_sets():
    """The array ranking counts the same shared bigrams as Python sets do (and more than
    62 sentences, beyond its bit masks, fall back to the sets)."""
    sentences = [s for p in PARAGRAPHS for s in split_sentences(p)][:6]
    sentences += ["通知要求加强医院信息化建设。", "医院信息化建设要加强。"]
    for title in ("国家卫健委推进电子病历", "", "医", "！！"):
        assert rank_sentences(title, sentences) == pytest.approx(
            _rank_sets(title, [_squash(s) for s in sentences])[0], rel=1e-12
        )
    many = [f"第{n}句讲医院信息化第{n % 7}项工作。" for n in range(70)]
    scores = rank_sentences("医院信息化", many)
    assert len(scores) == 70
    assert scores == pytest.approx(_rank_sets("医院信息化", [_squash(s) for s in many])[0])
    assert rank_sentences("标题", []) == []


def test_a_cut_sentence_loses_its_setting_before_its_news():
    sentence = (
        "据新华社报道，11月16日上午，东川省卫生健康委员会在全省启动医疗机构电子病历系统"
        "应用水平分级评价工作。"
    )
    assert drop_setting(sentence).startswith("东川省卫生健康委员会")
    summary = summarize("", [sentence], max_chars=30)
    assert summary.startswith("东川省卫生健康委员会") and len(summary) <= 30
    # a sentence that fits keeps its date; a setting with nothing after it stays
    assert summarize("", ["11月16日，东川启动电子病历评级。"], max_chars=30).startswith("11月16日")
    assert drop_setting("近日，开会。") == "近日，开会。"
    assert drop_setting("党的十八大以来，各地加快建设全民健康信息平台。").startswith("各地")


def test_a_summary_is_one_or_two_sentences():
    body = [
        "东川省人民医院通过智慧服务五级评审。",
        "门诊大厅已没有排队长龙。",
        "医院将推进智慧管理建设。",
        "患者满意度明显提高。",
    ]
    summary = summarize("东川省人民医院获评智慧服务五级", body, max_chars=200)
    assert 1 <= len(split_sentences(summary)) <= 2
