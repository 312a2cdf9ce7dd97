"""The risk classifier's file is written whole (jianbao.risk_file, RiskNumbers.save): a
worker loading it while it is copied from this process's seed or saved again finds it
absent or whole, never half a file (both write through jianbao.whole_file)."""

from __future__ import annotations

import threading
from pathlib import Path

from conftest import SharedRiskSeed
from jianbao.judge.risk_direct import RiskNumbers
from jianbao.risk_file import RiskOrder, risk_file_of

PAGES = [
    ("某医院遭勒索病毒攻击 系统瘫痪", "患者无法挂号，医院启用应急预案。"),
    ("市卫健委召开年度工作会议", "会议总结了全年工作。"),
]


def test_a_worker_loading_the_classifier_never_reads_half_a_file(
    tmp_path: Path, shared_risk_seed: SharedRiskSeed
) -> None:
    seed = shared_risk_seed.file()  # the shipped pages' classifier, written once a session
    numbers = RiskNumbers.load(seed)
    path = tmp_path / "models" / seed.name
    loads: list[str] = []
    failures: list[str] = []
    done = threading.Event()

    def load_all_the_time() -> None:
        while not done.is_set():
            try:
                RiskNumbers.load(path)
            except FileNotFoundError:
                loads.append("absent")
            except Exception as exc:  # half a file: a zip without its end, a short array
                failures.append(repr(exc))
            else:
                loads.append("whole")

    worker = threading.Thread(target=load_all_the_time)
    worker.start()
    try:
        assert risk_file_of(RiskOrder(path)) == path  # copied from the seed, not trained
        for _ in range(3):
            numbers.save(path)
    finally:
        done.set()
        worker.join(30)
    assert failures == []
    assert "whole" in loads
    assert RiskNumbers.load(path).probabilities(PAGES) == numbers.probabilities(PAGES)
    assert [p.name for p in path.parent.iterdir()] == [seed.name]  # no temporary file left
