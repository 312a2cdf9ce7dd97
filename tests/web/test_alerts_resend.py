"""预警 page, 重发 (issue 18): an alert whose send to a channel was interrupted in flight
shows that channel as unconfirmed (未确认) and, to an editor, a resend that asks for the
editor's confirmation first; it goes to that channel only (the other robot, which took
the alert, gets nothing), not while the send may still be under way (its last attempt
less than five minutes old), and with the CSRF token as every POST. Both languages.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from alerts.test_alert_sending import AnswersLate
from deliver.fakes import FakeWeCom
from jianbao.alerts.job import check_alerts
from jianbao.channel_settings import ChannelConfig
from jianbao.config import Settings
from jianbao.db.models import Alert, Article, Delivery
from jianbao.db.session import Database
from jianbao.deliver.base import Notice
from jianbao.web.app import create_app

TITLE = "某市卫健委遭勒索病毒攻击 系统瘫痪"


class Killed(BaseException):
    """The sending process dies: nothing after this runs."""


@pytest.fixture
def robots() -> Iterator[tuple[FakeWeCom, FakeWeCom]]:
    with FakeWeCom(key="office-key-0001") as office, FakeWeCom(key="duty-key-0002") as duty:
        yield office, duty


@pytest.fixture
def app(web_settings: Settings, web_db: Database, robots: tuple[FakeWeCom, FakeWeCom]) -> Any:
    """The workstation with two alert channels, each a loopback robot."""
    office, duty = robots
    settings = web_settings.model_copy(
        update={
            "alert_channels": ["处室群", "值班群"],
            "channels": {
                "处室群": ChannelConfig(kind="wecom", url=office.url),
                "值班群": ChannelConfig(kind="wecom", url=duty.url),
            },
        }
    )
    return create_app(settings, database=web_db, secret_key="test-secret")


def fire_and_die_in_flight(db: Database, settings: Settings) -> int:
    """An alert sent to 处室群, then the process dies while sending it to 值班群."""
    now = datetime.now(UTC)
    quiet = settings.model_copy(update={"alert_channels": []})
    check_alerts(db, quiet, now)  # the demo's own articles judged (and alerted, unsent)
    with db.session() as session:
        session.add(
            Article(
                url="https://n.example/ransom",
                canonical_url="https://n.example/ransom",
                content_hash="f" * 64,
                title=TITLE,
                body="某市卫健委遭勒索病毒攻击，多家医院系统瘫痪，患者无法挂号。",
                source_name="东川晚报",
                published_at=now,
                extracted_at=now,
                # judged as collection judges it (tests/alerts cover the judging)
                sentiment="neg",
                risk=0.97,
            )
        )

    def dies_on_the_duty_group(channel: str, notice: Notice) -> None:
        if channel == "值班群" and TITLE in notice.title:
            raise Killed

    with pytest.raises(Killed):
        check_alerts(db, settings, now, send=dies_on_the_duty_group)
    with db.session() as session:
        return session.scalars(select(Alert.id).where(Alert.title.startswith(TITLE))).one()


def time_passes(db: Database, alert_id: int, minutes: int) -> None:
    """The interrupted send's last attempt ``minutes`` further in the past."""
    with db.session() as session:
        for row in session.scalars(select(Delivery).where(Delivery.alert_id == alert_id)):
            assert row.attempted_at is not None
            row.attempted_at -= timedelta(minutes=minutes)


def test_an_editor_resends_to_the_unconfirmed_channel_only(
    app: Any,
    editor: TestClient,
    reader: TestClient,
    web_db: Database,
    robots: tuple[FakeWeCom, FakeWeCom],
) -> None:
    office, duty = robots
    alert_id = fire_and_die_in_flight(web_db, app.state.settings)
    row = f'id="alert-{alert_id}"'
    form = f'action="/alerts/{alert_id}/resend"'
    confirmed = {"confirm": "yes"}

    # just now: the send may still be under way — shown, no resend offered or done
    page = editor.get("/alerts").text
    assert row in page and "正在发送到：值班群" in page and form not in page
    early = editor.post(f"/alerts/{alert_id}/resend", data=confirmed)
    assert early.status_code == 200 and "可能仍在进行，未重发" in early.text
    assert office.accepted == [] and duty.accepted == []

    # ten minutes on nobody is sending it: unconfirmed, with the resend for an editor
    time_passes(web_db, alert_id, 10)
    page = editor.get("/alerts").text
    assert "未确认送达：值班群" in page and form in page
    assert "jianbao alerts resend" not in page  # the CLI hint of the stored note is not shown
    assert 'hx-confirm="确认「值班群」群里没有收到这条预警' in page
    seen_by_reader = reader.get("/alerts").text
    assert "未确认送达：值班群" in seen_by_reader and form not in seen_by_reader
    editor.post("/language", data={"lang": "en"})
    english = editor.get("/alerts").text
    editor.post("/language", data={"lang": "zh"})

    # refused: a reader, a POST without the CSRF token, a resend not confirmed
    assert reader.post(f"/alerts/{alert_id}/resend", data=confirmed).status_code == 403
    token = editor.headers.pop("X-CSRF-Token")
    assert editor.post(f"/alerts/{alert_id}/resend", data=confirmed).status_code == 403
    editor.headers["X-CSRF-Token"] = token
    assert editor.post(f"/alerts/{alert_id}/resend").status_code == 400
    assert office.accepted == [] and duty.accepted == []

    done = editor.post(f"/alerts/{alert_id}/resend", data=confirmed, headers={"HX-Request": "true"})
    assert done.status_code == 200 and "已送达全部预警频道" in done.text
    assert done.text.lstrip().startswith('<section id="alerts-list">')  # the list only
    assert office.accepted == [] and len(duty.accepted) == 1
    assert TITLE in str(duty.accepted[0])
    assert "未确认送达" not in done.text and form not in done.text
    with web_db.session() as session:
        alert = session.get_one(Alert, alert_id)
        assert alert.delivered_at is not None and alert.delivery_error == ""

    # asked again (an old page): every channel has it, nothing is sent
    again = editor.post(f"/alerts/{alert_id}/resend", data=confirmed)
    assert "已送达全部预警频道" in again.text
    assert office.accepted == [] and len(duty.accepted) == 1
    assert "Unconfirmed on 值班群" in english and "I have checked: 值班群" in english


def test_a_resend_the_robot_answers_too_late_is_told_unconfirmed(
    app: Any, editor: TestClient, web_db: Database, robots: tuple[FakeWeCom, FakeWeCom]
) -> None:
    """The resend reaches the duty robot, which posts it and answers after the channel's
    timeout: the editor is told it is still unconfirmed (look at the group again), not
    that it may still be under way, and the row stays offered for a resend."""
    office, _duty = robots
    alert_id = fire_and_die_in_flight(web_db, app.state.settings)
    time_passes(web_db, alert_id, 10)
    with AnswersLate(late=1.2, key="duty-key-0002") as late:
        channels = dict(app.state.settings.channels)
        channels["值班群"] = ChannelConfig(kind="wecom", url=late.url, timeout=0.5)
        app.state.settings = app.state.settings.model_copy(update={"channels": channels})
        done = editor.post(f"/alerts/{alert_id}/resend", data={"confirm": "yes"})
        assert done.status_code == 200
        assert "已重发，但 值班群 仍未确认收到" in done.text and "可能仍在进行" not in done.text
        assert (
            "未确认送达：值班群" in done.text and f'action="/alerts/{alert_id}/resend"' in done.text
        )
        assert len(late.accepted) == 1 and office.accepted == []
