import json

import pytest

from jianbao.errors import NotConfigured
from jianbao.judge.model import current_version, load, rollback, save, train


def test_train_predicts_and_explains(labelled):
    items, labels = labelled
    model = train(items, labels)
    relevant = model.probability("县医院上线互联网医院", "患者可以在线复诊，电子病历互联互通。")
    irrelevant = model.probability("国足主场战平对手", "比赛双方互有攻守，最终一比一。")
    assert 0.0 <= irrelevant < relevant <= 1.0
    assert relevant > 0.5 > irrelevant
    reasons = model.explain("县医院上线互联网医院", "电子病历互联互通。", top=5)
    assert 0 < len(reasons) <= 5
    assert any(weight > 0 for _, weight in reasons)
    assert all(isinstance(name, str) for name, _ in reasons)
    assert model.top_features(3)
    assert model.predict_proba([]) == []
    assert len(model.predict_proba(["一段只有正文的文本", ("标题", "正文")])) == 2


def test_train_needs_both_labels(labelled):
    items, _ = labelled
    with pytest.raises(NotConfigured):
        train(items, [1] * len(items))
    with pytest.raises(ValueError):
        train(items, [1, 0])


def test_tiny_training_set_without_calibration_folds():
    model = train([("电子病历", "电子病历"), ("足球", "足球比赛")], [1, 0])
    assert model.probability("电子病历系统", "") > model.probability("足球", "")


def test_save_keeps_previous_version_and_loads_current(tmp_path, labelled):
    items, labels = labelled
    folder = tmp_path / "models"
    with pytest.raises(NotConfigured):
        load(folder)
    model = train(items, labels)
    paths = []
    for c in (4.0, 1.0, 2.0):  # one training, three versions told apart by their metadata
        model.meta["c"] = c
        paths.append(save(model, folder))
    first, second, third = paths
    assert not first.exists() and second.exists() and third.exists()
    assert current_version(folder) == 3
    pointer = json.loads((folder / "relevance.json").read_text("utf-8"))
    assert pointer["current"] == 3 and pointer["positives"] == len(items) // 2
    model = load(folder)
    assert model.meta["version"] == 3 and model.meta["c"] == 2.0
    assert 0 <= model.probability("互联网医院", "") <= 1
    assert rollback(folder) == 2
    assert load(folder).meta["c"] == 1.0
    with pytest.raises(NotConfigured):
        rollback(folder)
    assert load(folder, version=3).meta["version"] == 3


def test_the_model_learns_how_far_to_trust_the_lexicon(labelled):
    items, labels = labelled
    model = train(items, labels)
    assert model.evidence and model.meta["evidence"] is True
    # a headline the lexicon finds, in words none of the training items used
    reasons = dict(model.explain("某地上线医保电子凭证", "", top=50))
    assert reasons.get("词表:标题命中", 0) > 0
    assert model.probability("某地上线医保电子凭证", "") > model.probability("某地开通公交线路", "")
    plain = train(items, labels, evidence=False)
    assert not plain.evidence
    assert all(not name.startswith("词表:") for name, _ in plain.top_features(200))


def test_models_of_the_previous_format_still_load(tmp_path, labelled):
    import joblib

    items, labels = labelled
    folder = tmp_path / "models"
    path = save(train(items, labels, evidence=False), folder)
    data = joblib.load(path)
    data["format"] = 2  # as version 2 wrote it: no lexicon evidence, no flag
    del data["evidence"]
    joblib.dump(data, path)
    model = load(folder)
    assert not model.evidence
    assert 0 <= model.probability("互联网医院", "") <= 1
