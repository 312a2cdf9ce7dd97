"""Numbering by construction (issue 15, item 1): one issue per period, a draft's number is
provisional until it is published, and drafts can be deleted — both backends."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa

from jianbao.config import Settings
from jianbao.db.models import Delivery, Issue
from jianbao.db.session import Database
from jianbao.editions.issue_store import (
    check_issue,
    delete_issue,
    get_issue,
    new_issue,
    open_or_new_issue,
    publish_issue,
    revise_issue,
)
from jianbao.errors import IssueError

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
