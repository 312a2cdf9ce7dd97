"""The risk classifier's file is written whole (jianbao.risk_file, RiskNumbers.save): a
worker loading it while it is copied from this process's seed or saved again finds it
absent or whole, never half a file (both write through jianbao.whole_file)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

from conftest import SharedRiskSeed
from jianbao.judge.risk_direct import RiskNumbers
from jianbao.risk_file import LOCK_NAME, RiskOrder, risk_file_of

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
    left = [p.name for p in path.parent.iterdir() if p.name != LOCK_NAME]
    assert left == [seed.name]  # no temporary file left


# A process ordering the classifier file, with a stand-in for the training child that
# logs each training and writes the session's seed file (a real training costs each
# process 10-15 s of CPU; what is tested is who trains, across real processes and locks).
ORDER_SCRIPT = """
import os, shutil, sys, time
from pathlib import Path
from jianbao import risk_file

seed, log, target, go, marked = sys.argv[1:6]

def training(marks, path):
    with open(log, "a") as out:
        out.write(f"{os.getpid()}\\n")
    time.sleep(0.5)
    shutil.copyfile(seed, path)

risk_file.train_in_child = training
while not os.path.exists(go):
    time.sleep(0.01)
order = risk_file.RiskOrder(Path(target), [["标题", "正文", 1]] if marked == "1" else None)
print(risk_file.risk_file_of(order))
"""


def _order_at_once(
    targets: list[Path], seed: Path, log: Path, cache: Path, *, marked: bool
) -> list[str]:
    """Start one process per target, let them order at the same moment, return what
    each answered."""
    go = log.with_suffix(".go")
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", ORDER_SCRIPT, *map(str, (seed, log, t, go)), str(int(marked))],
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for t in targets
    ]
    go.touch()
    answers = [p.communicate(timeout=60)[0].strip() for p in processes]
    assert all(p.returncode == 0 for p in processes)
    go.unlink()
    return answers


def _trainings(log: Path) -> int:
    return len(log.read_text().split()) if log.exists() else 0


def test_processes_sharing_a_data_folder_train_its_classifier_once(
    tmp_path: Path, shared_risk_seed: SharedRiskSeed
) -> None:
    """A worker's prefork children and the other workers of one data folder start at once
    and find the file missing: one trains, the others wait for it and find it."""
    seed = shared_risk_seed.file()
    target = tmp_path / "models" / "risk-marked.npz"
    target.parent.mkdir()
    log = tmp_path / "trainings.log"
    answers = _order_at_once([target] * 3, seed, log, tmp_path / "cache", marked=True)
    assert answers == [str(target)] * 3
    assert _trainings(log) == 1
    assert target.read_bytes() == seed.read_bytes()


def test_the_shipped_pages_classifier_is_trained_once_per_machine(
    tmp_path: Path, shared_risk_seed: SharedRiskSeed
) -> None:
    """Without marks every store has the same classifier: two new stores ordering it at
    once train it once between them (the machine cache's lock), a third store later
    copies it from the cache, and no store's file is half written."""
    seed = shared_risk_seed.file()
    stores = [tmp_path / f"store{n}" / "models" / seed.name for n in range(3)]
    for path in stores:
        path.parent.mkdir(parents=True)
    log, cache = tmp_path / "trainings.log", tmp_path / "cache"
    assert _order_at_once(stores[:2], seed, log, cache, marked=False) == [
        str(p) for p in stores[:2]
    ]
    assert _trainings(log) == 1
    assert (cache / "jianbao" / seed.name).read_bytes() == seed.read_bytes()
    assert _order_at_once(stores[2:], seed, log, cache, marked=False) == [str(stores[2])]
    assert _trainings(log) == 1  # copied from the cache, not trained
    assert all(path.read_bytes() == seed.read_bytes() for path in stores)
