"""Judging stored articles again with today's judge (``jianbao rejudge``).

An article keeps the judgement made when it was collected. When the judge changes — the
normalised Simplified form (繁體 reprints and mirror sites read like the original), a
broader lexicon, the daily's scope, sentiment and risk at collection, a retrained model
— the old articles would stay judged the old way: a 繁體 reprint collected last month
stays irrelevant, last year's policy news never reaches the daily's list. Re-judging
gives them today's relevance, score and terms, category, scope, sentiment, risk and
near-duplicate signature.

What it never touches: the editors' work. Decisions, issues and their items, summaries
(an editor may have rewritten one), stories (with the editors' splits and merges),
alerts. An article an editor picked (accepted, published, or in an issue) stays
relevant whatever the judge now says; the report counts those.

Which articles: those judged by another judge than today's (``articles.judged_with``,
:mod:`jianbao.judge.fingerprint`; none for articles stored before it was recorded), in
batches in id order, each batch committed on its own: a run that is stopped leaves
every batch before whole, and the next run takes up what is still stale. ``everything``
first marks every article (since the date) stale, so a stopped ``--all`` run is resumed
by a plain one. A dry run judges and counts, and writes nothing.

The search index is not rebuilt here (``jianbao search --rebuild`` does that).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select, true, update
from sqlalchemy.orm import Session

from jianbao.alerts.learn import risk_classifier
from jianbao.config import Settings
from jianbao.db.models import Article, Decision, IssueItem
from jianbao.db.revision import bump
from jianbao.db.session import Database
from jianbao.judge.batch import BatchJudge
from jianbao.judge.fingerprint import judge_fingerprint
from jianbao.judge.tone import judge_tones
from jianbao.judge.topic import parse_topic
from jianbao.learning import current_model_files, load_models
from jianbao.records import SHANGHAI

#: articles judged and committed together
BATCH = 500

#: called after each batch with (articles done, articles to do)
ProgressFn = Callable[[int, int], None]


@dataclass
class RejudgeReport:
    """What a run did (or, dry, would do): counts of articles."""

    judged: int = 0
    #: articles whose stored judgement changed in any way
    changed: int = 0
    became_relevant: int = 0
    became_irrelevant: int = 0
    #: picks the judge now finds irrelevant, kept relevant for the editors' sake
    kept_as_picked: int = 0
    scope_gained: int = 0
    scope_lost: int = 0
    category_changed: int = 0
    sentiment_changed: int = 0
    #: risk moved by at least RISK_STEP
    risk_changed: int = 0
    signature_changed: int = 0
    #: articles already judged by today's judge, left alone
    current: int = 0
    dry_run: bool = False
    fingerprint: str = ""

    def counts(self) -> dict[str, int]:
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name not in ("dry_run", "fingerprint")
        }


#: a risk change smaller than this is not reported as a change of risk
RISK_STEP = 0.1

#: the columns read for judging and comparing
_READ = (
    Article.id,
    Article.title,
    Article.body,
    Article.relevant,
    Article.score,
    Article.matched_terms,
    Article.model_probability,
    Article.model_features,
    Article.category,
    Article.scope,
    Article.sentiment,
    Article.risk,
    Article.signature,
)


def today_fingerprint(settings: Settings) -> str:
    """The fingerprint of the judge collection uses now."""
    return judge_fingerprint(settings.topic, current_model_files(settings))


def _since_clause(since: date | None) -> ColumnElement[bool]:
    """Articles published (or, without a date, collected) on or after ``since``."""
    if since is None:
        return true()
    start = datetime.combine(since, time.min, SHANGHAI)
    return func.coalesce(Article.published_at, Article.extracted_at) >= start


def _stale_clause(fingerprint: str) -> ColumnElement[bool]:
    return or_(Article.judged_with.is_(None), Article.judged_with != fingerprint)


def stale_articles(session: Session, settings: Settings, since: date | None = None) -> int:
    """How many articles (since the date) another judge than today's judged."""
    where = and_(_stale_clause(today_fingerprint(settings)), _since_clause(since))
    return int(session.scalar(select(func.count(Article.id)).where(where)) or 0)


def _picked(session: Session, ids: Sequence[int]) -> set[int]:
    """The articles of ``ids`` an editor picked: in an issue, or last decided accept or
    publish."""
    picked = set(session.scalars(select(IssueItem.article_id).where(IssueItem.article_id.in_(ids))))
    latest: dict[int, str] = {}
    for article_id, action in session.execute(
        select(Decision.article_id, Decision.action)
        .where(
            Decision.article_id.in_(ids),
            Decision.action.in_(("accept", "reject", "publish")),
        )
        .order_by(Decision.at, Decision.id)
    ):
        latest[article_id] = action
    picked.update(a for a, action in latest.items() if action in ("accept", "publish"))
    return picked


