"""The framing judgement (jianbao.judge.risk_framing): a report of a new incident against a
retelling of one, damping the retelling, on every path and in the file."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pytest

from jianbao.alerts.learn import seeded_classifier
from jianbao.judge.risk import RiskClassifier, seed_examples
from jianbao.judge.risk_direct import RiskNumbers
from jianbao.judge.risk_framing import DAMP, FLOOR, damped, framing_row, group_patterns
from jianbao.judge.tone import tone_text

#: the index of the sentence-level evidence in a framing row
RECENT_AT_PLACE = 2 * len(group_patterns())

REPORT = (
    "某县人民医院挂号系统瘫痪 患者排队两小时",
    "昨日上午9时许,某县人民医院门诊挂号系统突然瘫痪,记者在现场看到,大厅挤满了排队的患者。"
    "医院信息科称,故障因服务器断电引起,目前已恢复。",
)
RETELLINGS = [
    (
        "王某与某县人民医院医疗损害责任纠纷二审民事判决书",
        "上诉人王某与被上诉人某县人民医院医疗损害责任纠纷一案,不服一审判决,向本院提起上诉。"
        "本院依法组成合议庭审理了本案,依据《中华人民共和国民法典》第一千二百一十八条判决如下。",
    ),
    (
        "医院泄露患者隐私怎么办?律师解答",
        "医院泄露患者隐私,患者可以起诉吗?根据《中华人民共和国民法典》第一千二百二十六条,"
        "医疗机构应当对患者的隐私和个人信息保密。",
    ),
]


@pytest.fixture(scope="module")
def trained() -> RiskClassifier:
    return seeded_classifier()


def test_a_recent_time_at_a_place_is_the_sentence_level_evidence() -> None:
    assert framing_row(*REPORT)[RECENT_AT_PLACE] == 1.0
    # the same words told as a retrospect: a year long past, no recent time
    retro = ("", "2013年以来,辽宁省查处了多起医院院长受贿案件,在社会引起了强烈反响。")
    assert framing_row(*retro)[RECENT_AT_PLACE] == 0.0
    # a recent time without a place is not enough
    assert framing_row("", "昨日上午,有网友发帖反映排队太久。")[RECENT_AT_PLACE] == 0.0


def test_a_report_is_framed_as_one_and_retellings_are_not(trained: RiskClassifier) -> None:
    numbers = trained.numbers
    assert numbers is not None and numbers.framing is not None
    report = numbers.framing.probability(*REPORT)
    assert report >= 0.5 > FLOOR  # a report keeps the topic model's probability
    for retelling in RETELLINGS:
        assert numbers.framing.probability(*retelling) < 0.5
    # the lawyer's answer, a question and an article of law, is taken for a retelling
    assert numbers.framing.probability(*RETELLINGS[1]) < FLOOR


def test_a_retelling_is_damped_and_a_report_is_not() -> None:
    assert damped(0.8, FLOOR - 0.01) == pytest.approx(0.8 * DAMP)
    assert damped(0.8, FLOOR) == 0.8
    assert damped(0.8, 0.95) == 0.8


def test_the_numbers_and_scikit_learn_damp_the_same_pages(trained: RiskClassifier) -> None:
    numbers = trained.numbers
    assert numbers is not None and numbers.framing is not None
    pages = [tone_text(e.title, e.text) for e in seed_examples()] + RETELLINGS + [REPORT]
    damped_pages = [p for p in pages if numbers.framing.probability(*p) < FLOOR]
    assert len(damped_pages) >= 10  # the gate does act on the shipped pages
    topic_only = dataclasses.replace(numbers, framing=None)
    for page, got, topic in zip(
        damped_pages,
        numbers.probabilities(damped_pages),
        topic_only.probabilities(damped_pages),
        strict=True,
    ):
        assert got == pytest.approx(topic * DAMP, abs=1e-12), page
    assert numbers.probabilities(pages) == pytest.approx(
        trained.reference_probabilities(pages), abs=1e-9
    )


def test_the_file_keeps_the_framing_and_an_older_file_judges_by_topic(
    trained: RiskClassifier, tmp_path: Path
) -> None:
    numbers = trained.numbers
    assert numbers is not None and numbers.framing is not None
    pages = [*RETELLINGS, REPORT]
    path = tmp_path / "risk.npz"
    numbers.save(path)
    loaded = RiskNumbers.load(path)
    assert loaded.framing is not None
    assert np.array_equal(loaded.framing.coef, numbers.framing.coef)
    assert loaded.probabilities(pages) == numbers.probabilities(pages)
    # a file written before the framing judgement: no framing arrays, the topic alone
    older = tmp_path / "older.npz"
    dataclasses.replace(numbers, framing=None).save(older)
    with np.load(older, allow_pickle=False) as data:
        assert not any(name.startswith("framing") for name in data.files)
    assert RiskNumbers.load(older).framing is None
    assert RiskNumbers.load(older).probabilities(pages) == dataclasses.replace(
        numbers, framing=None
    ).probabilities(pages)


def test_the_risk_file_depends_on_every_judge_module_the_classifier_reads() -> None:
    """A trained file is named after the digest of ``RISK_FILES``: a module the
    classifier imports but the list misses (risk_cues.py was) could change without the
    stored files being trained again."""
    import ast

    import jianbao.judge
    from jianbao.risk_file import RISK_FILES

    root = Path(jianbao.judge.__file__).parent
    seen: set[str] = set()
    todo = ["risk.py"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        for node in ast.walk(ast.parse((root / name).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[:2] == ["jianbao", "judge"] and len(parts) == 3:
                    todo.append(f"{parts[2]}.py")
                elif parts == ["jianbao", "judge"]:
                    todo.extend(
                        f"{a.name}.py" for a in node.names if (root / f"{a.name}.py").is_file()
                    )
    assert {"risk_cues.py", "risk_direct.py", "risk_framing.py", "tokenize.py"} <= seen
    assert seen <= set(RISK_FILES)


def test_who_tells_the_page_is_framing_evidence() -> None:
    """The thirteenth round's groups: a reporter's dateline, an author's opinion, a
    campaign's many cases, counted in the headline and the opening."""
    from .test_risk_cues import CAMPAIGN, COLUMN, REPORTER

    names = list(group_patterns())

    def counted(page: tuple[str, str], group: str) -> float:
        return framing_row(*page)[2 * names.index(group)]

    assert counted(REPORTER, "byline") > 0
    assert counted(REPORTER, "opinion") == counted(REPORTER, "campaign") == 0
    assert counted(COLUMN, "opinion") > 0 and counted(COLUMN, "byline") == 0
    assert counted(CAMPAIGN, "campaign") > 0 and counted(CAMPAIGN, "byline") == 0


def test_a_column_a_campaign_and_a_home_accident_stay_below_the_alert(
    trained: RiskClassifier,
) -> None:
    """The shipped classifier (the seed pages) reads who tells the page: an author's column
    on a wrong transfusion, a campaign's counts of illegal practice and a child's poisoning
    at home stay below the alert threshold (with the judge before the thirteenth round
    0.28, 0.41 and 0.27), while the reports of one new incident at a hospital alert."""
    from jianbao.judge.risk import DECISION_THRESHOLD

    from .test_risk_cues import AT_HOME, CAMPAIGN, COLUMN, REPORTER, WRONG_DRUG_AT_HOSPITAL

    def probability(page: tuple[str, str]) -> float:
        return trained.probability(*tone_text(*page))

    for page in (COLUMN, CAMPAIGN, AT_HOME):
        assert probability(page) < DECISION_THRESHOLD, page[0]
    for page in (REPORTER, WRONG_DRUG_AT_HOSPITAL):
        assert probability(page) > 0.8, page[0]
