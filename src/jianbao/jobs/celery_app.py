"""The Celery application of a scale-out deployment, built from the Settings.

``jianbao run`` stays the default and needs neither Redis nor Celery. When one machine is
not enough, the same job functions run as Celery tasks (:mod:`jianbao.jobs.tasks`) on
worker processes on several machines, with Redis as the broker and PostgreSQL as the one
store they share, and one beat (:mod:`jianbao.jobs.beat`) firing the schedule.

The app is built by :func:`make_celery` for one Settings object (never a module global):
the worker, the beat and anyone sending a task build their own. Its configuration is
what makes a crash safe:

- ``acks_late`` with ``reject_on_worker_lost``: a task is acknowledged only when it has
  finished, so a worker killed mid-task (SIGKILL, a machine gone) leaves the message to be
  delivered again; every task is idempotent, so running it twice stores nothing twice;
- the broker's visibility timeout (``broker_visibility_timeout``) is longer than the
  longest task: Redis hands an unacknowledged message to another worker only after it;
- a prefetch of one: a worker holds no queue of messages another could be running.

Queues are named by the kind of work, so each can be sized on its own machines:
``fetch`` waits on the network (many processes per core), ``cpu`` judges and retrains
(one per core), ``deliver`` is rate-limited as the robot platforms require, ``schedule``
holds the small bookkeeping tasks the beat sends.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import make_url

from jianbao.config import Settings
from jianbao.errors import ConfigError

#: the kinds of work, each a queue of its own
QUEUE_KINDS = ("fetch", "cpu", "deliver", "schedule")


def queue_name(settings: Settings, kind: str) -> str:
    """The broker's name of the queue for ``kind`` (``jianbao.fetch``)."""
    if kind not in QUEUE_KINDS:
        raise ConfigError(
            "没有这个队列",
            item=kind,
            hint="可用的队列：" + "、".join(QUEUE_KINDS),
        )
    return f"{settings.broker_queue_prefix}.{kind}"


def check_scale_out(settings: Settings) -> None:
    """Refuse a configuration workers cannot share: no broker, or a SQLite store (one
    writer on one machine: the embedded ``jianbao run`` is what fits it)."""
    if not settings.broker_url:
        raise ConfigError(
            "未配置消息队列（broker_url），无法启动 Celery 任务进程",
            item="broker_url",
            hint="设置 JIANBAO_BROKER_URL=redis://主机:6379/0；单机部署请用 jianbao run",
        )
    backend = make_url(settings.resolved_database_url).get_backend_name()
    if backend != "postgresql":
        raise ConfigError(
            "多进程扩展需要 PostgreSQL 作为共享存储；SQLite 只允许一个写入者，"
            "多台机器也无法共用同一个文件",
            item="database_url",
            hint="设置 JIANBAO_DATABASE_URL=postgresql+pg8000://用户@主机/库名；"
            "单机部署请用 jianbao run（无需 Redis 和 Celery）",
        )


def make_celery(settings: Settings) -> Any:
    """The Celery app for ``settings``, with jianbao's tasks registered on it.

    ``app.jianbao_settings`` carries the settings to the tasks (each worker process opens
    its own connection to the store on first use)."""
    from celery import Celery

    from jianbao.jobs.tasks import register

    app = Celery("jianbao", broker=settings.broker_url, backend=settings.broker_url)
    # every key this deployment writes in Redis carries its prefix: several deployments
    # (and test runs) can share one Redis database without seeing each other's messages
    transport = {
        "visibility_timeout": settings.broker_visibility_timeout,
        "global_keyprefix": f"{settings.broker_queue_prefix}:",
        # how often a worker looks for messages a lost worker left unacknowledged
        "unacked_restore_interval": max(1.0, min(60.0, settings.broker_visibility_timeout / 10)),
    }
    app.conf.update(
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        broker_transport_options=transport,
        result_backend_transport_options=transport,
        broker_connection_retry_on_startup=True,
        task_default_queue=queue_name(settings, "schedule"),
        task_serializer="json",
        result_serializer="json",
        accept_content=["json"],
        result_expires=24 * 3600,
        worker_hijack_root_logger=False,
        worker_send_task_events=False,
        timezone="UTC",
    )
    app.jianbao_settings = settings
    register(app, settings)
    return app
