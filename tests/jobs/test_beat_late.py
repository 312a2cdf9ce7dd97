"""The beat's late follow-up (review finding 3): a late issue the editor publishes within
the grace is handed to a worker on the deliver queue (``send_late``), not sent inside the
beat — with real Redis and PostgreSQL; the task itself then runs in this process, as a
worker would run it, against the loopback WeCom robot."""

from __future__ import annotations

import base64
import json
from datetime import datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy import select
from tests.conftest import drop_postgres

from deliver.fakes import FakeWeCom
from jianbao.channel_settings import ChannelConfig
from jianbao.db.models import Issue, JobRun
from jianbao.db.session import Database
from jianbao.editions.issue_store import new_issue, publish_issue
from jianbao.jobs.beat import Beat
from jianbao.jobs.celery_app import QUEUE_KINDS, make_celery, queue_name
from jianbao.jobs.lease import Lease
from jianbao.jobs.runs import RunKey, claim_run, finish_run, get_run
from jianbao.jobs.tasks import SEND_LATE
from jianbao.records import SHANGHAI
from jobs.conftest import FakeClock, shanghai
from jobs.test_runner import DAY, on_duty_and_news, publications_file

from .celery_workers import store_settings


def _queued(redis_client: Any, prefix: str, settings: Any, task: str) -> list[list[Any]]:
    found = []
    for kind in QUEUE_KINDS:
        for raw in redis_client.lrange(f"{prefix}:{queue_name(settings, kind)}", 0, -1):
            message = json.loads(raw)
            if message["headers"]["task"] == task:
                found.append(json.loads(base64.b64decode(message["body"]))[0])
    return found


def test_the_beat_hands_a_late_issue_to_a_worker(
    admin: sa.Engine, tmp_path: Path, prefix: str, redis_client: Any
) -> None:
    with FakeWeCom(key="group-key-01") as group:
        settings = store_settings(
            admin,
            tmp_path,
            prefix,
            publications_file=publications_file(tmp_path),
            channels={"处室群": ChannelConfig(kind="wecom", url=group.url)},
        )
        db = Database.from_settings(settings)
        app = make_celery(settings)
        clock = FakeClock(shanghai(2026, 11, 20, 8, 20, 5))
        beat = Beat(
            db,
            settings,
            app,
            clock=clock,
            lease=Lease(db, holder="beat-a", seconds=60, clock=clock),
            notify=lambda *_args: None,
        )
        try:
            assert beat.lease.acquire()
            beat.lease.mark_tick(shanghai(2026, 11, 20, 8, 19, 50))  # nothing else due
            # 08:00 found no issue: the run is late, the editor builds and publishes one
            planned = datetime(2026, 11, 20, 8, 0, tzinfo=SHANGHAI)
            run_id = claim_run(db, RunKey("send", "daily", planned), now=planned, holder="beat-a")
            assert run_id is not None
            detail = {"issue": None, "issue_date": DAY.isoformat(), "sent": False}
            finish_run(db, run_id, "late", now=planned, detail=detail)
            on_duty_and_news(db)
            with db.session() as session:
                issue = new_issue(session, settings, "daily", DAY)
                publish_issue(session, settings, issue, override_reason="测试")
                issue_id = issue.id
            beat.tick()
            assert group.accepted == []  # not sent inside the beat
            assert _queued(redis_client, prefix, settings, SEND_LATE) == [[run_id, issue_id]]
            run = get_run(db, run_id)
            assert run is not None and run.detail.get("late_queued_at")
            clock.advance(seconds=20)
            beat.tick()
            assert len(_queued(redis_client, prefix, settings, SEND_LATE)) == 1  # once
            # a worker runs the task: sent, and recorded on the run
            assert app.tasks[SEND_LATE](run_id, issue_id) == "late"
            assert len(group.accepted) >= 1
            with db.session() as session:
                run_row = session.scalar(select(JobRun).where(JobRun.id == run_id))
                assert run_row is not None and run_row.detail["sent"] is True
                assert session.get_one(Issue, issue_id).status == "published"
            count = len(group.accepted)
            assert app.tasks[SEND_LATE](run_id, issue_id) == "late"  # delivered again
            assert len(group.accepted) == count
        finally:
            beat.close()
            db.close()
            drop_postgres(admin, settings.database_url)