def rejudge(
    db: Database,
    settings: Settings,
    *,
    since: date | None = None,
    everything: bool = False,
    dry_run: bool = False,
    batch: int = BATCH,
    workers: int | None = None,
    progress: ProgressFn | None = None,
) -> RejudgeReport:
    """Judge the stale articles (``everything``: all of them) since ``since`` again with
    today's judge; see the module's docstring for what is kept."""
    models = current_model_files(settings)
    fingerprint = judge_fingerprint(settings.topic, models)
    report = RejudgeReport(dry_run=dry_run, fingerprint=fingerprint)
    since_clause = _since_clause(since)
    with db.session() as session:
        in_range = int(session.scalar(select(func.count(Article.id)).where(since_clause)) or 0)
        stale = int(
            session.scalar(
                select(func.count(Article.id)).where(since_clause, _stale_clause(fingerprint))
            )
            or 0
        )
        if everything and not dry_run and stale < in_range:
            # marked stale first: a stopped run is taken up by a plain ``rejudge``
            session.execute(
                update(Article).where(since_clause).values(judged_with=None),
                execution_options={"synchronize_session": False},
            )
    todo = in_range if everything else stale
    report.current = in_range - todo
    if todo == 0:
        return report
    where = (
        since_clause if everything and dry_run else and_(since_clause, _stale_clause(fingerprint))
    )
    model, category_model = load_models(models)
    topic = parse_topic(settings.topic)
    last = 0
    with BatchJudge(
        topic,
        model=model,
        category_model=category_model,
        summary_chars=settings.summary_length,
        workers=workers if workers is not None else (1 if todo <= batch else None),
    ) as judge:
        while True:
            with db.session() as session:
                rows = session.execute(
                    select(*_READ).where(where, Article.id > last).order_by(Article.id).limit(batch)
                ).all()
                if not rows:
                    break
                last = rows[-1].id
                classifier = risk_classifier(session, settings.resolved_database_url)
                judged = judge.judge([(row.title, row.body.split("\n")) for row in rows])
                tones = judge_tones([(row.title, row.body) for row in rows], classifier)
                picked = _picked(session, [row.id for row in rows])
                changes = [
                    _compare(row, one.judgement, one.signature, tone, row.id in picked, report)
                    for row, one, tone in zip(rows, judged, tones, strict=True)
                ]
                if not dry_run:
                    for values in changes:
                        values["judged_with"] = fingerprint
                    session.execute(update(Article), changes)
                    bump(session)
            report.judged += len(rows)
            if progress is not None:
                progress(report.judged, todo)
    return report


def _compare(
    row: Any, judgement: Any, signature: bytes, tone: Any, picked: bool, report: RejudgeReport
) -> dict[str, Any]:
    """Today's values for ``row`` (an editor's pick stays relevant), counted into
    ``report`` where they differ from the stored ones."""
    relevant = bool(judgement.relevant)
    if picked and row.relevant and not relevant:
        report.kept_as_picked += 1
        relevant = True
    values: dict[str, Any] = {
        "id": row.id,
        "relevant": relevant,
        "score": judgement.score,
        "matched_terms": list(judgement.matched_terms),
        "model_probability": judgement.model_probability,
        "model_features": list(judgement.model_features),
        "category": judgement.category,
        "scope": judgement.scope,
        "sentiment": tone.sentiment,
        "risk": tone.risk,
        "signature": signature,
    }
    changed = False
    if relevant != bool(row.relevant):
        changed = True
        if relevant:
            report.became_relevant += 1
        else:
            report.became_irrelevant += 1
    if judgement.scope != row.scope:
        changed = True
        if judgement.scope is not None and row.scope is None:
            report.scope_gained += 1
        elif judgement.scope is None:
            report.scope_lost += 1
    if judgement.category != row.category:
        changed = True
        report.category_changed += 1
    if tone.sentiment != row.sentiment:
        changed = True
        report.sentiment_changed += 1
    if row.risk is None or abs(tone.risk - row.risk) >= RISK_STEP:
        changed = True
        report.risk_changed += 1
    if signature != row.signature:
        changed = True
        report.signature_changed += 1
    if (
        judgement.score != row.score
        or list(judgement.matched_terms) != list(row.matched_terms or [])
        or judgement.model_probability != row.model_probability
    ):
        changed = True
    report.changed += int(changed)
    return values
