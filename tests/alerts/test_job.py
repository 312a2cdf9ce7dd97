"""The alert job on a real store (SQLite and PostgreSQL): one alert per story and level,
a story that grows alerts again, quiet hours, acknowledgement teaching the classifier,
and the one-minute path through ``jianbao run``'s runner to a loopback fake robot."""

from __future__ import annotations

import json
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select

from deliver.fake_server import FakeClock
from deliver.fakes import FakeWeCom
from jianbao.alerts.job import check_alerts
from jianbao.alerts.learn import marked_examples
from jianbao.alerts.store import handle_alert
from jianbao.channel_settings import ChannelConfig
from jianbao.config import Settings
from jianbao.db.models import Alert, Article, RiskMark, Story
from jianbao.db.session import Database
from jianbao.deliver.base import Notice
from jianbao.jobs.lease import Lease
from jianbao.jobs.runner import Runner
from jianbao.records import SHANGHAI
from jianbao.testing import make_settings

NOON = datetime(2026, 12, 1, 12, 0, tzinfo=SHANGHAI)


def add_article(
    db: Database,
    title: str,
    *,
    outlet: str = "东川晚报",
    url: str = "",
    story: int | None = None,
    at: datetime = NOON,
    body: str = "",
) -> int:
    with db.session() as session:
        n = session.scalar(select(func.count(Article.id))) or 0
        address = url or f"https://news{n}.example/a{n}.html"
        article = Article(
            url=address,
            canonical_url=address,
            content_hash=f"{n:064d}",
            title=title,
            body=body or title,
            source_name=outlet,
            published_at=at,
            extracted_at=at,
            story_id=story,
        )
        session.add(article)
        session.flush()
        return article.id


def new_story(db: Database) -> int:
    with db.session() as session:
        story = Story(size=1)
        session.add(story)
        session.flush()
        return story.id


class Outbox:
    def __init__(self) -> None:
        self.sent: list[tuple[str, Notice]] = []

    def __call__(self, channel: str, notice: Notice) -> None:
        self.sent.append((channel, notice))


def alert_settings(settings: Settings, **values: object) -> Settings:
    return settings.model_copy(update={"alert_channels": ["处室群"], **values})


def alerts(db: Database) -> list[Alert]:
    with db.session() as session:
        found = list(session.scalars(select(Alert).order_by(Alert.id)))
        session.expunge_all()
        return found


def test_one_alert_per_story_and_level_and_again_when_it_grows(
    db: Database, settings: Settings
) -> None:
    settings = alert_settings(settings, alert_watch=["东川省人民医院"])
    story = new_story(db)
    add_article(db, "东川省人民医院患者信息泄露", story=story)
    outbox = Outbox()
    first = check_alerts(db, settings, NOON, send=outbox)
    assert len(first.fired) == 1 and len(outbox.sent) == 1
    channel, notice = outbox.sent[0]
    assert channel == "处室群" and notice.title.startswith("【黄色预警】东川省人民医院患者信息泄露")
    assert "东川晚报" in notice.text and "事件风险" in notice.text and "/alerts" in notice.url
    # another local outlet carries it: the same level, no second alert
    add_article(db, "东川省人民医院患者信息泄露 医院回应", story=story, outlet="东川日报")
    assert check_alerts(db, settings, NOON + timedelta(minutes=1), send=outbox).fired == []
    # central media report it: watch holds beside risk, 黄 grows to 橙 and alerts again
    add_article(
        db,
        "东川省人民医院发生患者信息泄露",
        story=story,
        outlet="新华社",
        url="https://www.news.cn/a.html",
    )
    grown = check_alerts(db, settings, NOON + timedelta(minutes=2), send=outbox)
    assert len(grown.fired) == 1 and [a.level for a in alerts(db)] == ["yellow", "orange"]
    assert len(outbox.sent) == 2 and "新华社" in outbox.sent[1][1].text


def test_an_exercise_raises_no_alert(db: Database, settings: Settings) -> None:
    add_article(db, "市卫健委开展勒索病毒攻击应急演练", body="演练检验医院信息系统应急处置能力。")
    outbox = Outbox()
    assert check_alerts(db, alert_settings(settings), NOON, send=outbox).fired == []
    assert outbox.sent == []
    with db.session() as session:
        article = session.scalars(select(Article)).one()
        assert article.sentiment in ("neg", "neu", "pos") and article.risk is not None


def test_quiet_hours_hold_a_yellow_alert_until_morning(db: Database, settings: Settings) -> None:
    settings = alert_settings(settings, alert_quiet_hours="22:00-07:00")
    night = datetime(2026, 12, 1, 23, 30, tzinfo=SHANGHAI)
    add_article(db, "某医院信息系统瘫痪 患者无法挂号", at=night)
    outbox = Outbox()
    report = check_alerts(db, settings, night, send=outbox)
    assert len(report.fired) == 1 and outbox.sent == []
    check_alerts(db, settings, night + timedelta(hours=3), send=outbox)
    assert outbox.sent == []
    morning = datetime(2026, 12, 2, 7, 0, 20, tzinfo=SHANGHAI)
    assert check_alerts(db, settings, morning, send=outbox).sent == report.fired
    assert len(outbox.sent) == 1


