"""``jianbao run``: the one process that runs the information center's day.

It serves the workstation (uvicorn, as ``jianbao serve`` does, on a thread of its own)
and runs the schedule (:class:`jianbao.jobs.runner.Runner`) on the main thread: collection
cycles, the drafts and sends of the publications, the daily backup, retraining. Several
``run`` processes may share a store: the one holding the scheduler lease schedules, the
others serve the workstation and wait as standby.

SIGTERM or SIGINT (Ctrl+C) stops it gracefully: no new job starts, a collection cycle
stops after the article in hand, the lease is given up so a standby takes over at once,
and the web server finishes its requests. A second signal stops at once. The log goes to
stdout and to ``data/logs/jianbao.log`` (rotating).
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time
from logging.handlers import RotatingFileHandler
from pathlib import Path
from types import FrameType
from typing import Annotated, Any

import typer

from jianbao.cli.common import app, console, open_db, state, t
from jianbao.config import Settings
from jianbao.errors import ConfigError

log = logging.getLogger("jianbao.jobs")

#: seconds between two scheduler ticks
TICK_SECONDS = 20.0
#: the log file rotates at this size, keeping this many old files
LOG_BYTES = 5 * 1024 * 1024
LOG_BACKUPS = 5
#: the handlers configure_logging added
_OURS: list[logging.Handler] = []


def configure_logging(data_dir: Path) -> Path:
    """Log jianbao's and uvicorn's messages to stdout and to a rotating file in
    ``data_dir/logs``; returns the file's path."""
    folder = data_dir / "logs"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "jianbao.log"
    formatter = logging.Formatter("%(asctime)s %(levelname)s %(name)s：%(message)s")
    root = logging.getLogger()
    while _OURS:  # configured again (tests): replace ours, keep anyone else's
        old = _OURS.pop()
        root.removeHandler(old)
        old.close()
    to_file = RotatingFileHandler(
        path, maxBytes=LOG_BYTES, backupCount=LOG_BACKUPS, encoding="utf-8"
    )
    to_stdout = logging.StreamHandler(sys.stdout)
    for handler in (to_file, to_stdout):
        handler.setFormatter(formatter)
        root.addHandler(handler)
        _OURS.append(handler)
    root.setLevel(logging.INFO)
    logging.getLogger("alembic").setLevel(logging.WARNING)  # "Context impl…" at each open
    return path


def _web_server(settings: Settings, host: str, port: int, secure_cookies: bool) -> Any:
    """The workstation's uvicorn server, to run on a thread (no signal handlers of its
    own there: the main thread's handler stops it)."""
    import uvicorn

    from jianbao.web.app import create_app

    config = uvicorn.Config(
        create_app(settings, secure_cookies=secure_cookies),
        host=host,
        port=port,
        proxy_headers=True,
        log_config=None,  # our handlers: stdout and the log file
    )
    return uvicorn.Server(config)


def _wait_until_serving(server: Any, thread: threading.Thread, host: str, port: int) -> None:
    """Return once the workstation listens; a port already taken (or any start-up
    failure) stops ``run`` with the reason instead of scheduling without a workstation."""
    while not server.started:
        if not thread.is_alive():
            raise ConfigError(
                "工作台无法启动：端口被占用或地址不可用（详见日志）",
                item=f"{host}:{port}",
                hint="换一个 --port，停掉占用该端口的进程，或用 --no-web 只运行日程",
            )
        time.sleep(0.05)


def run_service(
    settings: Settings, *, host: str, port: int, web: bool, secure_cookies: bool = False
) -> None:
    """Serve and schedule until SIGTERM or SIGINT."""
    from jianbao.db.session import Database
    from jianbao.jobs.runner import Runner
    from jianbao.learning import attach_retrainer

    log_path = configure_logging(settings.data_dir)
    stop = threading.Event()
    server = _web_server(settings, host, port, secure_cookies) if web else None

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if stop.is_set():  # asked twice: stop now
            raise KeyboardInterrupt
        log.info("收到信号 %s：当前任务完成后停止", signal.Signals(signum).name)
        stop.set()
        if server is not None:
            server.should_exit = True

    previous = {sig: signal.signal(sig, on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
    db = Database.from_settings(settings)
    attach_retrainer(db, settings)  # retraining as the CLI and the workstation do
    web_thread = None
    try:
        if server is not None:
            web_thread = threading.Thread(target=server.run, name="web", daemon=True)
            web_thread.start()
            _wait_until_serving(server, web_thread, host, port)
            console.print(t("run.web", url=f"http://{host}:{port}/"))
        else:
            console.print(t("run.no_web"))
        console.print(t("run.log", path=log_path), markup=False, highlight=False)
        runner = Runner(db, settings, stop=stop)
        log.info("调度进程 %s 启动", runner.lease.holder)
        runner.run(interval=TICK_SECONDS)
    finally:
        stop.set()
        if server is not None:
            server.should_exit = True
        if web_thread is not None:
            web_thread.join(timeout=30)
        db.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("已停止")


@app.command("run")
def run_command(
    host: Annotated[str, typer.Option(help="工作台监听地址")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="工作台端口")] = 8000,
    no_web: Annotated[
        bool, typer.Option("--no-web", help="只运行日程，不提供工作台 (schedule only)")
    ] = False,
    secure_cookies: Annotated[
        bool,
        typer.Option(
            "--secure-cookies", help="仅经 HTTPS 发送会话 Cookie（部署在 HTTPS 后时打开）"
        ),
    ] = False,
) -> None:
    """运行日程（采集、草稿、发送、备份）并提供工作台；多个进程共用一个存储时只有一个负责调度
    (run the schedule and serve the workstation)."""
    settings = state.get_settings()
    with open_db():  # create or upgrade the store before anything uses it
        pass
    run_service(settings, host=host, port=port, web=not no_web, secure_cookies=secure_cookies)
    console.print(t("run.stopped"))
