"""预警 page: open alerts with their level, story and reasons; an editor acknowledges or
dismisses one (who, when, note) and the article gets its risk mark; a reader cannot; the
rule editor's dry run says how often a rule would have fired; a bad rule is refused."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from jianbao.alerts.job import check_alerts
from jianbao.config import Settings
from jianbao.db.models import Alert, AlertRule, Article, RiskMark, Story
from jianbao.db.session import Database


def fire_one(db: Database, settings: Settings) -> int:
    now = datetime.now(UTC)
    with db.session() as session:
        session.add(
            Article(
                url="https://n.example/ransom",
                canonical_url="https://n.example/ransom",
                content_hash="f" * 64,
                title="某市卫健委遭勒索病毒攻击 系统瘫痪",
                body="某市卫健委遭勒索病毒攻击，多家医院系统瘫痪，患者无法挂号。",
                source_name="东川晚报",
                published_at=now,
                extracted_at=now,
            )
        )
    check_alerts(db, settings, now, send=lambda channel, notice: None)
    with db.session() as session:  # the demo's own recent articles may alert too
        return session.scalars(
            select(Alert.id).where(Alert.title.startswith("某市卫健委遭勒索病毒攻击"))
        ).one()


def test_editor_acknowledges_and_the_mark_is_recorded(
    editor: TestClient, reader: TestClient, web_db: Database, web_settings: Settings
) -> None:
    alert_id = fire_one(web_db, web_settings)
    page = editor.get("/alerts")
    assert page.status_code == 200
    assert "某市卫健委遭勒索病毒攻击" in page.text and "level-" in page.text
    assert "事件风险" in page.text
    assert reader.post(f"/alerts/{alert_id}/handle", data={"state": "dismissed"}).status_code == 403
    done = editor.post(
        f"/alerts/{alert_id}/handle",
        data={"state": "acknowledged", "note": "已通知网信办"},
        headers={"HX-Request": "true"},
    )
    assert done.status_code == 200 and f'id="alert-{alert_id}"' not in done.text
    handled = editor.get("/alerts?state=acknowledged").text
    assert "editor" in handled and "已通知网信办" in handled
    with web_db.session() as s:
        alert = s.get_one(Alert, alert_id)
        mark = s.scalars(select(RiskMark)).one()
        assert mark.incident and mark.article_id == alert.article_id and mark.editor == "editor"


def test_rule_editor_dry_run_and_save(editor: TestClient, web_db: Database) -> None:
    dry = editor.post(
        "/alerts/dry-run",
        data={"kind": "keyword", "level": "orange", "expression": "卫健委 AND 勒索"},
        headers={"HX-Request": "true"},
    )
    assert dry.status_code == 200 and "过去 30 天会触发" in dry.text
    bad = editor.post(
        "/alerts/rules",
        data={"name": "坏", "kind": "keyword", "level": "orange", "expression": "(医院 AND"},
    )
    assert bad.status_code == 400
    saved = editor.post(
        "/alerts/rules",
        data={"name": "勒索", "kind": "keyword", "level": "orange", "expression": "勒索 OR 泄露"},
        follow_redirects=False,
    )
    assert saved.status_code == 303
    with web_db.session() as s:
        rule = s.scalars(select(AlertRule)).one()
        assert (rule.name, rule.level, rule.created_by) == ("勒索", "orange", "editor")
    assert "勒索 OR 泄露" in editor.get("/alerts").text


def test_candidates_show_and_filter_sentiment(
    editor: TestClient, web_db: Database, web_settings: Settings
) -> None:
    with web_db.session() as s:
        # two stories' representatives: the list shows one row per story, headed by it
        shown_first = (
            select(Article)
            .join(Story, Story.representative_id == Article.id)
            .where(Article.relevant.is_(True))
            .order_by(Article.id)
        )
        rows = list(s.scalars(shown_first).all())
        assert len(rows) >= 2
        negative, positive = rows[0], rows[1]
        negative.sentiment, positive.sentiment = "neg", "pos"
        titles = negative.title, positive.title
    first = "/candidates?start=2000-01-01&end=2100-01-01&all=1"
    shown = editor.get(first).text
    assert "sentiment-neg" in shown and "sentiment-pos" in shown
    assert titles[0] in shown and titles[1] in shown
    only = editor.get(first + "&sentiment=neg").text
    assert titles[0] in only and titles[1] not in only


def test_the_warning_mark_on_a_candidate_is_training_data(
    editor: TestClient, reader: TestClient, web_db: Database
) -> None:
    with web_db.session() as s:
        article_id = s.scalars(select(Article.id).where(Article.relevant.is_(True))).first()
    page = editor.get("/candidates?start=2000-01-01&end=2100-01-01").text
    assert f'action="/alerts/mark/{article_id}"' in page
    assert reader.post(f"/alerts/mark/{article_id}").status_code == 403
    done = editor.post(f"/alerts/mark/{article_id}", headers={"HX-Request": "true"})
    assert done.status_code == 204
    with web_db.session() as s:
        from jianbao.alerts.learn import marked_examples

        mark = s.scalars(select(RiskMark)).one()
        assert (mark.article_id, mark.incident, mark.origin) == (article_id, True, "mark")
        assert [e.label for e in marked_examples(s)] == [1]