def test_a_refused_alert_is_tried_again(db: Database, settings: Settings) -> None:
    add_article(db, "某医院遭勒索病毒攻击 系统瘫痪")
    calls: list[str] = []

    def refuse(channel: str, notice: Notice) -> None:
        calls.append(channel)
        if len(calls) == 1:
            raise RuntimeError("errcode 45009")

    clock = FakeClock(NOON.timestamp())
    first = check_alerts(db, alert_settings(settings), NOON, send=refuse, clock=clock)
    assert first.failed and "45009" in alerts(db)[0].delivery_error
    # the next tick leaves it alone: a refused alert waits a minute, then longer
    clock.advance(20)
    tick = check_alerts(
        db, alert_settings(settings), NOON + timedelta(seconds=20), send=refuse, clock=clock
    )
    assert tick.sent == [] and tick.waiting == {first.fired[0]: ["处室群"]} and len(calls) == 1
    clock.advance(40)
    second = check_alerts(
        db, alert_settings(settings), NOON + timedelta(minutes=1), send=refuse, clock=clock
    )
    assert second.sent == first.fired and alerts(db)[0].delivery_error == ""


def test_acknowledging_and_dismissing_teach_the_classifier(
    db: Database, settings: Settings
) -> None:
    for i in range(2):
        add_article(db, f"某医院第{i}次信息系统宕机")
    check_alerts(db, alert_settings(settings), NOON, send=Outbox())
    first, second = alerts(db)
    with db.session() as session:
        handle_alert(session, first.id, "acknowledged", by="张三", note="已联系医院", now=NOON)
        handle_alert(session, second.id, "dismissed", by="李四", note="旧闻", now=NOON)
    [ack, dismissed] = alerts(db)
    assert (ack.state, ack.handled_by, ack.note) == ("acknowledged", "张三", "已联系医院")
    assert ack.handled_at is not None and dismissed.state == "dismissed"
    with db.session() as session:
        marks = {m.article_id: m.incident for m in session.scalars(select(RiskMark))}
        assert marks == {ack.article_id: True, dismissed.article_id: False}
        assert sorted(e.label for e in marked_examples(session)) == [0, 1]


def test_an_article_stored_is_alerted_on_the_robot_within_a_minute(tmp_path: Path) -> None:
    with FakeWeCom(key="alert-key-0001") as robot:
        settings = make_settings(
            tmp_path,
            alert_channels=["预警群"],
            channels={"预警群": ChannelConfig(kind="wecom", url=robot.url)},
        )
        db = Database.from_settings(settings)
        lease = Lease(db, holder="runner-a", seconds=60)
        runner = Runner(db, settings, lease=lease, notify=lambda *a: None)
        loop = threading.Thread(target=runner.run, kwargs={"interval": 0.5}, daemon=True)
        loop.start()
        try:
            time.sleep(1.0)  # the runner is ticking
            stored = time.monotonic()
            # the bare headline, as a feed that carries only headlines stores it: the
            # classifier learns headlines of attacks and outages alone (risk.headline_views)
            add_article(db, "某市卫健委遭勒索病毒攻击 系统瘫痪", at=datetime.now(UTC))
            while not robot.accepted and time.monotonic() - stored < 60:
                time.sleep(0.1)
            took = time.monotonic() - stored
        finally:
            runner.stop.set()
            loop.join(timeout=30)
            db.close()
        assert robot.accepted, "no alert reached the robot within a minute"
        assert took < 60
        text = json.dumps(robot.accepted[0], ensure_ascii=False)
        assert "预警" in text and "勒索病毒" in text


def test_a_term_far_above_its_baseline_spikes(db: Database, settings: Settings) -> None:
    # three different stories name 勒索病毒 in a day; the four weeks before named it once
    add_article(db, "勒索病毒旧闻回顾", at=NOON - timedelta(days=10))
    for city in ("东川", "西川", "南川"):
        add_article(db, f"{city}市一医院遭勒索病毒攻击", at=NOON - timedelta(hours=2))
    report = check_alerts(db, alert_settings(settings), NOON, send=Outbox())
    assert report.fired
    spiking = [a for a in alerts(db) if any("前四周日均" in r for r in a.reasons)]
    assert spiking and all(a.level == "orange" for a in spiking)  # risk and spike: 橙


def test_one_story_everywhere_is_no_term_spike(db: Database, settings: Settings) -> None:
    story = new_story(db)
    for outlet in ("东川晚报", "东川日报", "东川电视台"):
        add_article(db, "东川市一医院遭勒索病毒攻击", outlet=outlet, story=story)
    check_alerts(db, alert_settings(settings), NOON, send=Outbox())
    [alert] = alerts(db)
    assert not any("前四周日均" in r for r in alert.reasons)


def test_a_viral_story_spikes_once_and_only_in_the_health_sector(
    db: Database, settings: Settings
) -> None:
    """Issue 18: five outlets within hours (``alert_spike_outlets``'s default) carry a
    drunk man's death and a hospital's new wing. Only the hospital's story alerts, once, at
    蓝 for its spread; a sixth outlet later raises no second alert of the same level."""
    settings = alert_settings(settings)
    outlets = ("东川晚报", "东川日报", "东川电视台", "西川都市报", "南川新闻网")
    drunk, clinic = new_story(db), new_story(db)
    for hour, outlet in enumerate(outlets):
        at = NOON - timedelta(hours=hour)
        add_article(db, "夫妻闹矛盾男子醉酒下河酿惨剧", outlet=outlet, story=drunk, at=at)
        add_article(db, "东川市人民医院新院区正式启用", outlet=outlet, story=clinic, at=at)
    outbox = Outbox()
    assert len(check_alerts(db, settings, NOON, send=outbox).fired) == 1
    [alert] = alerts(db)
    assert alert.level == "blue" and alert.title == "东川市人民医院新院区正式启用"
    assert any("5 家媒体报道" in r for r in alert.reasons) and len(outbox.sent) == 1
    later = NOON + timedelta(minutes=30)
    add_article(db, "东川市人民医院新院区开诊首日", outlet="北川日报", story=clinic, at=later)
    assert check_alerts(db, settings, later, send=outbox).fired == []
    assert len(alerts(db)) == 1 and len(outbox.sent) == 1
