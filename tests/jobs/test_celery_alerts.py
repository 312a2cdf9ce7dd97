"""Alerts in a scale-out deployment (issues 18 and 19): the beat hands the alert pass of
each tick to a worker, as ``jianbao run`` runs it itself, and an article stored reaches
the loopback fake robot within the minute — with a real ``jianbao worker`` process on the
deliver queue, real Redis and PostgreSQL."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy import select
from tests.conftest import drop_postgres

from deliver.fakes import FakeWeCom
from jianbao.channel_settings import ChannelConfig
from jianbao.db.models import Alert, Article
from jianbao.db.session import Database
from jianbao.jobs.beat import Beat
from jianbao.jobs.celery_app import make_celery
from jianbao.jobs.lease import Lease
from jianbao.jobs.tasks import TaskLock
from jianbao.testing import make_settings

from .celery_workers import REDIS_URL, Worker, store_settings

pytestmark = pytest.mark.slow


def _store_article(db: Database, title: str, body: str = "") -> None:
    now = datetime.now(UTC)
    with db.session() as session:
        session.add(
            Article(
                url="https://news.example/a1.html",
                canonical_url="https://news.example/a1.html",
                content_hash="1" * 64,
                title=title,
                body=body or title,
                source_name="东川晚报",
                published_at=now,
                extracted_at=now,
            )
        )


def test_the_beat_sends_the_alert_pass_and_a_worker_delivers_the_alert(
    admin: sa.Engine, tmp_path: Path, prefix: str, workers: list[Worker]
) -> None:
    with FakeWeCom(key="alert-key-0001") as robot:
        settings = store_settings(
            admin,
            tmp_path,
            prefix,
            alert_channels=["预警群"],
            channels={"预警群": ChannelConfig(kind="wecom", url=robot.url)},
        )
        db = Database.from_settings(settings)
        env = {
            "JIANBAO_ALERT_CHANNELS": json.dumps(["预警群"]),
            "JIANBAO_CHANNELS": json.dumps({"预警群": {"kind": "wecom", "url": robot.url}}),
        }
        # the deliver queue only: the alert pass needs no other
        workers.append(
            Worker(settings, "alerts", tmp_path / "alerts.log", 1, queues="deliver", extra_env=env)
        )

        def quiet(*_args: Any) -> None:
            return None

        beat = Beat(
            db,
            settings,
            make_celery(settings),
            lease=Lease(db, holder="beat-a", seconds=60),
            notify=quiet,
        )
        loop = threading.Thread(target=beat.run, kwargs={"interval": 0.5}, daemon=True)
        loop.start()
        try:
            # the bare headline as its own body (a feed of headlines): the classifier learns
            # headlines of attacks and outages alone (risk.headline_views)
            _store_article(db, "某市卫健委遭勒索病毒攻击 系统瘫痪")
            stored = time.monotonic()
            while not robot.accepted and time.monotonic() - stored < 60:
                time.sleep(0.2)
            took = time.monotonic() - stored
            time.sleep(2.0)  # more ticks: the alert is not sent again
        finally:
            beat.stop.set()
            loop.join(timeout=30)
        try:
            log = workers[0].log.read_text(errors="replace")
            assert robot.accepted, "no alert reached the robot within a minute\n" + log[-3000:]
            assert took < 60
            text = json.dumps(robot.accepted[0], ensure_ascii=False)
            assert "预警" in text and "勒索病毒" in text
            assert len(robot.accepted) == 1  # one alert per story and level
            assert "jianbao.check_alerts" in log  # the worker ran the pass, not the beat
            with db.session() as session:
                alert = session.scalars(select(Alert)).one()
                assert alert.delivered_at is not None
                assert session.scalars(select(Article.sentiment)).one() is not None
        finally:
            db.close()
            drop_postgres(admin, settings.database_url)


def test_the_alert_pass_lock_is_kept_while_held_and_freed_soon_after_a_death(
    redis_client: Any, prefix: str, tmp_path: Path
) -> None:
    settings = make_settings(tmp_path, broker_url=REDIS_URL, broker_queue_prefix=prefix)
    holder = TaskLock(settings, "alerts", "task-1", ttl=1)
    other = TaskLock(settings, "alerts", "task-2", ttl=1)
    assert holder.acquire()
    with holder.kept():  # a pass longer than the lock's time to live
        time.sleep(2.5)
        assert not other.acquire()
    # the holder dies without releasing: the lock is free again within its time to live
    deadline = time.monotonic() + 5
    while not other.acquire():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert not TaskLock(settings, "alerts", "task-3").acquire()
    other.release()
    holder.client.close()
