import pickle
from datetime import datetime, timedelta

from jianbao.judge.authority import GOVERNMENT, OTHER
from jianbao.judge.rank import RankWeights, rank
from jianbao.records import SHANGHAI

NOW = datetime(2023, 10, 20, 8, tzinfo=SHANGHAI)


def test_signals_add_up_and_are_explained():
    plain = rank(relevance=0.6)
    strong = rank(
        relevance=0.6,
        authority_tier=GOVERNMENT,
        outlets=4,
        category="政策文件",
        published_at=NOW - timedelta(days=1),
        now=NOW,
        preference=0.8,
        matched_terms=["电子病历", "互联互通"],
    )
    assert strong.score > plain.score
    labels = [label for label, _ in strong.parts]
    assert "政府网站" in labels and "4 家媒体报道" in labels and "政策文件" in labels
    assert any(label.startswith("相关度（电子病历、互联互通）") for label in labels)
    assert all(reason.count("+") == 1 for reason in strong.reasons)
    values = [value for _, value in strong.parts]
    assert values == sorted(values, reverse=True)
    assert abs(strong.score - sum(values)) < 1e-9


def test_recency_halves_and_weights_switch_signals_off():
    fresh = rank(relevance=0.5, published_at=NOW, now=NOW)
    old = rank(relevance=0.5, published_at=NOW - timedelta(days=3), now=NOW)
    assert abs((fresh.score - 0.5) - 2 * (old.score - 0.5)) < 1e-9
    off = RankWeights(outlets=0, government=0)
    assert rank(relevance=0.5, outlets=8, authority_tier=GOVERNMENT, weights=off).score == 0.5
    assert rank(relevance=2.0, authority_tier=OTHER).score == 1.0


def test_the_learned_preference_names_the_models_reasons():
    ranked = rank(relevance=0.6, preference=0.9, model_features=["电子病历", "标题:互联网医院"])
    assert "编辑偏好 0.90（模型依据：电子病历、标题:互联网医院） +0.45" in ranked.reasons
    assert rank(relevance=0.6).score < ranked.score


def test_every_reason_reads_in_english_too():
    ranked = rank(
        relevance=0.6,
        authority_tier=GOVERNMENT,
        outlets=3,
        category="政策文件",
        published_at=NOW - timedelta(days=2),
        now=NOW,
        preference=0.8,
        matched_terms=["电子病历"],
        model_features=["互联网医院"],
    )
    english = [reason.text("en") for reason in ranked.reasons]
    assert [str(reason) for reason in ranked.reasons] == [r.text("zh") for r in ranked.reasons]
    assert "relevance (电子病历) +0.60" in english
    assert "government site +0.50" in english and "policy document +0.50" in english
    assert any(e.startswith("3 outlets +") for e in english)
    assert any(e.startswith("published 2 days ago +") for e in english)
    assert "editor preference 0.80 (model: 互联网医院) +0.40" in english
    assert pickle.loads(pickle.dumps(ranked.reasons[0])).en == ranked.reasons[0].en


def test_an_article_of_today_reads_today_not_zero_days_ago():
    """Issue 15, item 11: "0 天前发布" for an article of a few hours ago."""

    def when(published: datetime) -> list[str]:
        ranked = rank(relevance=0.5, published_at=published, now=NOW)
        return [r for r in ranked.reasons if "发布" in r]

    assert when(NOW - timedelta(hours=3))[0].startswith("今天发布 +")
    assert when(NOW - timedelta(hours=9))[0].startswith("昨天发布 +")  # 23:00 the day before
    assert when(NOW - timedelta(days=3))[0].startswith("3 天前发布 +")
    english = rank(relevance=0.5, published_at=NOW - timedelta(hours=1), now=NOW).reasons
    assert any(r.text("en").startswith("published today +") for r in english)
