"""Sentiment and risk are judged at collection (issues 17/18): a collected article is
stored with its tone and the fingerprint of the judge that judged it, the alert pass
fires on it from what is stored, and still judges rows stored without a tone.

Over real loopback HTTP and a real store, on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import os
import pickle
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa

from conftest import SharedRiskSeed
from jianbao import risk_file
from jianbao.alerts.job import check_alerts, judge_new
from jianbao.alerts.learn import risk_classifier
from jianbao.config import Settings
from jianbao.db.models import Alert, Article, RiskMark
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.judge.fingerprint import judge_fingerprint
from jianbao.judge.risk import Example, RiskClassifier
from jianbao.judge.risk_direct import RiskNumbers
from jianbao.judge.tone import judge_tone
from jianbao.judge.topic import parse_topic
from jianbao.pipeline import Pipeline
from jianbao.prepare import Judging
from jianbao.records import SourceSpec
from jianbao.risk_file import risk_classifier_file
from jianbao.testing import LoopbackSite, Route
from pipeline_site import article_page

TODAY = datetime.now(UTC).strftime("%Y-%m-%d %H:%M")

PAGES = {
    "/n/ransom.html": (
        "东川市人民医院信息系统遭勒索病毒攻击 全院挂号系统宕机",
        "东川晚报",
        [
            "11月20日凌晨，东川市人民医院信息系统遭勒索病毒攻击，门诊挂号、收费系统全面宕机。",
            "医院启动应急预案改为手工登记，大批患者滞留门诊大厅，部分患者信息疑似泄露。",
        ],
    ),
    # the same kind of report as a 繁體 mirror prints it
    "/n/hk.html": (
        "澜海醫院資訊系統遭勒索病毒攻擊 患者資料洩露",
        "澜海新聞",
        [
            "澜海醫院資訊系統昨日遭勒索病毒攻擊，門診系統癱瘓，大量患者資料洩露。",
            "衛生健康委已介入調查，醫院表示正在恢復系統。",
        ],
    ),
    "/n/award.html": (
        "东川省互联网医院建设成效显著 获评全国优秀案例",
        "东川日报",
        [
            "东川省互联网医院平台建设成效显著，获评全国智慧医疗优秀案例，群众满意度大幅提升。",
            "平台上线以来，累计提供在线复诊服务一百万人次，电子处方流转顺畅，广受好评。",
        ],
    ),
}


@pytest.fixture
def site() -> Iterator[LoopbackSite]:
    server = LoopbackSite()
    items = []
    for path, (title, source, paragraphs) in PAGES.items():
        server.routes[path] = Route(article_page(title, TODAY, source, paragraphs))
        items.append(f"<item><title>{title}</title><link>{server.base_url}{path}</link></item>")
    server.routes["/rss.xml"] = Route(
        (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>新闻</title>'
            + "".join(items)
            + "</channel></rss>"
        ).encode(),
        content_type="application/rss+xml; charset=utf-8",
    )
    with server as running:
        yield running


def collect(db: Database, settings: Settings, site: LoopbackSite) -> Pipeline:
    with db.session() as session:
        add_source(session, SourceSpec(name="新闻", url=site.url("/rss.xml"), kind="feed"))
    pipeline = Pipeline(settings, db)
    report = asyncio.run(pipeline.run_cycle())
    assert report.errors == [] and report.articles_new == len(PAGES)
    return pipeline


def stored(db: Database) -> dict[str, Article]:
    with db.session() as session:
        rows = session.scalars(sa.select(Article)).all()
        session.expunge_all()
        return {row.url.rsplit("/", 1)[1]: row for row in rows}


def test_a_collected_article_is_stored_with_its_tone_and_judge(
    db: Database, settings: Settings, site: LoopbackSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    # training the risk classifier costs seconds of CPU (the shipped pages, the marks): it
    # is fetched when the first article is prepared, not when a cycle starts
    fetched: list[int] = []
    real = Pipeline._with_risk

    async def counted(self: Pipeline, judging: Judging) -> Judging:
        fetched.append(1)
        return await real(self, judging)

    monkeypatch.setattr(Pipeline, "_with_risk", counted)
    pipeline = collect(db, settings, site)
    assert fetched == [1]  # once for the cycle's three articles
    rows = stored(db)
    assert pipeline.judged_with == judge_fingerprint(settings.topic, None)
    with db.session() as session:  # the store's classifier (shipped pages, marks)
        classifier = risk_classifier(session, settings.resolved_database_url)
    for name, row in rows.items():
        # what the alert pass would have judged, from the stored text
        tone = judge_tone(row.title, row.body, classifier)
        assert (row.sentiment, row.risk) == (tone.sentiment, tone.risk), name
        assert row.judged_with == pipeline.judged_with, name
        assert row.alerts_seen_at is None, name
    assert rows["ransom.html"].sentiment == "neg" and (rows["ransom.html"].risk or 0) >= 0.5
    award = rows["award.html"]
    assert award.sentiment == "pos" and award.risk is not None and award.risk < 0.2
    # the 繁體 mirror reads as the incident it reports (judged in the Simplified form)
    assert rows["hk.html"].sentiment == "neg" and (rows["hk.html"].risk or 0) >= 0.5
    again = asyncio.run(Pipeline(settings, db).run_cycle())  # nothing new: not fetched
    assert again.articles_new == 0 and fetched == [1]


def test_the_alert_pass_fires_from_what_collection_stored(
    db: Database, settings: Settings, site: LoopbackSite
) -> None:
    collect(db, settings, site)
    before = stored(db)
    now = datetime.now(UTC)
    sent: list[str] = []
    report = check_alerts(
        db, settings, now, send=lambda _channel, notice: sent.append(notice.title)
    )
    assert report.judged == len(PAGES)  # all three looked at, as recent articles
    with db.session() as session:
        titles = set(session.scalars(sa.select(Alert.title)))
    assert any(t.startswith("东川市人民医院信息系统遭勒索病毒攻击") for t in titles), titles
    assert not any("优秀案例" in t for t in titles)
    after = stored(db)
    for name, row in after.items():  # read, not judged again; and marked seen
        assert (row.sentiment, row.risk) == (before[name].sentiment, before[name].risk)
        assert row.alerts_seen_at is not None
    assert judge_new(db, settings, now) == []  # the next pass has nothing to look at


def test_the_alert_pass_judges_rows_stored_without_a_tone(db: Database, settings: Settings) -> None:
    now = datetime.now(UTC)
    title, _source, paragraphs = PAGES["/n/ransom.html"]
    with db.session() as session:  # as collection stored it before migration 0019
        session.add(
            Article(
                url="https://old.example/1",
                canonical_url="https://old.example/1",
                content_hash="a" * 64,
                title=title,
                body="\n".join(paragraphs),
                extracted_at=now,
            )
        )
    assert len(judge_new(db, settings, now)) == 1
    row = stored(db)["1"]
    with db.session() as session:
        tone = judge_tone(
            row.title, row.body, risk_classifier(session, settings.resolved_database_url)
        )
    assert (row.sentiment, row.risk) == (tone.sentiment, tone.risk) == ("neg", tone.risk)
    assert row.alerts_seen_at is not None


def test_the_risk_classifier_travels_to_the_workers_as_numbers() -> None:
    """Collection's worker processes get the store's risk classifier as its numbers
    (they never open the store, nor need scikit-learn): pickled, they judge there as the
    trained classifier does here."""
    incidents = [
        ("某医院系统遭黑客攻击瘫痪", "门诊无法挂号。"),
        ("卫健委通报患者信息泄露事件", "涉事医院被处罚。"),
        ("某地医保系统宕机半日", "群众投诉无法结算。"),
    ]
    calm = [
        ("某医院开展网络安全应急演练", "模拟勒索病毒攻击。"),
        ("互联网医院平台上线", "患者可在线复诊。"),
        ("卫健委召开信息化工作会议", "部署年度重点任务。"),
    ]
    examples = [Example(t, x, 1) for t, x in incidents] + [Example(t, x, 0) for t, x in calm]
    classifier = RiskClassifier().fit(examples)
    assert classifier.trained and classifier.numbers is not None
    judging = Judging(parse_topic("医院"), summary_chars=120, risk=classifier.numbers)
    travelled: Judging = pickle.loads(pickle.dumps(judging))
    assert b"sklearn" not in pickle.dumps(judging)
    text = ("东川医院挂号系统遭勒索病毒攻击后瘫痪", "患者信息疑似泄露。")
    assert judge_tone(*text, travelled.risk) == judge_tone(*text, classifier)


def test_the_classifier_travels_as_a_file_trained_once_per_marks(
    sqlite_settings: Settings, monkeypatch: pytest.MonkeyPatch, shared_risk_seed: SharedRiskSeed
) -> None:
    """The first process after a change trains and writes the classifier — in a child
    process, never in its own memory; the next ones find the file (no training); a new
    ⚠ mark names a new file; old ones are pruned. (Files, not the store: SQLite only;
    each mark costs a training. Without marks, the store gets a copy of the session's
    file of the shipped pages alone: tests/conftest.py.)"""
    settings = sqlite_settings
    db = Database.from_settings(settings)
    seed = shared_risk_seed.file()  # written (if not yet) before training is forbidden here

    def not_here(*_args: object) -> None:
        raise AssertionError("the collecting process trained the risk classifier")

    monkeypatch.setattr(RiskClassifier, "fit", not_here)
    folder = risk_file.models_dir(settings)
    folder.mkdir(parents=True)
    for n, name in enumerate(["risk-0000000000000000.npz", "risk-1111111111111111.pickle"]):
        (folder / name).write_bytes(b"old")  # an older key's file, an earlier version's
        os.utime(folder / name, (1_000_000 + n, 1_000_000 + n))
    with db.session() as session:
        first = risk_classifier_file(session, settings)
    assert first.name == seed.name and first.read_bytes() == seed.read_bytes()
    written = first.stat().st_mtime_ns
    with db.session() as session:
        assert risk_classifier_file(session, settings) == first
    assert first.stat().st_mtime_ns == written  # found, not trained and written again
    loaded = Judging(parse_topic("医院"), 120, risk_file=first).risk_classifier()
    assert loaded is not None and loaded.trained
    monkeypatch.undo()
    text = PAGES["/n/ransom.html"][0], "\n".join(PAGES["/n/ransom.html"][2])
    with db.session() as session:
        in_memory = risk_classifier(session, settings.resolved_database_url)
    assert judge_tone(*text, loaded) == judge_tone(*text, in_memory)
    with db.session() as session:  # a mark: a new key, a new file; the two newest kept
        session.add(
            Article(
                url="https://m.example/1",
                canonical_url="https://m.example/1",
                content_hash="1" * 64,
                title="某医院系统遭勒索病毒攻击",
                body="挂号系统瘫痪。",
            )
        )
        session.flush()
        article_id = session.scalars(sa.select(Article.id).order_by(Article.id.desc())).first()
        session.add(RiskMark(article_id=article_id, incident=True, editor="e", origin="mark"))
    with db.session() as session:
        second = risk_classifier_file(session, settings)
    db.close()
    assert second != first
    assert sorted(folder.glob("risk-*")) == sorted([first, second])
    # trained on the shipped pages and the mark
    assert risk_file.load_risk_numbers(second).trained_on == loaded.trained_on + 1


def test_without_the_classifier_the_alert_pass_judges_the_risk(
    db: Database,
    settings: Settings,
    site: LoopbackSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Where the classifier cannot be trained (here: the child runs out of time),
    collection stores the sentiment but no risk, and the alert pass judges the risk with
    the classifier: it comes later, it is not lost to the lexicon's."""
    monkeypatch.setattr(risk_file, "_seed_files", {})
    monkeypatch.setenv("XDG_CACHE_HOME", str(settings.data_dir / "empty-cache"))
    monkeypatch.setattr(risk_file, "TRAIN_TIMEOUT", 0.05)
    collect(db, settings, site)
    rows = stored(db)
    assert all(row.risk is None and row.sentiment is not None for row in rows.values())
    assert not list(risk_file.models_dir(settings).glob("risk-*"))
    assert len(judge_new(db, settings, datetime.now(UTC))) == len(PAGES)
    with db.session() as session:
        classifier = risk_classifier(session, settings.resolved_database_url)
    for name, row in stored(db).items():
        tone = judge_tone(row.title, row.body, classifier)
        assert (row.sentiment, row.risk) == (tone.sentiment, tone.risk), name
    assert (stored(db)["ransom.html"].risk or 0) >= 0.5


