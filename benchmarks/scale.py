"""Scale-out benchmark: the collect world through the embedded pipeline and through 1, 2,
4… Celery worker processes, in one run, on the same PostgreSQL server and Redis.

The world is ``benchmarks/collect.py``'s (a separate process serving ``--sources``
sources, half feeds and half listing pages, on ``--hosts`` loopback hosts, each answer
after a random latency of ``--min-latency`` to ``--max-latency`` seconds), with the
default politeness (2 requests per host, 0.5 s apart). Each side collects every source
once into a fresh PostgreSQL database:

* the baseline: ``Pipeline.run_cycle`` in one process (``jianbao run``'s collection, its
  extract-and-judge workers one per core);
* ``jianbao worker --queues fetch --concurrency N`` (N prefork processes), fed by
  ``send_due_sources`` as the beat feeds it: batches of whole hosts, ``--batch`` sources
  each. Timed from the first task sent to the last result.

Printed per side: articles stored, seconds, articles per second, the ratio to the
embedded run, scaling efficiency (rate with N processes ÷ N × the rate with one), the
peak memory of the worker's processes (proportional set sizes, per process), the CPU
milliseconds per article of the whole process tree (less sensitive to other load than
the rate) and by stage, and the machine's load average before and after the side. The
stages run in the store's transaction (store, stories, policies, search index) are
taken by one process at a time under the article lock: 1000 ÷ their milliseconds (plus
the commit's) is the most articles per second any number of processes can store.

Every worker process fetches through the shared per-host gate (jianbao.jobs.politeness),
so all of them together keep each host's 2 requests at once, started 0.5 s apart, as the
embedded run does: with ``--hosts`` hosts the world cannot be collected faster than
``2 × hosts`` requests per second, whatever the number of processes. Fetching
waits on the latency, so processes beyond the cores still help until the hosts'
politeness or the CPU (extraction, judging) is the limit.

    .venv/bin/python benchmarks/scale.py [--sources 1000] [--articles 20000] [--hosts 250]
        [--workers 1,2,4,8] [--batch 50] [--no-embedded]

Needs PostgreSQL (``--postgres``, an admin URL: databases are created and dropped) and
Redis (``--redis``; a key prefix of its own). Ends with one JSON line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any, cast

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "benchmarks"))

from collect import (  # noqa: E402
    TreeMemory,
    _children,
    _cpu_seconds,
    _memory_kb,
    in_process,
    load_average,
    serve,
    source_urls,
    world_of,
)


def _database(admin_url: str) -> str:
    import sqlalchemy as sa

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"jianbao_scale_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return admin.url.set(database=name).render_as_string(hide_password=False)


def _drop(admin_url: str, url: str) -> None:
    import sqlalchemy as sa

    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = sa.engine.make_url(url).database
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _settings(data_dir: Path, url: str, redis: str, prefix: str) -> Any:
    from jianbao.config import Settings

    return Settings(
        data_dir=data_dir,
        database_url=url,
        ssrf_allowlist=["127.0.0.0/8"],
        broker_url=redis,
        broker_queue_prefix=prefix,
    )


def _add_sources(settings: Any, sources: list[tuple[str, str, str]]) -> None:
    from jianbao.db import store
    from jianbao.db.session import Database
    from jianbao.records import SourceSpec

    db = Database.from_settings(settings)
    with db.session() as session:
        for name, url, kind in sources:
            store.add_source(session, SourceSpec(name=name, url=url, kind=cast(Any, kind)))
    db.close()


def _stored(settings: Any) -> int:
    from sqlalchemy import func, select

    from jianbao.db.models import Article
    from jianbao.db.session import Database

    db = Database.from_settings(settings)
    with db.session() as session:
        count = session.scalar(select(func.count(Article.id))) or 0
    db.close()
    return count


# -- the embedded baseline --------------------------------------------------------------


def run_embedded(settings: Any, out: Any) -> None:
    from jianbao.db.session import Database
    from jianbao.pipeline import Pipeline

    db = Database.from_settings(settings)
    with TreeMemory() as memory:
        cpu = _tree_cpu(os.getpid())
        started = time.perf_counter()
        report = asyncio.run(Pipeline(settings, db).run_cycle())
        seconds = time.perf_counter() - started
        cpu = _tree_cpu(os.getpid()) - cpu
    db.close()
    out.send(
        {
            "stored": report.articles_new,
            "seconds": seconds,
            "errors": len(report.errors),
            "peak_mb": memory.peak_mb,
            "cpu_seconds": cpu,
            "stages": dict(report.cpu.seconds),
            "walls": dict(report.cpu.walls),
        }
    )


def _tree_cpu(root: int) -> float:
    """CPU seconds used so far by a process and its living children (a pool's workers,
    a Celery worker's prefork children; those already gone are in the root's own
    children's time once reaped)."""
    import resource

    own = 0.0
    if root == os.getpid():
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        own = usage.ru_utime + usage.ru_stime
    return own + _cpu_seconds(root) + sum(_cpu_seconds(pid) for pid in _children(root))


# -- Celery workers ---------------------------------------------------------------------


class TreePeak:
    """Peak proportional set size of a process tree (a worker and its children)."""

    def __init__(self, root: int):
        self.root = root
        self.peak_kb = 0
        self.peak_children_kb: list[int] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(0.25):
            children = _children(self.root)
            sizes = [_memory_kb(pid)[0] for pid in children]
            total = _memory_kb(self.root)[0] + sum(sizes)
            if total > self.peak_kb:
                self.peak_kb = total
                self.peak_children_kb = sizes

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run_workers(
    settings: Any, sources: list[tuple[str, str, str]], processes: int, batch: int
) -> dict[str, Any]:
    from jianbao.jobs.celery_app import make_celery
    from jianbao.jobs.tasks import COLLECT_SOURCES, host_batches, send_task

    env = {
        **os.environ,
        "JIANBAO_DATA_DIR": str(settings.data_dir),
        "JIANBAO_DATABASE_URL": settings.database_url,
        "JIANBAO_BROKER_URL": settings.broker_url,
        "JIANBAO_BROKER_QUEUE_PREFIX": settings.broker_queue_prefix,
        "JIANBAO_SSRF_ALLOWLIST": json.dumps(settings.ssrf_allowlist),
    }
    env.pop("JIANBAO_CONFIG", None)
    node = f"bench{processes}@{uuid.uuid4().hex[:6]}"
    log = open(settings.data_dir / f"worker-{processes}.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "jianbao", "worker", "--queues", "fetch"),
            *("--concurrency", str(processes), "--name", node),
        ],
        env=env,
        cwd=settings.data_dir,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    app = make_celery(settings)
    try:
        deadline = time.monotonic() + 120
        while not app.control.ping(destination=[node], timeout=1.0):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit(f"the worker did not start; see {log.name}")
        peak = TreePeak(worker.pid)
        cpu = _tree_cpu(worker.pid)
        started = time.perf_counter()
        # the batches send_due_sources makes, sent the same way, keeping their results
        results = [
            send_task(app, settings, COLLECT_SOURCES, names, False)
            for names in host_batches([(name, url) for name, url, _kind in sources], batch)
        ]
        details = [result.get(timeout=3600) for result in results]
        seconds = time.perf_counter() - started
        cpu = _tree_cpu(worker.pid) - cpu
        peak.stop()
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(60)
        log.close()
    return {
        "stored": _stored(settings),
        "seconds": seconds,
        "tasks": len(details),
        "errors": sum(len(detail.get("errors", [])) for detail in details),
        "peak_mb": peak.peak_kb / 1024,
        "per_process_mb": max(peak.peak_children_kb, default=0) / 1024,
        "cpu_seconds": cpu,
        "stages": _summed([detail.get("cpu", {}) for detail in details]),
        "walls": _summed([detail.get("lock", {}) for detail in details]),
        "window": _windows(details),
    }


#: what each task reports of its process's event window: the window read again, caught up
#: with others' articles, and the facts of those a catch-up made under the lock
WINDOW_COUNTS = ("reloads", "catch_ups", "made_locked")


def _windows(details: list[dict[str, Any]]) -> dict[str, int]:
    """The event windows' reloads and catch-ups over the worker processes: each task
    reports its process's counts so far, so the last (highest) of each process is summed.
    Reloads are the costly ones (the window read again from the store); catch-ups read
    only the articles other processes stored since."""
    last: dict[int, dict[str, int]] = {}
    for detail in details:
        window = detail.get("window")
        if window:
            seen = last.setdefault(window["pid"], dict.fromkeys(WINDOW_COUNTS, 0))
            for name in seen:
                seen[name] = max(seen[name], int(window.get(name, 0)))
    return {name: sum(seen[name] for seen in last.values()) for name in WINDOW_COUNTS}


def _summed(stages: list[dict[str, float]]) -> dict[str, float]:
    total: dict[str, float] = {}
    for times in stages:
        for stage, seconds in times.items():
            total[stage] = total.get(stage, 0.0) + seconds
    return total


#: the stages that run in the store's transaction, under the article lock every process
#: takes in turn (jianbao.db.store.lock_article_writes): their sum bounds the whole
#: deployment's rate, however many processes fetch and prepare
LOCKED_STAGES = ("store", "stories", "policies", "search_index")


def _forget_keys(redis_url: str, prefix: str) -> None:
    """Remove what the run left in Redis (results, bindings) under its prefix."""
    import redis

    client = redis.Redis.from_url(redis_url)
    keys = list(client.scan_iter(f"{prefix}*"))
    if keys:
        client.delete(*keys)
    client.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--articles", type=int, default=20000)
    parser.add_argument("--hosts", type=int, default=250)
    parser.add_argument("--min-latency", type=float, default=0.1)
    parser.add_argument("--max-latency", type=float, default=0.6)
    parser.add_argument("--workers", default="1,2,4,8", help="worker process counts to run")
    parser.add_argument("--batch", type=int, default=50, help="sources per collect task")
    parser.add_argument(
        "--postgres", default="postgresql+pg8000://postgres@127.0.0.1:5432/postgres"
    )
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/15")
    parser.add_argument(
        "--no-embedded",
        action="store_true",
        help="skip the embedded run (compare with an earlier run's; no ratio to it is printed)",
    )
    args = parser.parse_args()
    # a run stopped with SIGTERM still drops its databases and Redis keys (finally blocks)
    signal.signal(signal.SIGTERM, lambda _signum, _frame: sys.exit(143))
    counts = [int(n) for n in args.workers.split(",") if n.strip()]
    world = world_of(args)
    mp.set_start_method("spawn")
    ready_recv, ready_send = mp.Pipe(duplex=False)
    stop = mp.Event()
    server = mp.Process(target=serve, args=(world, ready_send, stop), daemon=True)
    server.start()
    sources = source_urls(world, ready_recv.recv())
    print(
        f"world: {world.sources} sources on {world.hosts} hosts, {world.articles} articles, "
        f"latency {world.min_latency}-{world.max_latency} s; tasks of {args.batch} sources"
    )
    prefix = f"jbscale-{uuid.uuid4().hex[:8]}"
    rows: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory() as tmp:
            sides: list[str | int] = [*([] if args.no_embedded else ["embedded"]), *counts]
            for side in sides:
                url = _database(args.postgres)
                folder = Path(tmp) / str(side)
                folder.mkdir()
                settings = _settings(folder, url, args.redis, f"{prefix}-{side}")
                load_before = load_average()
                try:
                    _add_sources(settings, sources)
                    if side == "embedded":
                        row = in_process(run_embedded, settings)
                    else:
                        row = run_workers(settings, sources, cast(int, side), args.batch)
                finally:
                    _drop(args.postgres, url)
                row["side"] = side
                row["rate"] = row["stored"] / row["seconds"] if row["seconds"] else 0.0
                row["cpu_ms_per_article"] = (
                    1000 * row["cpu_seconds"] / row["stored"] if row["stored"] else 0.0
                )
                row["load"] = [load_before, load_average()]
                stages = row.pop("stages", {})
                row["stage_ms"] = {
                    stage: round(1000 * seconds / max(1, row["stored"]), 2)
                    for stage, seconds in sorted(stages.items())
                }
                row["locked_ms"] = sum(row["stage_ms"].get(stage, 0.0) for stage in LOCKED_STAGES)
                walls = row.pop("walls", {})
                # wall-clock ms an article waiting for the article lock and holding it (to
                # the commit's end); held × rate is the share of the run the lock was taken:
                # near 1, no more processes can store faster
                row["lock_ms"] = {
                    name.removeprefix("lock_"): round(1000 * seconds / max(1, row["stored"]), 2)
                    for name, seconds in sorted(walls.items())
                }
                row["lock_busy"] = round(row["lock_ms"].get("held", 0.0) * row["rate"] / 1000, 3)
                rows.append(row)
                print(
                    f"{side!s:>9}: {row['stored']} articles in {row['seconds']:.1f} s = "
                    f"{row['rate']:.1f}/s, errors {row['errors']}, peak {row['peak_mb']:.0f} MB"
                    + (
                        f" ({row['per_process_mb']:.0f} MB per process)"
                        if side != "embedded"
                        else ""
                    )
                    + f", CPU {row['cpu_ms_per_article']:.1f} ms per article"
                    + f", load {row['load'][0]:.1f} → {row['load'][1]:.1f}"
                )
                print(
                    "           CPU ms per article by stage: "
                    + ", ".join(f"{stage} {ms:.1f}" for stage, ms in row["stage_ms"].items())
                    + f"; under the article lock {row['locked_ms']:.1f}"
                )
                if row["lock_ms"]:
                    print(
                        f"           article lock: held {row['lock_ms'].get('held', 0.0):.1f} ms,"
                        f" waited for {row['lock_ms'].get('wait', 0.0):.1f} ms an article"
                        f" (wall); taken {row['lock_busy']:.0%} of the run"
                    )
                if "window" in row:
                    print(
                        f"           event windows: {row['window']['reloads']} reloads, "
                        f"{row['window']['catch_ups']} catch-ups, making the facts of"
                        f" {row['window']['made_locked']} others' articles under the lock"
                    )
    finally:
        stop.set()
        server.join(timeout=5)
        _forget_keys(args.redis, prefix)
    embedded = next((row["rate"] for row in rows if row["side"] == "embedded"), 0.0)
    one = next((row["rate"] for row in rows if row["side"] == 1), 0.0)
    for row in (row for row in rows if row["side"] != "embedded"):
        n = cast(int, row["side"])
        row["vs_embedded"] = row["rate"] / embedded if embedded else 0.0
        row["efficiency"] = row["rate"] / (n * one) if one else 0.0
        print(
            f"{n} process(es): "
            + (f"{row['vs_embedded']:.2f}× the embedded run" if embedded else "no embedded run")
            + (f", scaling efficiency {row['efficiency']:.0%}" if one else "")
        )
    print(
        json.dumps(
            {
                "benchmark": "scale",
                "sources": world.sources,
                "articles": world.articles,
                "hosts": world.hosts,
                "batch": args.batch,
                "load": Path("/proc/loadavg").read_text().split()[:3],
                "rows": [
                    {
                        key: round(value, 3)
                        if isinstance(value, float)
                        else [round(v, 2) for v in value]
                        if key == "load"
                        else value
                        for key, value in row.items()
                    }
                    for row in rows
                ],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__":
    main()
