"""Editor decisions are appended and turned into training labels."""

from __future__ import annotations

import pytest

from jianbao.db.models import Article
from jianbao.db.session import Database
from jianbao.decisions import latest_decisions, record_decision, training_labels
from jianbao.errors import InputError, NotFound


def article(session, n: int) -> int:
    row = Article(
        url=f"https://a.example/{n}",
        canonical_url=f"https://a.example/{n}",
        content_hash=str(n) * 64,
        title="t",
        body="b",
    )
    session.add(row)
    session.flush()
    return row.id


def test_the_latest_decision_wins(db: Database) -> None:
    with db.session() as session:
        a, b = article(session, 1), article(session, 2)
        record_decision(session, a, "accept", editor="值班编辑")
        record_decision(session, a, "reject", editor="值班编辑")
        record_decision(session, b, "publish")
        record_decision(session, b, "edit", detail={"title": "新标题"})
    with db.session() as session:
        assert latest_decisions(session, [a, b]) == {a: "reject", b: "publish"}
        assert training_labels(session) == [(a, 0), (b, 1)]


def test_bad_decisions_are_refused(db: Database) -> None:
    with db.session() as session:
        a = article(session, 1)
        with pytest.raises(InputError, match="未知的处理动作"):
            record_decision(session, a, "maybe")
        with pytest.raises(NotFound):
            record_decision(session, 999, "accept")