def test_fetching_goes_on_while_the_classifier_trains(
    db: Database,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    shared_risk_seed: SharedRiskSeed,
) -> None:
    """The training child is waited for in a thread: while it trains (here a stand-in
    that finishes only once the site has served every article page, or gives up after 3
    s), the collecting process keeps fetching — 12 pages, 2 at a time on the host, so
    most are asked for after the first page is ready to be judged; the waiting pages are
    then judged with the classifier it wrote, not left to the alert pass."""
    seed = shared_risk_seed.file()
    monkeypatch.setattr(risk_file, "_seed_files", {})  # trained (by the stand-in), not copied
    monkeypatch.setenv("XDG_CACHE_HOME", str(settings.data_dir / "empty-cache"))
    server = LoopbackSite()
    paths = [f"/m/{n}.html" for n in range(12)]
    items = []
    for n, path in enumerate(paths):
        title, source, paragraphs = PAGES[list(PAGES)[n % len(PAGES)]]
        body = [f"（第{n}号）{p}" for p in paragraphs]
        server.routes[path] = Route(article_page(f"{title}（{n}）", TODAY, source, body))
        items.append(f"<item><title>{title}</title><link>{server.base_url}{path}</link></item>")
    feed = f'<rss version="2.0"><channel><title>新闻</title>{"".join(items)}</channel></rss>'
    server.routes["/rss.xml"] = Route(feed.encode(), content_type="application/rss+xml")
    seen: list[list[int]] = []

    def slow_trainer(marks: list[list[object]], path: Path) -> None:
        deadline = time.monotonic() + 3
        while not all(server.hits[p] for p in paths) and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append([server.hits[p] for p in paths])
        shutil.copyfile(seed, path)

    monkeypatch.setattr(risk_file, "train_in_child", slow_trainer)
    with db.session() as session:
        add_source(session, SourceSpec(name="新闻", url=server.url("/rss.xml"), kind="feed"))
    with server:
        report = asyncio.run(Pipeline(settings, db).run_cycle())
    assert report.errors == [] and report.articles_new == len(paths)
    assert seen == [[1] * len(paths)], "fetching stopped while the classifier trained"
    numbers = RiskNumbers.load(seed)
    rows = stored(db)
    for name, row in rows.items():
        tone = judge_tone(row.title, row.body, numbers)
        assert row.risk is not None, name
        assert (row.sentiment, row.risk) == (tone.sentiment, tone.risk), name
    assert (rows["0.html"].risk or 0) >= 0.5
