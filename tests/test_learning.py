"""The relevance and category models learn from the editor's decisions, by command and
automatically after N new ones, and the pipeline uses them."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Iterator
from datetime import date

import pytest
import sqlalchemy as sa

from jianbao.candidates import list_candidates
from jianbao.config import Settings
from jianbao.db.models import Article, Issue, IssueItem, Publication
from jianbao.db.session import Database
from jianbao.decisions import record_decision, training_labels
from jianbao.errors import NotConfigured
from jianbao.judge.category import categorize
from jianbao.judge.category_model import refine_category
from jianbao.learning import (
    attach_retrainer,
    category_training_set,
    current_category_model,
    current_model,
    load_models,
    models_dir,
    retrain,
    train_categories_from_decisions,
    train_from_decisions,
    trained_through,
)
from jianbao.pipeline import Pipeline
from jianbao.testing import LoopbackSite, Route
from pipeline_site import article_page

TAKEN = [
    "某省上线全民健康信息平台 实现检查检验结果互认",
    "互联网医院接入医保移动支付 患者线上复诊即可结算",
    "电子病历系统应用水平分级评价启动 二级医院年底完成自评",
    "医院数据治理平台建成 打通二十余个业务系统",
    "影像云平台覆盖全市 患者手机查看检查影像",
    "远程会诊中心连通乡镇卫生院 专家在线诊断",
]
DROPPED = [
    "秋冬季流感进入高发期 专家提醒及时接种疫苗",
    "市人民医院新院区开诊 设置床位一千张",
    "马拉松赛周末开跑 部分道路交通管制",
    "冬季养生要注意保暖 多喝热水少熬夜",
    "新药获批上市 用于治疗罕见病",
    "股市收盘上涨 科技板块领涨",
]


def seed_decisions(db: Database) -> None:
    with db.session() as session:
        for n, title in enumerate(TAKEN + DROPPED):
            row = Article(
                url=f"https://n.example/{n}",
                canonical_url=f"https://n.example/{n}",
                content_hash=str(n).rjust(64, "0"),
                title=title,
                body=title + "。" * 3,
            )
            session.add(row)
            session.flush()
            record_decision(session, row.id, "accept" if title in TAKEN else "reject")


def test_a_model_is_trained_versioned_and_used(db: Database, settings: Settings) -> None:
    assert current_model(settings) is None
    seed_decisions(db)
    with db.session() as session:
        first = train_from_decisions(session, settings)
        second = train_from_decisions(session, settings)
    assert (first.items, first.positives) == (12, 6)
    assert (first.version, second.version) == (1, 2)
    assert sorted(p.name for p in models_dir(settings).glob("*.joblib")) == [
        "relevance-0001.joblib",
        "relevance-0002.joblib",
    ]
    files = Pipeline(settings, db).models
    assert files is not None and (files.relevance_version, files.category) == (2, False)
    model, _category = load_models(files)
    assert model is not None
    taken = model.probability("互联网医院接入医保信息平台", "患者线上复诊，检查检验结果互认。")
    dropped = model.probability("流感进入高发期", "专家提醒接种疫苗，冬季注意保暖。")
    assert taken > dropped


def test_training_needs_both_kinds_of_decision(db: Database, settings: Settings) -> None:
    with db.session() as session:
        row = Article(
            url="https://n.example/x",
            canonical_url="https://n.example/x",
            content_hash="x" * 64,
            title="t",
            body="b",
        )
        session.add(row)
        session.flush()
        record_decision(session, row.id, "accept")
        with pytest.raises(NotConfigured, match="拒绝"):
            train_from_decisions(session, settings)


# -- automatic retraining ------------------------------------------------------------------


def store_articles(db: Database, titles: list[str]) -> list[int]:
    with db.session() as session:
        ids = []
        for title in titles:
            row = Article(
                url=f"https://n.example/{title}",
                canonical_url=f"https://n.example/{title}",
                content_hash=str(abs(hash(title))).rjust(64, "0")[:64],
                title=title,
                body=title + "。" * 3,
            )
            session.add(row)
            session.flush()
            ids.append(row.id)
        return ids


def decide_each(db: Database, ids: list[int], action: str) -> None:
    """One decision per transaction, as the CLI and the workstation record them."""
    for article_id in ids:
        with db.session() as session:
            record_decision(session, article_id, action, editor="值班编辑")


@pytest.fixture
def every5(settings: Settings) -> Iterator[tuple[Settings, Database]]:
    """A store whose models are retrained after every 5 decisions."""
    tuned = settings.model_copy(update={"retrain_after_decisions": 5})
    database = Database.from_settings(tuned)
    attach_retrainer(database, tuned)
    yield tuned, database
    database.close()


def test_models_are_retrained_after_n_new_decisions(every5) -> None:
    settings, db = every5
    assert db.retrainer is not None
    taken = store_articles(db, TAKEN[:5])
    dropped = store_articles(db, DROPPED[:5])
    decide_each(db, taken[:4], "accept")
    assert db.retrainer.wait() is None  # four decisions: nothing due
    decide_each(db, taken[4:], "accept")
    first = db.retrainer.wait()
    # due, but accepted items alone cannot train a model: skipped, the decisions kept
    assert first is not None and first.relevance is None and "relevance" in first.skipped
    assert current_model(settings) is None
    assert trained_through(settings) == first.through
    decide_each(db, dropped[:4], "reject")
    assert db.retrainer.wait() is first  # four new decisions since: not due again yet
    decide_each(db, dropped[4:], "reject")
    second = db.retrainer.wait()
    assert second is not None and second is not first
    assert second.relevance is not None
    assert (second.relevance.items, second.relevance.positives) == (10, 5)
    model = current_model(settings)
    assert model is not None and model.meta["decisions_through"] == second.through
    state = json.loads((models_dir(settings) / "retrain.json").read_text("utf-8"))
    assert state["decisions_through"] == second.through and state["relevance_version"] == 1
    with db.session() as session:
        assert len(training_labels(session)) == 10


def test_a_failing_retraining_keeps_the_decision(every5, caplog) -> None:
    settings, db = every5
    ids = store_articles(db, TAKEN[:3] + DROPPED[:3])
    # the models folder cannot be created: a file stands in its way
    models_dir(settings).parent.mkdir(parents=True, exist_ok=True)
    models_dir(settings).write_text("不是文件夹")
    with caplog.at_level(logging.ERROR, logger="jianbao.learning"):
        decide_each(db, ids[:3], "accept")
        decide_each(db, ids[3:], "reject")
        assert db.retrainer is not None
        db.retrainer.wait()
    assert "自动重新训练失败" in caplog.text
    with db.session() as session:
        assert len(training_labels(session)) == 6


def test_a_rolled_back_decision_does_not_count(every5) -> None:
    _settings, db = every5
    ids = store_articles(db, TAKEN[:5] + DROPPED[:5])
    for article_id in ids:
        with pytest.raises(RuntimeError), db.session() as session:
            record_decision(session, article_id, "accept")
            raise RuntimeError("the request failed after the decision")
    assert db.retrainer is not None and db.retrainer.wait() is None
    with db.session() as session:
        assert training_labels(session) == []


def test_the_check_is_one_query_and_zero_turns_it_off(db: Database, settings: Settings) -> None:
    attach_retrainer(db, settings)
    ids = store_articles(db, TAKEN[:3])
    statements: list[str] = []

    def seen(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(db.engine, "before_cursor_execute", seen)
    decide_each(db, ids[:1], "accept")
    sa.event.remove(db.engine, "before_cursor_execute", seen)
    checks = [s for s in statements if "count(" in s.lower() and "decisions" in s]
    assert len(checks) == 1
    # edits teach nothing: no check at all
    statements.clear()
    sa.event.listen(db.engine, "before_cursor_execute", seen)
    with db.session() as session:
        record_decision(session, ids[1], "edit", detail={"summary": ["旧", "新"]})
    sa.event.remove(db.engine, "before_cursor_execute", seen)
    assert not [s for s in statements if "count(" in s.lower()]

    off_settings = settings.model_copy(update={"retrain_after_decisions": 0})
    off = Database.from_settings(off_settings)
    attach_retrainer(off, off_settings)
    try:
        statements.clear()
        sa.event.listen(off.engine, "before_cursor_execute", seen)
        decide_each(off, ids[1:], "accept")
        assert off.retrainer is not None and off.retrainer.wait() is None
        assert not [s for s in statements if "count(" in s.lower()]
    finally:
        off.close()


# -- categories learned from the editors ------------------------------------------------------

#: this publication files a hospital's go-live under 地方实践, where the rules say 技术应用
GO_LIVES = [
    ("某医院上线智慧药房系统", "医院智慧药房系统正式上线运行，患者取药更方便。"),
    ("一家医院上线影像云平台", "影像云平台上线，患者手机查看检查影像。"),
    ("某医院上线互联网医院", "互联网医院平台上线，患者线上复诊。"),
    ("医院上线新版电子病历系统", "新版电子病历系统上线运行。"),
    ("某医院上线检查检验结果互认系统", "检查检验结果互认系统上线运行。"),
    ("某医院上线移动护理系统", "移动护理系统上线运行。"),
]
MEETINGS = [
    ("数字医疗产业峰会召开", "峰会在京召开，企业签约。"),
    ("医疗信息化论坛举行", "论坛举行，专家交流。"),
    ("健康医疗大数据大会开幕", "大会开幕，发布报告。"),
]


def teach_categories(db: Database) -> None:
    """Editors correct six go-lives to 地方实践; three meetings stand as 行业动态 in a
    published issue."""
    with db.session() as session:
        publication = Publication(key="weekly", title="周报", kind="weekly")
        issue = Issue(
            publication=publication,
            issue_date=date(2026, 11, 20),
            period_start=date(2026, 11, 14),
            period_end=date(2026, 11, 20),
            status="published",
        )
        session.add(issue)
        for n, (title, body) in enumerate(GO_LIVES + MEETINGS):
            row = Article(
                url=f"https://c.example/{n}",
                canonical_url=f"https://c.example/{n}",
                content_hash=str(n).rjust(64, "c"),
                title=title,
                body=body,
                category=categorize(title, body),
            )
            session.add(row)
            session.flush()
            if n < len(GO_LIVES):
                record_decision(
                    session, row.id, "category", detail={"category": [row.category, "地方实践"]}
                )
            else:
                session.add(
                    IssueItem(
                        issue=issue, article_id=row.id, position=n, title=title, category="行业动态"
                    )
                )


def test_categories_are_learned_from_corrections_and_published_issues(
    db: Database, settings: Settings
) -> None:
    with db.session() as session, pytest.raises(NotConfigured, match="至少需要"):
        train_categories_from_decisions(session, settings)
    assert current_category_model(settings) is None
    teach_categories(db)
    with db.session() as session:
        items, categories, corrections = category_training_set(session)
        report = retrain(session, settings)
    assert (len(items), corrections) == (9, 6)
    assert sorted(set(categories)) == ["地方实践", "行业动态"]
    assert report is not None and report.categories is not None
    assert report.categories.categories == ["地方实践", "行业动态"]
    # no accept/reject decisions yet: the relevance model waits, the category model does not
    assert "relevance" in report.skipped
    files = Pipeline(settings, db).models
    assert files is not None and (files.relevance_version, files.category) == (None, True)
    _relevance, model = load_models(files)
    assert model is not None
    title, body = "某医院上线远程心电系统", "远程心电系统上线运行。"
    assert categorize(title, body) == "技术应用"
    assert refine_category(title, body, model) == "地方实践"
    # the pipeline judges the next article with it
    paragraphs = [
        "某医院远程心电系统日前正式上线运行，基层患者在乡镇卫生院做心电图，上级医院专家远程出具报告。",
        "系统上线后，心电检查结果通过区域全民健康信息平台实时传输，患者无需往返奔波。",
    ]
    with LoopbackSite() as site:
        site.routes["/a.html"] = Route(
            article_page("某医院上线远程心电系统", "2026-11-18 09:00", "医信观察网", paragraphs)
        )
        report = asyncio.run(Pipeline(settings, db).ingest_urls([site.url("/a.html")]))
    assert report.articles_new == 1
    with db.session() as session:
        stored = session.scalar(sa.select(Article).where(Article.title == "某医院上线远程心电系统"))
        assert stored is not None and stored.category == "地方实践"


def test_the_pipeline_keeps_the_models_reasons_and_the_candidates_show_them(
    db: Database, settings: Settings
) -> None:
    seed_decisions(db)
    with db.session() as session:
        train_from_decisions(session, settings)
    paragraphs = [
        "某省全民健康信息平台日前实现全省二级以上医院接入，检查检验结果互认在全省推开。",
        "患者在不同医院就诊时，医生可通过平台调阅既往影像和检验报告，减少重复检查。",
    ]
    with LoopbackSite() as site:
        site.routes["/b.html"] = Route(
            article_page(
                "某省全民健康信息平台全面联通", "2026-11-18 09:00", "医信观察网", paragraphs
            )
        )
        report = asyncio.run(Pipeline(settings, db).ingest_urls([site.url("/b.html")]))
    assert report.articles_new == 1
    with db.session() as session:
        stored = session.scalar(sa.select(Article).where(Article.title.like("某省全民健康%")))
        assert stored is not None and stored.relevant
        assert stored.model_probability is not None and stored.model_features
        shown = list_candidates(session, date(2026, 11, 16), date(2026, 11, 20))
    assert [c.article.id for c in shown] == [stored.id]
    preference = [r for r in shown[0].reasons if r.startswith("编辑偏好")]
    assert preference and "模型依据：" + stored.model_features[0] in preference[0]
