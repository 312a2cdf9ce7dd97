"""Quality gate: jianbao's extraction figures on the evaluation pages stay above floors.

Runs the benchmark's own loader and scoring (benchmarks/extraction.py) on every third
page of ../shared/eval/extraction/ (kept fast); skipped with a message when the data is
absent. The floors are pinned a little below the figures reached: raise them when the
extractor improves, never lower them silently.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / ".." / "shared" / "eval" / "extraction"

#: every n-th page is scored
STRIDE = 3
FLOORS = {
    "f1": 0.96,
    "under_0_5_at_most": 1,
    "date_accuracy": 0.88,
}


def _benchmark() -> ModuleType:
    path = REPO / "benchmarks" / "extraction.py"
    spec = importlib.util.spec_from_file_location("jianbao_extraction_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    if not DATA.is_dir():
        pytest.skip(f"评测数据不存在，跳过质量门槛 (evaluation data absent: {DATA})")
    bench = _benchmark()
    pages = bench.load_pages(DATA)[::STRIDE]
    if not pages:
        pytest.skip(f"{DATA} 下没有可识别的数据集 (no data set in a known layout)")
    results = bench.evaluate(pages, ["jianbao"])
    return results["jianbao"]["all"].figures()


def test_body_char_f1_floor(figures: dict[str, float]) -> None:
    assert figures["f1"] >= FLOORS["f1"], figures


def test_few_pages_fail(figures: dict[str, float]) -> None:
    assert figures["under_0_5"] <= FLOORS["under_0_5_at_most"], figures


def test_date_accuracy_floor(figures: dict[str, float]) -> None:
    assert figures["date_accuracy"] >= FLOORS["date_accuracy"], figures
