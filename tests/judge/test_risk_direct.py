"""The risk classifier's numbers form (jianbao.judge.risk_direct) gives scikit-learn's own
probabilities, travels as a file numpy alone reads, and refuses forms it does not compute."""

from __future__ import annotations

import copy
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from jianbao.alerts.learn import seeded_classifier
from jianbao.judge.risk import Example, RiskClassifier, seed_examples
from jianbao.judge.risk_direct import PackedGrams, RiskNumbers
from jianbao.judge.tone import judge_tones, tone_text


@pytest.fixture(scope="module")
def trained() -> RiskClassifier:
    return seeded_classifier()


def test_it_gives_scikit_learns_probabilities_on_real_pages(trained: RiskClassifier) -> None:
    pages = [tone_text(e.title, e.text) for e in seed_examples()]
    expected = trained.reference_probabilities(pages)  # predict_proba of the fitted model
    got = trained.probabilities(pages)  # the numbers form
    assert max(abs(e - g) for e, g in zip(expected, got, strict=True)) < 1e-9
    assert {round(p, 1) for p in got} != {0.0}  # the pages are not all judged alike
    outside = [("某银行系统故障 客户无法转账", "银行表示故障已修复。"), ("", "")]
    assert trained.probabilities(outside) == pytest.approx(
        trained.reference_probabilities(outside), abs=1e-9
    )


def test_an_uncalibrated_classifier_too() -> None:
    few = [
        Example("某医院系统遭黑客攻击瘫痪", "门诊无法挂号。", 1),
        Example("卫健委通报患者信息泄露事件", "涉事医院被处罚。", 1),
        Example("某地医保系统宕机半日", "群众投诉无法结算。", 1),
        Example("某医院开展网络安全应急演练", "模拟勒索病毒攻击。", 0),
        Example("互联网医院平台上线", "患者可在线复诊。", 0),
        Example("卫健委召开信息化工作会议", "部署年度重点任务。", 0),
    ]
    classifier = RiskClassifier().fit(few)
    assert classifier.numbers is not None and classifier.numbers.a is None
    texts = [(e.title, e.text) for e in few] + [("东川医院挂号系统遭勒索病毒攻击后瘫痪", "")]
    assert classifier.probabilities(texts) == pytest.approx(
        classifier.reference_probabilities(texts), abs=1e-9
    )


def test_it_refuses_what_it_does_not_know(trained: RiskClassifier) -> None:
    assert RiskClassifier().numbers is None  # untrained: the lexicon's score
    binary = copy.deepcopy(trained._vectorizer)
    binary.binary = True
    with pytest.raises(TypeError):
        RiskNumbers.of_fitted([binary], trained._model)
    words_of_spaces = copy.deepcopy(trained._vectorizer)
    words_of_spaces.analyzer = "word"
    with pytest.raises(TypeError):
        RiskNumbers.of_fitted([words_of_spaces], trained._model)


def test_the_file_holds_the_same_numbers_and_loads_without_scikit_learn(
    trained: RiskClassifier, tmp_path: Path
) -> None:
    assert trained.numbers is not None
    path = tmp_path / "risk.npz"
    trained.numbers.save(path)
    assert path.stat().st_size < 3_000_000
    with np.load(path, allow_pickle=False) as data:  # plain arrays: no pickled object
        assert all(data[name].dtype != object for name in data.files)
    loaded = RiskNumbers.load(path)
    pages = [tone_text(e.title, e.text) for e in seed_examples()[:60]]
    assert loaded.probabilities(pages) == trained.probabilities(pages)  # the same numbers
    assert loaded.trained_on == trained.trained_on
    # what a collection worker does with it, in a fresh interpreter: judge a tone, and
    # scikit-learn (and scipy) never imported
    program = (
        "import sys; from pathlib import Path\n"
        "from jianbao.risk_file import load_risk_numbers\n"
        "from jianbao.judge.tone import judge_tone\n"
        f"tone = judge_tone('某医院系统遭勒索病毒攻击 挂号系统宕机', '患者信息泄露。', "
        f"load_risk_numbers(Path({str(path)!r})))\n"
        "print(tone.risk, 'sklearn' in sys.modules, 'scipy' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    ).stdout.split()
    here = judge_tones([("某医院系统遭勒索病毒攻击 挂号系统宕机", "患者信息泄露。")], trained)
    assert out == [str(here[0].risk), "False", "False"]


def test_tone_one_at_a_time_equals_the_batch(trained: RiskClassifier) -> None:
    pages = [(e.title, e.text) for e in seed_examples()[:40]]
    batch = judge_tones(pages, trained)
    one_by_one = [judge_tones([page], trained)[0] for page in pages]
    assert batch == one_by_one


def test_a_loaded_file_packs_its_character_grams_and_judges_alike(
    trained: RiskClassifier, tmp_path: Path
) -> None:
    """The file's character n-grams load as PackedGrams (12 bytes a term, not a dict of
    Python strings: issue 21), and each text's row — columns, their order, counts — is
    the one the dict of the same terms gives, odd characters included."""
    assert trained.numbers is not None
    path = tmp_path / "risk.npz"
    trained.numbers.save(path)
    loaded = RiskNumbers.load(path)
    chars = [part for part in loaded.parts if part.kind == "char"]
    assert chars and all(isinstance(part.vocabulary, PackedGrams) for part in chars)
    for part, fitted in zip(loaded.parts, trained.numbers.parts, strict=True):
        assert dict(part.vocabulary) == dict(fitted.vocabulary)  # the same terms, columns
        assert len(part.vocabulary) == len(fitted.vocabulary)
    (term, column), *_ = trained.numbers.parts[0].vocabulary.items()
    assert chars[0].vocabulary[term] == column and "不在词表里的词" not in chars[0].vocabulary
    texts = [tone_text(e.title, e.text) for e in seed_examples()]
    texts += [
        ("𠀀医院 系统\x00瘫痪", "A  B\tc 数据泄露"),  # beyond the BMP, NUL, white space
        ("", ""),
        ("医", ""),
    ]
    for title, text in texts:
        for part, fitted in zip(loaded.parts, trained.numbers.parts, strict=True):
            got, expected = (
                part.row(f"{title} {title} {text}"),
                fitted.row(f"{title} {title} {text}"),
            )
            assert got[0].tolist() == expected[0].tolist()
            assert got[1].tolist() == expected[1].tolist()
    # a lone surrogate does not pack: the row is made term by term, as before
    odd = "数据\ud800泄露 医院"
    assert chars[0].row(odd)[0].tolist() == trained.numbers.parts[0].row(odd)[0].tolist()
    assert loaded.probabilities(texts) == trained.probabilities(texts)
    # the terms that do not pack keep a dict (longer n-grams than three characters)
    assert PackedGrams.of_terms(["医院信息"]) is None and PackedGrams.of_terms(["医", "医院"])
