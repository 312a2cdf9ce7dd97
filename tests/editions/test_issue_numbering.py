"""Numbering by construction (issue 15, item 1): one issue per period, a draft's number is
provisional until it is published, and drafts can be deleted — both backends."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.models import Decision, Delivery, Issue
from jianbao.db.session import Database
from jianbao.editions.issue_store import (
    add_item,
    check_issue,
    delete_issue,
    get_issue,
    new_issue,
    open_or_new_issue,
    publish_issue,
    revise_issue,
)
from jianbao.errors import IssueConflict, IssueError

from .test_issue_store import seed


def test_a_second_draft_for_a_period_opens_the_first(db: Database, settings: Settings) -> None:
    seed(db)
    with db.session() as session:
        first, created = open_or_new_issue(session, settings, "weekly", date(2026, 11, 27))
        again, created_again = open_or_new_issue(session, settings, "weekly", date(2026, 11, 27))
        assert created and not created_again
        assert again.id == first.id
        assert new_issue(session, settings, "weekly", date(2026, 11, 27)).id == first.id
        following = new_issue(session, settings, "weekly", date(2026, 12, 4))
        assert (first.number, following.number) == (1, 2)
        assert session.scalar(sa.select(sa.func.count()).select_from(Issue)) == 2


def test_deleting_a_draft_gives_its_number_back(db: Database, settings: Settings) -> None:
    seed(db)
    with db.session() as session:
        published = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        publish_issue(session, settings, published)
        stray = new_issue(session, settings, "weekly", date(2026, 11, 27), fill=0)
        later = new_issue(session, settings, "weekly", date(2026, 12, 4), fill=0)
        assert (stray.number, later.number) == (548, 549)
        delete_issue(session, stray)
        assert later.number == 548
        assert session.get(Issue, stray.id) is None
        with pytest.raises(IssueError, match="已发布的一期不能删除"):
            delete_issue(session, published)


def test_a_draft_published_out_of_turn_takes_the_next_number(
    db: Database, settings: Settings
) -> None:
    seed(db)
    with db.session() as session:
        waiting = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        later = new_issue(session, settings, "weekly", date(2026, 11, 27), fill=0)
        later_id, waiting_id = later.id, waiting.id
        for item in list(waiting.items):
            later.items.append(
                type(item)(
                    article_id=item.article_id,
                    position=item.position,
                    title=item.title,
                    summary=item.summary,
                    source_name=item.source_name,
                )
            )
        session.flush()
        publish_issue(session, settings, later, override_reason="测试：先发后一期")
    with db.session() as session:
        assert get_issue(session, later_id).number == 547
        assert get_issue(session, waiting_id).number == 548


def test_an_explicit_number_only_starts_the_numbering(db: Database, settings: Settings) -> None:
    seed(db)
    with db.session() as session:
        new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
    with pytest.raises(IssueError, match="应是第548期"), db.session() as session:
        new_issue(session, settings, "weekly", date(2026, 11, 27), number=600)


def test_a_deleted_previewed_draft_keeps_its_delivery_records(
    db: Database, settings: Settings
) -> None:
    seed(db)
    with db.session() as session:
        draft = new_issue(session, settings, "weekly", date(2026, 11, 20), fill=0)
        session.add(
            Delivery(issue_id=draft.id, channel="我的频道", kind="wecom", purpose="preview")
        )
        session.flush()
        delete_issue(session, draft)
    with db.session() as session:
        kept = session.scalars(sa.select(Delivery)).one()
        assert kept.issue_id is None and "已删除的草稿" in kept.summary


def test_a_correction_keeps_its_number_beside_new_drafts(db: Database, settings: Settings) -> None:
    seed(db)
    with db.session() as session:
        issue = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        publish_issue(session, settings, issue)
        following = new_issue(session, settings, "weekly", date(2026, 11, 27), fill=0)
        correction = revise_issue(session, issue)
        assert (correction.number, following.number) == (547, 548)
        # asking for the corrected week again opens the correction
        assert new_issue(session, settings, "weekly", date(2026, 11, 20)).id == correction.id


def test_the_checker_says_when_an_earlier_draft_is_waiting(
    db: Database, settings: Settings
) -> None:
    seed(db)
    with db.session() as session:
        new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        later = new_issue(session, settings, "weekly", date(2026, 11, 27), fill=0)
        findings = [f for f in check_issue(session, later) if f.rule == "number"]
        assert [f.severity for f in findings] == ["warning"]
        assert "第547期草稿（2026-11-20）尚未发布" in findings[0].message


def second_waits_on_first(
    db: Database,
    first: Callable[[Session], object],
    load: Callable[[Session], Any],
    second: Callable[[Session, Any], object],
) -> object:
    """Two editors at once, in a fixed order: the second reads what it works on
    (``load``, in a thread with its own session), then the first acts and holds its
    transaction open until the second has begun to write; then the first commits.
    Returns the second's outcome (its result or its error)."""
    loaded, go, writing = threading.Event(), threading.Event(), threading.Event()
    outcome: list[object] = []

    def writes(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if threading.current_thread() is worker and statement.lstrip()[:6] in ("UPDATE", "INSERT"):
            writing.set()

    def run() -> None:
        try:
            with db.session() as session:
                target = load(session)
                loaded.set()
                go.wait(30)
                outcome.append(second(session, target))
        except Exception as exc:  # the outcome is what the test checks
            outcome.append(exc)

    worker = threading.Thread(target=run)
    sa.event.listen(db.engine, "before_cursor_execute", writes)
    try:
        worker.start()
        assert loaded.wait(30)
        with db.session() as session:
            first(session)
            go.set()
            assert writing.wait(30)
            time.sleep(0.3)  # the second is now waiting for the first's commit
        worker.join(60)
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", writes)
    assert len(outcome) == 1
    return outcome[0]


def two_drafts(db: Database, settings: Settings) -> tuple[int, int]:
    """A weekly draft 第547期 (2026-11-20) and the next, 548 (2026-11-27), same items."""
    seed(db)
    with db.session() as session:
        waiting = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        later = new_issue(session, settings, "weekly", date(2026, 11, 27), fill=0)
        for item in waiting.items:
            add_item(session, later, item.article_id)
        return waiting.id, later.id


def test_a_draft_whose_number_another_publish_took_meanwhile_is_not_published(
    db: Database, settings: Settings
) -> None:
    """fixC item 1: two editors publish two drafts of the weekly at once. The one of
    11-27 (548) goes out first, out of turn, as 第547期, and the draft of 11-20 is
    renumbered 548 — while its editor, who confirmed 第547期, is already publishing it.
    It went out as 548, a number nobody confirmed. Now it is refused, naming the issue
    that took 547 and the number the draft has now, with nothing written for it."""
    waiting_id, later_id = two_drafts(db, settings)

    def publish(session: Session, issue: Issue) -> object:
        return publish_issue(
            session, settings, issue, override_reason="测试", as_number=issue.number
        )

    def load(session: Session) -> Issue:
        issue = get_issue(session, waiting_id)
        assert issue.number == 547
        return issue

    outcome = second_waits_on_first(db, lambda s: publish(s, get_issue(s, later_id)), load, publish)
    assert isinstance(outcome, IssueConflict), outcome
    assert "第547期" in outcome.message and "现为第548期" in outcome.message
    assert "No. 547 was just taken" in outcome.message and f"#{later_id}" in outcome.message
    assert "reload" in str(outcome) and "刷新页面" in str(outcome)
    with db.session() as session:
        rows = session.execute(sa.select(Issue.id, Issue.number, Issue.status)).all()
        assert sorted(rows) == [(waiting_id, 548, "draft"), (later_id, 547, "published")]
        published = sa.select(sa.func.count(Decision.id)).where(Decision.action == "publish")
        assert session.scalar(published) == 3  # the published issue's three, no more
    folder = settings.data_dir / "archive" / "weekly"
    assert sorted(p.name for p in folder.iterdir() if p.is_dir()) == ["2026-11-27-547-r1"]

    # the other order: a draft whose number is still free goes out as confirmed
    with db.session() as session:
        following = new_issue(session, settings, "weekly", date(2026, 12, 4), fill=0)
        add_item(session, following, get_issue(session, waiting_id).items[0].article_id)
        following_id = following.id
    outcome = second_waits_on_first(
        db,
        lambda s: publish(s, get_issue(s, waiting_id)),
        lambda s: get_issue(s, following_id),
        publish,
    )
    assert isinstance(outcome, list), outcome
    with db.session() as session:
        numbers = [get_issue(session, i).number for i in (waiting_id, following_id)]
        assert numbers == [548, 549]


def test_two_corrections_asked_at_once_make_one_draft(db: Database, settings: Settings) -> None:
    """fixC item 2: two editors (two tabs, a retried request) ask for a correction of one
    published issue at once: each made a draft, for a daily two 第 2 版 drafts of one
    day, for a weekly a 500 from the unique key. The published row is held while the
    correction is made, so the second is given the draft the first made."""
    ids = seed(db)
    with db.session() as session:
        daily = new_issue(session, settings, "daily", date(2026, 11, 19), fill=0)
        add_item(session, daily, ids[0])
        weekly = new_issue(session, settings, "weekly", date(2026, 11, 20), number=547)
        for issue in (daily, weekly):
            publish_issue(session, settings, issue, override_reason="测试")
        published = [daily.id, weekly.id]
    for issue_id in published:
        made: list[int] = []
        outcome = second_waits_on_first(
            db,
            lambda s, i=issue_id, m=made: m.append(revise_issue(s, get_issue(s, i)).id),
            lambda s, i=issue_id: get_issue(s, i),
            lambda s, issue: revise_issue(s, issue).id,
        )
        assert outcome == made[0], outcome
    with db.session() as session:
        drafts = session.execute(
            sa.select(Issue.number, Issue.issue_date, Issue.revision).where(Issue.status == "draft")
        ).all()
        assert sorted(drafts, key=str) == sorted(
            [(None, date(2026, 11, 19), 2), (547, date(2026, 11, 20), 2)], key=str
        )
        # asked again later, the same draft is opened, not a third revision
        again = revise_issue(session, get_issue(session, published[0]))
        assert (again.revision, again.status) == (2, "draft")
