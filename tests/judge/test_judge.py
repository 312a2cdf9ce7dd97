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
