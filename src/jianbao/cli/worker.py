"""``jianbao worker`` and ``jianbao beat``: the scale-out processes (Celery + Redis +
PostgreSQL), for when one machine running ``jianbao run`` is not enough.

A worker takes tasks from the queues it is given (``fetch``, ``cpu``, ``deliver``,
``schedule``), so the network-bound fetching and the CPU-bound judging can be sized on
machines of their own; the beat fires the schedule and holds the same lease as
``jianbao run``, so one beat ticks and the others wait as standby. Both refuse a SQLite
store or a missing broker with the reason and what to use instead.
"""

from __future__ import annotations

import signal
import socket
import threading
from types import FrameType
from typing import Annotated

import typer

from jianbao.cli.common import app, console, open_db, state, t
from jianbao.errors import ConfigError

#: seconds between two beat ticks (as ``jianbao run``)
BEAT_SECONDS = 20.0


def _queues(settings_prefix: str, names: str) -> list[str]:
    """``fetch,cpu`` → the broker's queue names; an unknown kind is a clear error."""
    from jianbao.jobs.celery_app import QUEUE_KINDS

    kinds = [name.strip() for name in names.split(",") if name.strip()]
    unknown = [kind for kind in kinds if kind not in QUEUE_KINDS]
    if unknown or not kinds:
        raise ConfigError(
            "没有这个队列",
            item="、".join(unknown) or names,
            hint="可用的队列：" + ",".join(QUEUE_KINDS),
        )
    return [f"{settings_prefix}.{kind}" for kind in kinds]


@app.command("worker")
def worker_command(
    queues: Annotated[
        str,
        typer.Option(help="处理哪些队列，逗号分隔：fetch,cpu,deliver,schedule (queues to serve)"),
    ] = "fetch,cpu,deliver,schedule",
    concurrency: Annotated[
        int,
        typer.Option(min=1, help="并行的任务数；抓取等待网络，可多于 CPU 核数 (parallel tasks)"),
    ] = 4,
    pool: Annotated[
        str, typer.Option(help="Celery 进程池：prefork、threads 或 solo (the worker pool)")
    ] = "prefork",
    name: Annotated[
        str, typer.Option(help="任务进程的名称，默认 jianbao@主机名 (node name)")
    ] = "jianbao@%h",
    check: Annotated[
        bool,
        typer.Option("--check", help="只检查该名称的任务进程是否应答，用于健康检查 (health check)"),
    ] = False,
) -> None:
    """运行 Celery 任务进程（多机扩展，需要 Redis 与 PostgreSQL）
    (run a Celery worker for scale-out)."""
    from jianbao.cli.run import configure_logging
    from jianbao.jobs.celery_app import check_scale_out, make_celery

    settings = state.get_settings()
    check_scale_out(settings)
    if check:
        node = name.replace("%h", socket.gethostname())
        answers = make_celery(settings).control.ping(destination=[node], timeout=5.0)
        if not answers:
            raise ConfigError("任务进程没有应答", item=node, hint="查看该进程的日志")
        console.print(t("worker.alive", name=node))
        return
    if pool not in ("prefork", "threads", "solo"):
        raise ConfigError("不支持的进程池", item=pool, hint="用 prefork、threads 或 solo")
    names = _queues(settings.broker_queue_prefix, queues)
    with open_db():  # the schema upgraded once here, before the processes fork
        pass
    configure_logging(settings.data_dir)
    console.print(t("worker.start", queues=",".join(names), concurrency=concurrency))
    celery = make_celery(settings)
    celery.worker_main(
        argv=[
            "worker",
            f"--queues={','.join(names)}",
            f"--concurrency={concurrency}",
            f"--pool={pool}",
            f"--hostname={name}",
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ]
    )


@app.command("beat")
def beat_command(
    interval: Annotated[
        float, typer.Option(min=0.1, help="两次调度检查之间的秒数 (seconds between ticks)")
    ] = BEAT_SECONDS,
    check: Annotated[
        bool,
        typer.Option("--check", help="只检查是否有进程持有调度租约，用于健康检查 (health check)"),
    ] = False,
) -> None:
    """按日程把任务交给 Celery 任务进程；多个 beat 只有一个负责，其余待命
    (fire the schedule to the Celery workers; standby beats take over)."""
    from jianbao.cli.run import configure_logging
    from jianbao.db.session import Database
    from jianbao.jobs.beat import Beat
    from jianbao.jobs.celery_app import check_scale_out, make_celery
    from jianbao.jobs.lease import Lease, utc_now
    from jianbao.jobs.runner import schedule_problems

    settings = state.get_settings()
    check_scale_out(settings)
    with open_db() as db:
        if check:
            current = Lease(db).current()
            if current is None or current.expires_at <= utc_now():
                raise ConfigError(
                    "没有进程持有调度租约：日程没有在运行",
                    item="scheduler_leases",
                    hint="启动 jianbao beat（或 jianbao run）",
                )
            # a holder whose ticks fail, or a schedule file that no longer reads: unhealthy
            problems = schedule_problems(db, settings, utc_now())
            if problems:
                raise ConfigError(
                    "；".join(problems), item="jianbao beat --check", hint=t("beat.problems")
                )
            console.print(t("beat.alive", holder=current.holder))
            return
    log_path = configure_logging(settings.data_dir)
    stop = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():
            raise KeyboardInterrupt
        stop.set()

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    db = Database.from_settings(settings)
    try:
        beat = Beat(db, settings, make_celery(settings), stop=stop)
        console.print(t("beat.start", holder=beat.lease.holder))
        console.print(t("run.log", path=log_path), markup=False, highlight=False)
        beat.run(interval=interval)
    finally:
        db.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    console.print(t("run.stopped"))
