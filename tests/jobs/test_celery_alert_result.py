"""The Celery alert task's result names the alerts left unconfirmed (未确认) and their
channels, as ``jianbao alerts check`` prints them (issue 18): a send interrupted in flight
is reported there and not sent again. The task runs in this process (``apply``) with its
real lock in Redis and a real SQLite store; the worker processes are
tests/jobs/test_celery_alerts.py's."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from deliver.fakes import FakeWeCom
from jianbao.alerts.job import check_alerts
from jianbao.channel_settings import ChannelConfig
from jianbao.db.models import Alert, Article
from jianbao.db.session import Database
from jianbao.deliver.base import Notice
from jianbao.jobs.celery_app import make_celery
from jianbao.jobs.tasks import CHECK_ALERTS
from jianbao.testing import make_settings

from .celery_workers import REDIS_URL


class Killed(BaseException):
    """The sending process dies: nothing after this runs."""


def dies(channel: str, notice: Notice) -> None:
    raise Killed


def test_the_alert_task_reports_an_unconfirmed_send(
    redis_client: Any, prefix: str, tmp_path: Path
) -> None:
    with FakeWeCom(key="duty-key-0002") as duty:
        settings = make_settings(
            tmp_path,
            broker_url=REDIS_URL,
            broker_queue_prefix=prefix,
            alert_channels=["值班群"],
            channels={"值班群": ChannelConfig(kind="wecom", url=duty.url)},
        )
        db = Database.from_settings(settings)
        now = datetime.now(UTC)
        try:
            with db.session() as session:
                session.add(
                    Article(
                        url="https://n.example/ransom",
                        canonical_url="https://n.example/ransom",
                        content_hash="f" * 64,
                        title="某市卫健委遭勒索病毒攻击 系统瘫痪",
                        body="某市卫健委遭勒索病毒攻击，多家医院系统瘫痪。",
                        source_name="东川晚报",
                        published_at=now,
                        extracted_at=now,
                        sentiment="neg",  # judged, as collection judges it
                        risk=0.97,
                    )
                )
            # a pass whose process died in the robot's request, ten minutes ago
            with pytest.raises(Killed):
                check_alerts(db, settings, now, send=dies, clock=lambda: time.time() - 600)
            with db.session() as session:
                alert_id = session.scalars(select(Alert.id)).one()
            result = make_celery(settings).tasks[CHECK_ALERTS].apply().get(timeout=60)
        finally:
            db.close()
    assert result["unconfirmed"] == {str(alert_id): ["值班群"]}
    assert result["sent"] == [] and result["failed"] == {}
    assert duty.accepted == []  # not sent again by itself


def test_each_celery_app_runs_its_tasks_on_its_own_settings(
    redis_client: Any, prefix: str, tmp_path: Path
) -> None:
    """Celery registers an ``app.task`` in every app created later in the process unless
    it is told not to, and the first registration wins: a second app would run its tasks
    on the first app's settings and store (a CI run saw the alert task open a database an
    earlier test had dropped). Each app's tasks run on the settings it was made with."""
    gone = make_settings(
        tmp_path / "gone",
        broker_url=REDIS_URL,
        broker_queue_prefix=prefix,
        database_url=f"sqlite:///{tmp_path / 'no-such-folder' / 'gone.db'}",
    )
    make_celery(gone)  # an earlier app, on a store that cannot be opened
    settings = make_settings(tmp_path / "here", broker_url=REDIS_URL, broker_queue_prefix=prefix)
    app = make_celery(settings)
    assert app.tasks[CHECK_ALERTS].apply().get(timeout=60) == {
        "judged": 0,
        "fired": [],
        "sent": [],
        "failed": {},
        "unconfirmed": {},
    }
