"""Scale-out on Celery (issue 19), on real Redis and PostgreSQL with real worker processes.

The services and the worker processes come from ``celery_workers`` (each test its own
Redis prefix and PostgreSQL databases; skipped, or failed in CI, without them).
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import func, select
from tests.conftest import drop_postgres, fresh_postgres_url

from jianbao.config import Settings
from jianbao.db.models import Article, JobRun, Story
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.demo.site import DemoSite, demo_sources, serve_demo
from jianbao.editions.issue_store import calendar_override, publication_configs
from jianbao.errors import ConfigError
from jianbao.jobs.beat import Beat
from jianbao.jobs.celery_app import QUEUE_KINDS, check_scale_out, make_celery, queue_name
from jianbao.jobs.due import due_between
from jianbao.jobs.lease import Lease
from jianbao.jobs.tasks import CHECK_ALERTS, COLLECT_SOURCES, RUN_JOB, host_batches, send_task
from jianbao.pipeline import Pipeline
from jianbao.records import SHANGHAI
from jianbao.testing import make_settings

from .celery_workers import REDIS_URL, Worker, store_settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site() -> Iterator[DemoSite]:
    with serve_demo() as demo:
        yield demo


@pytest.fixture
def scale_settings(
    admin: sa.Engine, tmp_path: Path, prefix: str, site: DemoSite
) -> Iterator[Settings]:
    """A fresh PostgreSQL store with the demo's sources, and this test's prefix."""
    settings = store_settings(admin, tmp_path, prefix, broker_visibility_timeout=6.0)
    db = Database.from_settings(settings)
    with db.session() as session:
        for spec in demo_sources(site.base_url):
            add_source(session, spec)
    db.close()
    yield settings
    drop_postgres(admin, settings.database_url)


Snapshot = dict[str, Any]


def snapshot(settings: Settings) -> Snapshot:
    """What the store holds, independent of ids and order: the articles, the stories as
    groups of URLs with their representatives, the relevant count, the search index."""
    db = Database.from_settings(settings)
    try:
        with db.session() as session:
            rows = session.execute(
                select(Article.id, Article.canonical_url, Article.story_id, Article.relevant)
            ).all()
            url_of = {row.id: row.canonical_url for row in rows}
            groups: dict[int | None, set[str]] = {}
            for row in rows:
                groups.setdefault(row.story_id, set()).add(row.canonical_url)
            stories = {
                story.id: (story.size, url_of.get(story.representative_id or -1))
                for story in session.scalars(select(Story))
            }
            indexed = session.scalar(sa.text("SELECT count(*) FROM article_search"))
            hashes = session.scalar(select(func.count(func.distinct(Article.content_hash))))
    finally:
        db.close()
    return {
        "articles": sorted(url_of.values()),
        "distinct_contents": hashes,
        "relevant": sum(bool(row.relevant) for row in rows),
        "stories": sorted(
            (sorted(urls), stories[story_id][1], stories[story_id][0])
            for story_id, urls in groups.items()
            if story_id is not None
        ),
        "story_rows": len(stories),
        "without_story": len(groups.get(None, set())),
        "search_index": indexed,
    }


@pytest.fixture(scope="module")
def embedded(
    admin: sa.Engine, site: DemoSite, tmp_path_factory: pytest.TempPathFactory
) -> Snapshot:
    """The store the embedded pipeline gives for the demo site (one process)."""
    settings = make_settings(
        tmp_path_factory.mktemp("embedded"),
        database_url=fresh_postgres_url(admin),
        pipeline_workers=1,  # the same judging, without starting a pool for 50 pages
    )
    db = Database.from_settings(settings)
    with db.session() as session:
        for spec in demo_sources(site.base_url):
            add_source(session, spec)
    report = asyncio.run(Pipeline(settings, db).run_cycle())
    db.close()
    assert report.errors == [] and report.articles_new > 40
    try:
        return snapshot(settings)
    finally:
        drop_postgres(admin, settings.database_url)


def _collect_all(settings: Settings, site: DemoSite) -> list[Any]:
    app = make_celery(settings)
    return [
        send_task(app, settings, COLLECT_SOURCES, [spec.name])
        for spec in demo_sources(site.base_url)
    ]


def _wait(results: list[Any], workers: list[Worker], timeout: float = 150) -> list[Any]:
    """Each task's result; the wait is a guard against a hung worker, not a speed test: a
    worker started under a loaded machine (load 3-6 beside the suite's other processes)
    took longer than a minute to start, train its risk classifier and run a task."""
    try:
        return [result.get(timeout=timeout) for result in results]
    except Exception:
        for worker in workers:
            print(worker.log.read_text(errors="replace")[-4000:])
        raise


def test_two_workers_give_the_store_the_embedded_run_gives(
    scale_settings: Settings,
    site: DemoSite,
    embedded: Snapshot,
    workers: list[Worker],
    tmp_path: Path,
) -> None:
    workers.extend(Worker(scale_settings, f"w{n}", tmp_path / f"w{n}.log") for n in (1, 2))
    results = _wait(_collect_all(scale_settings, site), workers)
    assert all(result["sources_failed"] == 0 for result in results), results
    assert snapshot(scale_settings) == embedded
    # both processes took part (two worker processes collecting, not one)
    assert all("collect_sources" in worker.log.read_text() for worker in workers)
    # each task says which process ran it, how its event window kept up with the other's
    # articles and how long it held the store's article lock (benchmarks/scale.py)
    assert len({result["window"]["pid"] for result in results}) >= 2
    assert all(result["window"]["reloads"] >= 0 for result in results)
    stored = [result for result in results if result["articles_new"]]
    assert stored and all(result["lock"]["lock_held"] > 0 for result in stored)
    # the compose file's health check asks a worker by name, and the worker answers
    checked = subprocess.run(
        [sys.executable, "-m", "jianbao", "worker", "--check", "--name", "w1@%h"],
        env=workers[0].env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert checked.returncode == 0, checked.stderr


def test_a_worker_killed_mid_task_has_it_redelivered_nothing_lost_or_doubled(
    scale_settings: Settings,
    site: DemoSite,
    embedded: Snapshot,
    workers: list[Worker],
    tmp_path: Path,
) -> None:
    held = threading.Event()
    release = threading.Event()
    slow = sorted(path for path in site.routes if path.startswith("/yixin/article/"))
    originals = {path: site.routes[path] for path in slow}

    def hold(path: str) -> Any:
        def answer(_request: Any) -> Any:
            held.set()
            release.wait(120)  # until the kill: the task must not finish before it
            return originals[path]

        return answer

    # one page hangs until the kill and holds one of the host's two places; the others
    # are fetched through the other place and stored first
    for path in slow[-1:]:
        site.routes[path] = hold(path)
    try:
        # the held pages must outlast the wait below: with the suite's 5 s fetch timeout a
        # loaded CI run saw the doomed worker give them up and finish the task before the
        # kill, leaving the heir nothing to run again
        first = Worker(
            scale_settings,
            "doomed",
            tmp_path / "doomed.log",
            extra_env={"JIANBAO_FETCH_TIMEOUT": "150"},
        )
        workers.append(first)
        app = make_celery(scale_settings)
        yixin = send_task(app, scale_settings, COLLECT_SOURCES, ["医信观察网"])
        assert held.wait(30), first.log.read_text(errors="replace")[-3000:]
        # the first pages are stored once the risk classifier is ready: slow under load
        deadline = time.monotonic() + 90
        while _stored_from(scale_settings, "/yixin/") == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _stored_from(scale_settings, "/yixin/") > 0, "no article stored before the kill"
        assert yixin.id not in _finished(first.log), "the task ended before the kill"
        first.kill()  # mid-task: the task is neither finished nor acknowledged
    finally:
        release.set()
        site.routes.update(originals)
    second = Worker(scale_settings, "heir", tmp_path / "heir.log")
    workers.append(second)
    rest = [
        send_task(app, scale_settings, COLLECT_SOURCES, [spec.name])
        for spec in demo_sources(site.base_url)
        if spec.name != "医信观察网"
    ]
    redelivered = _wait([yixin], workers)[0]
    assert redelivered["sources_failed"] == 0
    assert yixin.id in second.log.read_text()  # the same task, run again by the heir
    _wait(rest, workers)
    assert snapshot(scale_settings) == embedded


def _finished(log: Path) -> str:
    """The lines of a worker's log that say a task ended (Celery's own line for it)."""
    lines = log.read_text(errors="replace").splitlines()
    return "\n".join(line for line in lines if "succeeded in" in line or "raised" in line)


def _stored_from(settings: Settings, path: str) -> int:
    db = Database.from_settings(settings)
    try:
        with db.session() as session:
            return (
                session.scalar(
                    select(func.count(Article.id)).where(Article.canonical_url.contains(path))
                )
                or 0
            )
    finally:
        db.close()


class Clock:
    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def _messages(redis_client: Any, settings: Settings, task: str) -> list[list[Any]]:
    """The arguments of every message of ``task`` waiting in the queues."""
    sent = []
    for kind in QUEUE_KINDS:
        key = f"{settings.broker_queue_prefix}:{queue_name(settings, kind)}"
        for raw in redis_client.lrange(key, 0, -1):
            message = json.loads(raw)
            if message["headers"]["task"] == task:
                sent.append(json.loads(base64.b64decode(message["body"]))[0])
    return sent


def _sent_jobs(redis_client: Any, settings: Settings) -> list[tuple[str, str, str]]:
    """(job, publication, planned time) of every run_job message waiting in the queues."""
    return [(args[0], args[1], args[2]) for args in _messages(redis_client, settings, RUN_JOB)]


def test_two_beats_fire_each_job_once(
    admin: sa.Engine, tmp_path: Path, prefix: str, redis_client: Any
) -> None:
    settings = store_settings(admin, tmp_path, prefix)
    db = Database.from_settings(settings)
    app = make_celery(settings)
    start = datetime(2026, 12, 7, 6, 0, tzinfo=SHANGHAI)  # a Monday, a working day
    clock = Clock(start)

    def quiet(*_args: Any) -> None:
        return None

    beats = {
        name: Beat(
            db,
            settings,
            app,
            clock=clock,
            lease=Lease(db, holder=name, seconds=60, clock=clock),
            notify=quiet,
        )
        for name in ("beat-a", "beat-b")
    }
    try:
        assert beats["beat-a"].lease.acquire()
        beats["beat-a"].lease.mark_tick(start)
        end = start + timedelta(hours=3)
        standby_acted = []
        while clock.now < end:
            clock.now += timedelta(minutes=5)
            alive = ["beat-b"] if clock.now >= start + timedelta(minutes=90) else list(beats)
            for name in reversed(alive) if clock.now.minute % 10 else alive:
                acted = beats[name].tick()
                beats[name].wait_idle(10)
                if name == "beat-b" and "beat-a" in alive:
                    standby_acted.extend(acted)
        assert standby_acted == []  # the standby does nothing while the other holds the lease
        sent = _sent_jobs(redis_client, settings)
        # one alert pass per tick of the beat holding the lease (36 five-minute steps)
        assert len(_messages(redis_client, settings, CHECK_ALERTS)) == 36
        # what one beat ticking at the same moments would fire
        planned = [
            job
            for step in range(36)
            for job in due_between(
                start + timedelta(minutes=5 * step),
                start + timedelta(minutes=5 * step + 5),
                publications=publication_configs(settings),
                override=calendar_override(settings),
                settings=settings,
            )
        ]
        expected = sorted((job.job, job.publication or "", job.at) for job in planned)
        assert len(sent) == len(set(sent))  # nothing twice
        assert sorted((j, p, datetime.fromisoformat(a)) for j, p, a in sent) == expected
        assert len(expected) >= 7  # collections every half hour, the daily's draft and send
        with db.session() as session:
            holders = {run.holder for run in session.scalars(select(JobRun))}
            claimed = session.scalar(select(func.count(JobRun.id)))
        assert holders == {"beat-a", "beat-b"}  # the standby took over when the first died
        assert claimed == len(sent)
    finally:
        for beat in beats.values():
            beat.close()
        db.close()
        drop_postgres(admin, settings.database_url)


def test_workers_refuse_sqlite_and_a_missing_broker(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="broker_url"):
        check_scale_out(make_settings(tmp_path))
    env = {
        **os.environ,
        "JIANBAO_DATA_DIR": str(tmp_path),
        "JIANBAO_DATABASE_URL": "",
        "JIANBAO_BROKER_URL": REDIS_URL,
        "COLUMNS": "300",  # one line, unwrapped
    }
    env.pop("JIANBAO_CONFIG", None)
    with pytest.raises(ConfigError, match="PostgreSQL"):
        check_scale_out(make_settings(tmp_path, broker_url=REDIS_URL))  # as beat checks
    for command in ("worker",):
        done = subprocess.run(
            [sys.executable, "-m", "jianbao", command],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert done.returncode == 1, done.stderr
        assert done.stderr.startswith("错误：") and "PostgreSQL" in done.stderr
        assert "jianbao run" in done.stderr and "Traceback" not in done.stderr


def test_the_compose_file_runs_real_commands_with_health_checks() -> None:
    import typer
    import yaml

    from jianbao.cli import app as cli

    compose = yaml.safe_load(
        (Path(__file__).resolve().parents[2] / "deploy" / "compose.yaml").read_text()
    )
    group = typer.main.get_group(cli)
    services = compose["services"]
    assert {"postgres", "redis", "web", "fetch-worker", "worker", "beat"} <= set(services)
    for name, service in services.items():
        assert "healthcheck" in service, name
        for argv in (service.get("command", []), service["healthcheck"]["test"][1:]):
            if argv and argv[0] == "jianbao":  # each option as the CLI parses it
                group.commands[argv[1]].make_context(argv[1], list(argv[2:]))


def test_due_sources_are_sent_in_batches_of_whole_hosts() -> None:
    sources = [(f"a{n}", f"http://a.example/{n}") for n in range(3)]
    sources += [(f"b{n}", f"http://B.example:8080/{n}") for n in range(5)]
    sources += [("c0", "https://c.example/feed")]
    batches = host_batches(sources, size=4)
    assert batches == [["a0", "a1", "a2"], ["b0", "b1", "b2", "b3"], ["b4", "c0"]]
    assert sorted(name for batch in batches for name in batch) == sorted(n for n, _ in sources)
