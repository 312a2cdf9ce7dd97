from jianbao.config import DEFAULT_TOPIC
from jianbao.judge import judge_article, parse_topic
from jianbao.records import Article


def _article(title, paragraphs):
    return Article(url="http://x/1", canonical_url="http://x/1", title=title, paragraphs=paragraphs)


def test_judge_relevant_article():
    article = _article(
        "国家卫生健康委关于加快推进电子病历系统应用的通知",
        [
            "国卫医发〔2023〕3号",
            "各省卫生健康委：为推进电子病历系统应用，提升医院信息化水平，现通知如下。",
        ],
    )
    judgement = judge_article(article, parse_topic(DEFAULT_TOPIC), summary_chars=60)
    assert judgement.relevant
    assert "电子病历" in judgement.matched_terms
    assert judgement.score > 0.3
    assert judgement.category == "政策文件"
    assert 0 < len(judgement.summary) <= 60


def test_judge_irrelevant_article():
    article = _article("北京新增7例确诊病例", ["截至1月30日20时，北京累计确诊病例121例。"])
    judgement = judge_article(article, parse_topic(DEFAULT_TOPIC))
    assert not judgement.relevant
    assert judgement.score == 0.0
    assert judgement.matched_terms == []
    assert judgement.summary


def test_judge_with_a_model_combines_both(labelled):
    from jianbao.judge.model import train

    model = train(*labelled)
    topic = parse_topic("电子病历")
    article = _article("县医院上线互联网医院平台", ["患者可在线复诊，处方流转到药店。"])
    without = judge_article(article, topic)
    with_model = judge_article(article, topic, model=model)
    assert not without.relevant and without.score == 0.0
    assert with_model.score > 0.0
    assert with_model.score == model.probability(article.title, article.body)


def test_builtin_lexicon_by_name():
    topic = parse_topic("@卫生健康信息化 NOT 招聘")
    assert topic.match("县医院远程会诊中心启用", "").matched
    assert not topic.match("县医院远程会诊中心招聘", "").matched


def test_a_relevant_item_keeps_the_models_probability_and_reasons(labelled):
    from jianbao.judge.model import train

    model = train(*labelled)
    topic = parse_topic(DEFAULT_TOPIC)
    article = _article(
        "省人民医院电子病历系统通过五级评审", ["医院信息平台实现互联互通，患者可在线复诊。"]
    )
    judgement = judge_article(article, topic, model=model)
    assert judgement.relevant
    assert judgement.model_probability == model.probability(article.title, article.body)
    assert 1 <= len(judgement.model_features) <= 3
    contributions = dict(model.explain(article.title, article.body, top=50))
    assert all(contributions[name] > 0 for name in judgement.model_features)
    # nothing to explain without a model, nor for an item the judge leaves out
    assert judge_article(article, topic).model_features == []
    other = judge_article(_article("北京新增7例确诊病例", ["累计确诊121例。"]), topic, model=model)
    assert not other.relevant and other.model_features == []
    assert other.model_probability is not None
