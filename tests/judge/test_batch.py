"""Judging in batches on worker processes gives what judging one article at a time gives."""

import threading

import pytest

from jianbao.config import DEFAULT_TOPIC
from jianbao.judge import judge_article, parse_topic
from jianbao.judge.batch import BatchJudge, judge_batch
from jianbao.judge.category_model import train_categories
from jianbao.judge.dedup import StoryIndex
from jianbao.judge.model import train
from jianbao.records import Article

POLICY = (
    "国家卫生健康委关于加快推进电子病历系统应用的通知",
    [
        "国卫医发〔2023〕3号",
        "各省、自治区、直辖市卫生健康委：",
        "为深入贯彻落实党中央、国务院决策部署，推进医疗机构信息互通共享，现将有关事项通知如下。",
        "一、各地要于2025年底前实现二级以上医院电子病历系统应用水平达到4级。",
        "二、医疗机构应当加强数据安全管理，建立健全网络安全责任制。",
    ],
)
ODD = [
    ("没有正文的快讯：某市互联网医院上线", []),
    ("", ["来源：新华网", "责任编辑：李四"]),
    ("标题", ["短。", "一句只有一个很长的句子没有标点" * 12]),
    ("含扩展汉字𠀀的标题", ["医院上线𠀀𠀁系统，患者可在线复诊。", "平台还提供处方流转服务。"]),
]


@pytest.fixture
def articles(labelled) -> list[tuple[str, list[str]]]:
    """Short items of the tests' data, a policy document, odd cases, and republications."""
    items: list[tuple[str, list[str]]] = [
        (title, [body, f"{title}。{body}"]) for title, body in labelled[0]
    ]
    items += [POLICY, *ODD]
    items += [(title, ["来源：某网", *paragraphs]) for title, paragraphs in items[:6]]
    return items


def _one_by_one(items, topic, **options) -> list[tuple[object, bytes]]:
    """The sequential path, as the pipeline takes it: judge_article, then the signature
    of title + body."""
    signer: StoryIndex[int] = StoryIndex()
    results = []
    for title, paragraphs in items:
        article = Article(
            url="http://x/", canonical_url="http://x/", title=title, paragraphs=paragraphs
        )
        judgement = judge_article(article, topic, **options)
        results.append((judgement, signer.signature(article.title + "\n" + article.body)))
    return results


@pytest.fixture(scope="module")
def topic():
    return parse_topic(DEFAULT_TOPIC)


@pytest.fixture
def models(labelled):
    items, labels = labelled
    relevance = train(items, labels)
    categories = train_categories(
        items, ["技术应用" if n % 2 else "行业动态" for n in range(len(items))]
    )
    return relevance, categories


@pytest.mark.parametrize("workers", [1, 2])
def test_batches_judge_as_one_article_at_a_time(topic, models, articles, workers):
    relevance, categories = models
    items = articles
    expected = _one_by_one(
        items, topic, summary_chars=80, model=relevance, category_model=categories
    )
    # chunks of 5: the articles go to the workers in several tasks, and come back in order
    with BatchJudge(
        topic,
        model=relevance,
        category_model=categories,
        summary_chars=80,
        workers=workers,
        chunk=5,
    ) as judge:
        judged = judge.judge(items)
        if workers > 1:
            assert len(judge.worker_pids()) == workers
    assert [(j.judgement, j.signature) for j in judged] == expected
    assert any(j.judgement.category == "政策文件" for j in judged)
    assert any(j.judgement.relevant for j in judged) and not all(
        j.judgement.relevant for j in judged
    )


def test_judge_batch_takes_articles_and_defaults(topic, articles):
    items = articles
    articles = [
        Article(url=f"http://x/{n}", canonical_url=f"http://x/{n}", title=t, paragraphs=p)
        for n, (t, p) in enumerate(items)
    ]
    judged = judge_batch(articles, topic, workers=2)
    assert [(j.judgement, j.signature) for j in judged] == _one_by_one(items, topic)
    assert judge_batch([], topic) == []


def test_signatures_on_workers_equal_the_index_ones(articles):
    texts = ["\n".join(p) for _, p in articles] * 3
    signer: StoryIndex[int] = StoryIndex()
    with BatchJudge(None, workers=2, sign_chunk=7) as judge:
        assert judge.signatures(texts) == [signer.signature(t) for t in texts]
        with pytest.raises(ValueError, match="主题"):
            judge.judge(articles)


def test_stopping_early_and_closing_twice(topic, articles):
    judge = BatchJudge(topic, workers=2, chunk=2).start()
    first = next(judge.judge_iter(articles))
    assert first.judgement.summary
    judge.close()
    judge.close()
    assert judge.worker_pids() == []


def test_workers_start_safely_after_rensa_has_run_its_threads(topic, articles):
    """Signing a batch starts rensa's thread pool, which a forked child would wait for
    forever: the workers start from a server process instead, and judge the same."""
    StoryIndex().signatures(["\n".join(p) for _, p in articles] * 20)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with BatchJudge(topic, workers=2, chunk=5) as judge:
            assert judge.start_method == "forkserver"
            judged = judge.judge(articles)
    finally:
        stop.set()
        thread.join()
    assert [(j.judgement, j.signature) for j in judged] == _one_by_one(articles, topic)
