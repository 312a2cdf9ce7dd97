"""The prepare workers share what preparing loads: the fork server prepares a page of its
own before forking them (issue 21), and the collecting process loads no segmenter.

Each test runs a fresh interpreter: a process has one fork server, started by its first
pool, and what that server loaded is what every later pool's workers share."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from jianbao.prepare import WARM_RISK_FILE

TESTS = Path(__file__).resolve().parent

COLLECT = """
import asyncio, json, sys
from pathlib import Path
from jianbao.config import DEFAULT_TOPIC
from jianbao.judge.topic import parse_topic
from jianbao.prepare import Judging, Preparer
from jianbao.records import Link

def private_kb(pid):
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        fields[line.split(":")[0]] = int(line.split()[1])
    return fields["Private_Clean"] + fields["Private_Dirty"]

risk = Path(sys.argv[1]) if sys.argv[1] != "-" else None
judging = Judging(parse_topic(DEFAULT_TOPIC), 120, risk_file=risk)
paragraph = "东川省人民医院互联网医院今日上线，患者可在线复诊、处方流转到药店，电子病历同步启用。"
pages = [
    (f"<html><body><h1>东川第{n}家医院上线互联网医院</h1>"
     + "".join(f"<p>第{k}段：{paragraph}编号{n}。</p>" for k in range(6))
     + "</body></html>").encode()
    for n in range(24)
]
stalls = []
with Preparer(judging, workers=2, pool_after=0) as preparer:
    async def tick(done):
        loop = asyncio.get_running_loop()
        last = loop.time()
        while not done.is_set():
            await asyncio.sleep(0.01)
            stalls.append(loop.time() - last)
            last = loop.time()
    async def run():
        done = asyncio.Event()
        ticking = asyncio.create_task(tick(done))
        await asyncio.sleep(0.05)
        preparer.expect(len(pages))
        urls = [f"http://a.example/{n}.html" for n in range(len(pages))]
        found = await asyncio.gather(
            *(preparer.prepare(p, u, None, Link(u), None) for p, u in zip(pages, urls))
        )
        done.set()
        await ticking
        return found
    prepared = asyncio.run(run())
    workers = list(preparer._pool._processes)
    print(json.dumps({
        "titles": sorted({p.article.title for p in prepared}),
        "risks": [p.judgement.risk for p in prepared],
        "workers_private_mb": [private_kb(pid) / 1024 for pid in workers],
        "collecting_rjieba": "rjieba" in sys.modules,
        "longest_stall": max(stalls),
    }))
"""


def _collect(risk: Path | None, env: dict[str, str] | None = None) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", COLLECT, str(risk) if risk else "-"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        cwd=TESTS,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    result["stderr"] = done.stderr
    return result


def test_workers_share_the_dictionaries_and_the_risk_numbers(shared_risk_seed) -> None:
    """Each worker's own memory stays small: the segmenters' dictionaries (rjieba's and
    the tokenizer's, about 60 MB) and the risk classifier's numbers were loaded by the
    fork server before it forked them (each worker held 60-90 MB of its own before);
    the collecting process, whose pages the workers segment, loads no segmenter."""
    result = _collect(shared_risk_seed.file())
    assert len(result["titles"]) == 24  # type: ignore[arg-type]
    assert all(risk is not None for risk in result["risks"])  # type: ignore[attr-defined]
    private = result["workers_private_mb"]
    assert len(private) == 2  # type: ignore[arg-type]
    assert max(private) < 35, f"each worker holds {private} MB of its own"  # type: ignore[type-var]
    assert result["collecting_rjieba"] is False


def test_the_event_loop_runs_on_while_the_workers_start() -> None:
    """The fork server's imports and warm-up (a second or more) happen while the event
    loop goes on (fetching, in a cycle): the workers are started in a thread. Forking
    the first worker from the event loop held it for all that time."""
    result = _collect(None)
    assert len(result["titles"]) == 24  # type: ignore[arg-type]
    # 1.1-1.7 s with the workers forked from the loop on the idle machine; the margin is
    # for a loaded CI machine, whose scheduler alone can hold a 10 ms sleep a while
    assert result["longest_stall"] < 1.0  # type: ignore[operator]


def test_a_failed_warm_up_leaves_the_workers_working(tmp_path) -> None:
    """A risk file the fork server cannot load (here: named in its environment, missing)
    is logged, and the workers prepare every page as before."""
    missing = tmp_path / "risk-missing.npz"
    result = _collect(None, {WARM_RISK_FILE: str(missing)})
    assert len(result["titles"]) == 24  # type: ignore[arg-type]
    assert "工作进程预热失败" in str(result["stderr"])
