"""The delivery log's queries: rounds, exclusive claims, answers, pacing times — both backends."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from deliver.published import published_daily
from jianbao.config import Settings
from jianbao.db.models import Delivery, utcnow
from jianbao.db.session import Database
from jianbao.deliver import log
from jianbao.deliver.base import SendResult
from jianbao.testing import make_settings


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    """On both backends (the package's conftest gives SQLite-only settings)."""
    return make_settings(tmp_path, database_url=database_url)


PARTS = [log.PartPlan(1, 2, "第一部分"), log.PartPlan(2, 2, "第二部分")]


def open_round(db: Database, issue_id: int, **options: object) -> tuple[int, list[int]]:
    with db.session() as session:
        round_no, rows = log.open_round(
            session,
            issue_id=issue_id,
            channel="处室群",
            kind="wecom",
            purpose=str(options.pop("purpose", "issue")),
            parts=PARTS,
            **options,  # type: ignore[arg-type]
        )
        return round_no, [row.id for row in rows]


def test_a_round_is_resumed_until_sending_again_starts_a_new_one(
    db: Database, settings: Settings
) -> None:
    issue_id = published_daily(db, settings, n=1)
    first = open_round(db, issue_id)
    assert first[0] == 1 and len(first[1]) == 2
    assert open_round(db, issue_id) == first  # resumed: the same rows
    second = open_round(db, issue_id, again=True)
    assert second[0] == 2 and set(second[1]).isdisjoint(first[1])
    with db.session() as session:
        assert log.latest_round(session, issue_id, "处室群") == 2
        states = {row.state for row in session.scalars(select(Delivery))}
    assert states == {"pending"}


def test_only_one_claim_of_a_part_wins_and_a_sent_part_is_never_claimed_again(
    db: Database, settings: Settings
) -> None:
    issue_id = published_daily(db, settings, n=1)
    _, (part1, part2) = open_round(db, issue_id)
    with db.session() as session:
        assert log.claim(session, part1)
    with db.session() as session:  # a second process, or a resumed run
        assert not log.claim(session, part1)
        # the editor's explicit resend: not while the part may still be in flight
        assert not log.claim(session, part1, unconfirmed=True)
        row = session.get(Delivery, part1)
        assert row is not None and log.in_flight(row)
        row.attempted_at = utcnow() - log.IN_FLIGHT - timedelta(seconds=1)
        session.flush()
        assert not log.in_flight(row)
        assert log.claim(session, part1, unconfirmed=True)
        log.finish(session, part1, SendResult(ok=True, answer="errcode 0"))
        assert not log.claim(session, part1, unconfirmed=True)
        assert log.claim(session, part2)
        log.finish(session, part2, SendResult(ok=False, answer="x" * 1000, error="key 无效"))
        assert log.claim(session, part2)  # a failed part may be tried again
    with db.session() as session:
        one, two = session.get(Delivery, part1), session.get(Delivery, part2)
        assert one is not None and two is not None
        assert (one.state, one.attempts, one.answer) == ("sent", 2, "errcode 0")
        assert (two.state, two.attempts, two.error) == ("sending", 2, "")
        assert one.attempted_at is not None and one.finished_at is not None


def test_answers_kept_are_short(db: Database, settings: Settings) -> None:
    issue_id = published_daily(db, settings, n=1)
    _, (part1, _) = open_round(db, issue_id)
    with db.session() as session:
        log.claim(session, part1)
        log.finish(session, part1, SendResult(ok=False, answer="很长的回答" * 200, error="失败"))
        row = session.get(Delivery, part1)
        assert row is not None and len(row.answer) <= log.MAX_TEXT and row.answer.endswith("…")


def test_recent_attempts_are_the_channels_last_minute_by_any_process(
    db: Database, settings: Settings
) -> None:
    now = utcnow()
    with db.session() as session:
        # -8 h: logged while the clock ran eight hours ahead, since set back (rev1 finding 8)
        for seconds, channel in [
            (90, "处室群"),
            (30, "处室群"),
            (10, "领导群"),
            (5, "处室群"),
            (-8 * 3600, "处室群"),
        ]:
            session.add(
                Delivery(
                    channel=channel,
                    kind="wecom",
                    purpose="notice",
                    part=seconds,
                    attempted_at=now - timedelta(seconds=seconds),
                )
            )
    with db.session() as session:
        times = log.recent_attempts(session, "处室群", timedelta(minutes=1))
    assert [round((now - t).total_seconds()) for t in times] == [30, 5]


def test_channel_states_show_the_latest_round_of_each_channel(
    db: Database, settings: Settings
) -> None:
    issue_id = published_daily(db, settings, n=1)
    _, (old1, old2) = open_round(db, issue_id)
    _, (new1, new2) = open_round(db, issue_id, again=True)
    with db.session() as session:
        for row_id in (old1, old2, new1):
            log.claim(session, row_id)
            log.finish(session, row_id, SendResult(ok=True))
        log.claim(session, new2)
        log.finish(session, new2, SendResult(ok=False, error="机器人 key 无效"))
        (state,) = log.channel_states(session, issue_id)
    assert (state.channel, state.round, state.sent, state.total, state.failed) == (
        "处室群",
        2,
        1,
        2,
        1,
    )
    assert state.error == "机器人 key 无效" and not state.complete
