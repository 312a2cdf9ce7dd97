"""Stories by hand in the workstation: why items were merged is shown, and the editor's
split and merge are applied and kept as the event stage's training data."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select

from jianbao.db.models import Article, Story, StoryCorrection, StoryLink
from jianbao.db.session import Database

PERIOD = "/candidates?start=2000-01-01&end=2100-01-01&all=1"


def _shared_story(db: Database) -> tuple[int, int, int]:
    """(story, representative, another member) of a story the demo carries twice."""
    with db.session() as s:
        story = s.scalars(select(Story).where(Story.size > 1).order_by(Story.id)).first()
        assert story is not None, "the demo site carries a story from several outlets"
        other = s.scalar(
            select(Article.id).where(
                Article.story_id == story.id, Article.id != story.representative_id
            )
        )
        assert story.representative_id is not None and other is not None
        return story.id, story.representative_id, other


def test_the_candidates_list_says_why_outlets_were_merged(
    editor: TestClient, web_db: Database
) -> None:
    _story, representative, other = _shared_story(web_db)
    with web_db.session() as s:
        s.add(
            StoryLink(
                article_id=other,
                matched_id=representative,
                score=0.71,
                reasons=[["document", "互联网诊疗监管细则（试行）"], ["title", "0.82"]],
            )
        )
    page = editor.get(PERIOD).text
    assert "合并原因：" in page
    assert "同一文件《互联网诊疗监管细则（试行）》" in page and "标题相近 0.82" in page
    editor.post("/language", data={"lang": "en"})
    english = editor.get(PERIOD).text
    assert "Merged because:" in english and "similar headlines 0.82" in english


def test_an_editor_splits_an_outlet_off_and_merges_it_back(
    editor: TestClient, reader: TestClient, web_db: Database
) -> None:
    story_id, representative, other = _shared_story(web_db)
    page = editor.get(PERIOD).text
    assert f'action="/stories/split/{other}"' in page
    assert f'action="/stories/merge/{representative}"' in page
    assert reader.post(f"/stories/split/{other}").status_code == 403
    done = editor.post(f"/stories/split/{other}", follow_redirects=False)
    assert done.status_code == 303
    with web_db.session() as s:
        moved = s.get(Article, other)
        assert moved is not None and moved.story_id != story_id
        correction = s.scalars(select(StoryCorrection)).one()
        assert (correction.action, correction.article_id) == ("split", other)
        assert correction.editor == "editor"
    back = editor.post(
        f"/stories/merge/{representative}", data={"other": str(other)}, follow_redirects=False
    )
    assert back.status_code == 303
    with web_db.session() as s:
        moved = s.get(Article, other)
        assert moved is not None and moved.story_id == story_id
        story = s.get(Story, story_id)
        members = s.scalar(
            select(func.count()).select_from(Article).where(Article.story_id == story_id)
        )
        assert story is not None and story.size == members
        actions = list(s.scalars(select(StoryCorrection.action).order_by(StoryCorrection.id)))
        assert actions == ["split", "merge"]
    assert editor.post("/stories/merge/999999", data={"other": "1"}).status_code == 404
