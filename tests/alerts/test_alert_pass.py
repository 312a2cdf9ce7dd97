"""The alert pass on a real store (SQLite and PostgreSQL, one store per backend for the
module, as tests/alerts/test_alert_sending.py): what the review of the alerts found
(review findings 4, 5, 6).

Articles come judged as collection stores them (an incident, risk 0.97), so what is
tested is the pass, not the classifier.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

import alerts.test_alert_sending as sending
import jianbao.alerts.job as job
from alerts.test_alert_sending import add_article
from alerts.test_job import NOON, Outbox, alerts
from jianbao.alerts.job import check_alerts
from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.db.session import Database

# the sending tests' store: one per backend for the module, emptied after each test
store, db, settings = sending.store, sending.db, sending.settings


def seen(db: Database) -> list[bool]:
    with db.session() as session:
        found = session.scalars(select(Article.alerts_seen_at).order_by(Article.id))
        return [at is not None for at in found]


def test_a_pass_that_fails_while_firing_loses_no_alert(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Review finding 4: the articles were marked seen in one transaction and the rules
    fired in the next; a failure between (here a statement timeout while recording the
    alert) left them seen with no alert, for good. Now the pass is rolled back whole and
    the next one fires."""
    settings = settings.model_copy(update={"alert_channels": ["处室群"]})
    add_article(db, "某医院遭勒索病毒攻击 系统瘫痪")
    real = job.record_alert
    calls = 0

    def times_out_once(*args: object, **kwargs: object) -> object:
        nonlocal calls
        calls += 1
        if calls == 1:
            raise OperationalError("INSERT INTO alerts", {}, Exception("statement timeout"))
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(job, "record_alert", times_out_once)
    outbox = Outbox()
    with pytest.raises(OperationalError):
        check_alerts(db, settings, NOON, send=outbox)
    assert seen(db) == [False] and alerts(db) == [] and outbox.sent == []
    later = check_alerts(db, settings, NOON + timedelta(seconds=20), send=outbox)
    assert len(later.fired) == 1 and later.sent == later.fired
    assert seen(db) == [True] and len(outbox.sent) == 1


class Killed(BaseException):
    """The process dies: nothing after this runs (not even ``except Exception``)."""


def test_a_pass_killed_while_firing_leaves_the_articles_unseen(
    db: Database, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_article(db, "某市卫健委患者信息泄露")

    def killed(*args: object, **kwargs: object) -> None:
        raise Killed

    monkeypatch.setattr(job, "story_facts", killed)
    with pytest.raises(Killed):
        check_alerts(db, settings, NOON, send=Outbox())
    assert seen(db) == [False]
    monkeypatch.undo()
    assert len(check_alerts(db, settings, NOON, send=Outbox()).fired) == 1
