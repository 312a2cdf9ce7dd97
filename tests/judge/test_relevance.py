from jianbao.judge.lexicon import HEALTH_IT_TOPIC
from jianbao.judge.relevance import MODEL_ALONE, combine, keyword_evidence
from jianbao.judge.topic import TopicMatch, parse_topic


def test_keyword_match_is_relevant_and_model_adds_score():
    match = TopicMatch(True, 0.5, ["电子病历"])
    alone = combine(match, None)
    assert alone.relevant and alone.score == 0.5
    assert alone.reasons == ["关键词：电子病历"]
    low, high = combine(match, 0.1), combine(match, 0.9)
    assert low.relevant and high.relevant
    assert high.score > low.score >= keyword_evidence(match)
    assert "模型概率 0.90" in high.reasons


def test_without_keyword_the_model_must_be_confident():
    miss = TopicMatch(False, 0.0, [])
    assert not combine(miss, None).relevant
    assert not combine(miss, MODEL_ALONE - 0.01).relevant
    sure = combine(miss, 0.95)
    assert sure.relevant and sure.score == 0.95


def test_builtin_lexicon_parses_and_separates_hard_cases():
    topic = parse_topic(HEALTH_IT_TOPIC)
    assert topic.match("县医院远程会诊中心启用", "").matched
    assert topic.match("", "医院引进机器人配送药品，提升效率。").matched
    assert not topic.match("北京新增7例确诊病例", "均已送至定点医疗机构救治。").matched
    assert not topic.match("人工智能芯片公司完成融资", "资金用于自动驾驶芯片研发。").matched
    # 工业和信息化部 is a ministry's name, not informatics
    assert not topic.match("工业和信息化部：口罩日产量提升", "一些医院口罩紧缺。").matched
