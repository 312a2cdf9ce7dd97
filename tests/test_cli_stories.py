"""``jianbao stories split|merge``: applied to the store and kept as corrections."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from jianbao.cli import app
from jianbao.config import Settings
from jianbao.db.models import Article, StoryCorrection
from jianbao.db.session import Database
from jianbao.errors import InputError
from jianbao.records import SHANGHAI
from jianbao.stories import assign_story


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Database:
    monkeypatch.setenv("JIANBAO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("JIANBAO_DATABASE_URL", "")
    monkeypatch.setenv("COLUMNS", "200")
    db = Database.from_settings(Settings())
    with db.session() as session:
        rows = []
        for n, (title, day) in enumerate(
            [("神舟十二号航天员名单确定", 16), ("神舟十二号三人乘组名单公布", 16)], 1
        ):
            row = Article(
                url=f"https://outlet{n}.example/a",
                canonical_url=f"https://outlet{n}.example/a",
                content_hash=f"{n:064d}",
                title=title,
                body="飞行乘组由航天员聂海胜、刘伯明和汤洪波三人组成，聂海胜担任指令长。",
                relevant=True,
                published_at=datetime(2026, 11, day, 9, tzinfo=SHANGHAI),
            )
            session.add(row)
            session.flush()
            assign_story(session, row, [r.id for r in rows])
            rows.append(row)
    return db


def test_split_and_merge_from_the_command_line(store: Database) -> None:
    with store.session() as session:
        stories = set(session.scalars(sa.select(Article.story_id)))
        assert len(stories) == 1  # one story to begin with
    split = CliRunner().invoke(app, ["stories", "split", "2"])
    assert split.exit_code == 0, split.output
    assert "文章 2 已拆为单独一条" in split.output
    with store.session() as session:
        first, second = session.get(Article, 1), session.get(Article, 2)
        assert first is not None and second is not None
        assert first.story_id != second.story_id
    merged = CliRunner().invoke(app, ["stories", "merge", "1", "2"], env={"JIANBAO_LANGUAGE": "en"})
    assert merged.exit_code == 0, merged.output
    assert "Articles 1 and 2 are now one story" in merged.output
    with store.session() as session:
        first, second = session.get(Article, 1), session.get(Article, 2)
        assert first is not None and second is not None
        assert first.story_id == second.story_id
        actions = list(session.scalars(sa.select(StoryCorrection.action)))
        assert sorted(actions) == ["merge", "split"]
    missing = CliRunner().invoke(app, ["stories", "split", "99"])
    # jianbao.cli.main turns it into one line and exit status 1
    assert isinstance(missing.exception, InputError) and "找不到文章 99" in str(missing.exception)
