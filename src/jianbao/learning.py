"""Learning from the editor: training the relevance and category models from their decisions.

Accepted and published articles are positives, rejected ones negatives (the latest
decision on an article wins). The model is saved as a new version beside the previous
one, and the pipeline uses the current version for the articles it judges next.

Categories are learned from the editors' corrections (``category`` decisions) against the
background of the categories they let stand in published issues: corrections alone are
all cases the rules got wrong, and a model that saw nothing else would overrule the
rules everywhere.

Both are retrained by ``jianbao model train`` and, every ``retrain_after_decisions`` new
decisions, automatically (:class:`AutoRetrainer`). ``retrain.json`` in the models folder
records up to which decision the models were last trained; it is separate from the
relevance model's own pointer so that a rollback is not undone by the next decision.
"""

from __future__ import annotations

import fcntl
import json
import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from jianbao.config import Settings
from jianbao.db.models import Article, Decision, Issue, IssueItem
from jianbao.decisions import LEARNED, NEW_DECISIONS, category_labels, training_labels
from jianbao.errors import NotConfigured
from jianbao.judge.model_files import ModelFiles

if TYPE_CHECKING:
    from jianbao.db.session import Database
    from jianbao.judge.category_model import CategoryModel
    from jianbao.judge.model import RelevanceModel

log = logging.getLogger("jianbao.learning")

#: editors' category corrections needed before a category model is worth training
MIN_CATEGORY_CORRECTIONS = 5
_STATE = "retrain.json"
_LOCK = ".training.lock"


def models_dir(settings: Settings) -> Path:
    return settings.data_dir / "models"


@dataclass
class TrainingReport:
    version: int
    items: int
    positives: int
    top_features: list[tuple[str, float]]


@dataclass
class CategoryReport:
    items: int
    corrections: int
    categories: list[str]


@dataclass
class RetrainReport:
    """What one retraining did: the models trained, and why the others were not."""

    #: the newest decision the models have seen
    through: int
    relevance: TrainingReport | None = None
    categories: CategoryReport | None = None
    #: model ("relevance", "category") → why it was not trained
    skipped: dict[str, NotConfigured] = field(default_factory=dict)


def _newest_decision(session: Session) -> int:
    return int(session.scalar(select(func.max(Decision.id))) or 0)


def train_from_decisions(
    session: Session, settings: Settings, *, through: int | None = None
) -> TrainingReport:
    """Train a new model version on the editor's decisions and make it current.

    Raises NotConfigured (with what to do) while there are not both accepted and
    rejected articles to learn from."""
    from jianbao.judge.model import save, train

    if through is None:
        through = _newest_decision(session)
    labels = dict(training_labels(session))
    rows = session.execute(
        select(Article.id, Article.title, Article.body).where(Article.id.in_(list(labels)))
    ).all()
    items = [(title, body) for _id, title, body in rows]
    y = [labels[article_id] for article_id, _title, _body in rows]
    model = train(items, y)
    # which decisions this version has seen (shown in relevance.json beside its version)
    model.meta["decisions_through"] = through
    save(model, models_dir(settings))
    return TrainingReport(
        version=int(model.meta.get("version", 0)),
        items=len(y),
        positives=sum(y),
        top_features=model.top_features(10),
    )


def category_training_set(session: Session) -> tuple[list[tuple[str, str]], list[str], int]:
    """(title, body) items, their categories, and how many of them are corrections.

    Raises NotConfigured while editors have corrected fewer than
    ``MIN_CATEGORY_CORRECTIONS`` articles: before that the model would only learn the
    rules back."""
    corrected = category_labels(session)
    # a back issue's grouping was set by its editors, not by the rules: it counts as
    # theirs (issue 16); the published-issue labels below include those items anyway
    chosen = len(corrected.keys() | imported_categories(session).keys())
    if chosen < MIN_CATEGORY_CORRECTIONS:
        raise NotConfigured(
            f"类别模型暂不训练：编辑改定类别的条目 {chosen} 条，"
            f"至少需要 {MIN_CATEGORY_CORRECTIONS} 条",
            hint="在简报草稿中修改条目的类别（jianbao issue edit … --category）",
        )
    labels: dict[int, str] = {}
    published = session.execute(
        select(IssueItem.article_id, IssueItem.category)
        .join(Issue, Issue.id == IssueItem.issue_id)
        .where(Issue.status == "published", IssueItem.category.is_not(None))
        .order_by(Issue.published_at, Issue.id)
    )
    for article_id, category in published:
        if category:
            labels[article_id] = category
    labels.update(corrected)
    rows = session.execute(
        select(Article.id, Article.title, Article.body).where(Article.id.in_(list(labels)))
    ).all()
    items = [(title, body) for _id, title, body in rows]
    categories = [labels[article_id] for article_id, _title, _body in rows]
    return items, categories, sum(1 for article_id, *_ in rows if article_id in corrected)


def imported_categories(session: Session) -> dict[int, str]:
    """Article id → the category an imported back issue printed it under."""
    rows = session.execute(
        select(IssueItem.article_id, IssueItem.category)
        .join(Issue, Issue.id == IssueItem.issue_id)
        .where(Issue.imported.is_(True), IssueItem.category.is_not(None))
    )
    return {article_id: category for article_id, category in rows if category}


def train_categories_from_decisions(
    session: Session, settings: Settings, *, through: int | None = None
) -> CategoryReport:
    """Train the category model on the editors' categories and make it current (the
    previous one kept). Raises NotConfigured while there is not enough to learn from."""
    from jianbao.judge.category_model import save_category_model, train_categories

    items, categories, corrections = category_training_set(session)
    model = train_categories(items, categories)
    model.meta["decisions_through"] = _newest_decision(session) if through is None else through
    model.meta["corrections"] = corrections
    save_category_model(model, models_dir(settings))
    return CategoryReport(len(items), corrections, sorted(set(categories)))


def current_model_files(settings: Settings) -> ModelFiles | None:
    """Which models are current, without loading them (None before any training)."""
    return ModelFiles.current(models_dir(settings))


def load_models(files: ModelFiles | None) -> tuple[RelevanceModel | None, CategoryModel | None]:
    """The relevance and category models ``files`` names (scikit-learn is imported only
    when there is a model to load)."""
    if files is None:
        return None, None
    model = category = None
    if files.relevance_version is not None:
        from jianbao.judge.model import load

        model = load(files.folder, files.relevance_version)
    if files.category:
        from jianbao.judge.category_model import load_category_model

        category = load_category_model(files.folder)
    return model, category


def current_model(settings: Settings) -> RelevanceModel | None:
    """The current model version, or None before any training."""
    files = current_model_files(settings)
    return load_models(replace(files, category=False))[0] if files else None


def current_category_model(settings: Settings) -> CategoryModel | None:
    """The learned category model, or None before editors taught one."""
    files = current_model_files(settings)
    return load_models(replace(files, relevance_version=None))[1] if files else None


# -- retraining both models --------------------------------------------------------------


def trained_through(settings: Settings) -> int:
    """The newest decision the last retraining saw (0 before any)."""
    try:
        state = json.loads((models_dir(settings) / _STATE).read_text("utf-8"))
        return int(state["decisions_through"])
    except (OSError, ValueError, KeyError, TypeError):
        return 0


def _write_state(settings: Settings, report: RetrainReport, *, automatic: bool) -> None:
    folder = models_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    state: dict[str, Any] = {
        "decisions_through": report.through,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "automatic": automatic,
        "relevance_version": report.relevance.version if report.relevance else None,
        "category_items": report.categories.items if report.categories else None,
        "skipped": {model: exc.message for model, exc in report.skipped.items()},
    }
    partial = folder / (_STATE + ".partial")
    partial.write_text(json.dumps(state, ensure_ascii=False, indent=1), "utf-8")
    partial.replace(folder / _STATE)


@contextmanager
def _training_lock(settings: Settings, *, wait: bool) -> Iterator[bool]:
    """One training at a time per data folder, across processes (the workstation and a
    ``jianbao model train`` would otherwise number their versions alike). Yields whether
    the lock is held; without ``wait`` a busy lock yields False at once."""
    folder = models_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / _LOCK, "a+b") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def retrain(
    session: Session, settings: Settings, *, automatic: bool = False
) -> RetrainReport | None:
    """Train the relevance model and, when editors corrected enough categories, the
    category model; record how far the decisions go. A model that cannot be trained yet
    (one kind of decision only, too few corrections) is skipped with the reason.

    Automatic retraining does not wait for a training already running elsewhere: it
    returns None, and the next decision tries again."""
    with _training_lock(settings, wait=not automatic) as held:
        if not held:
            return None
        report = RetrainReport(through=_newest_decision(session))
        try:
            try:
                report.relevance = train_from_decisions(session, settings, through=report.through)
            except NotConfigured as exc:
                report.skipped["relevance"] = exc
            try:
                report.categories = train_categories_from_decisions(
                    session, settings, through=report.through
                )
            except NotConfigured as exc:
                report.skipped["category"] = exc
        finally:
            # recorded even when training failed: the next attempt waits for another
            # round of decisions instead of failing again on every click
            _write_state(settings, report, automatic=automatic)
        return report


class AutoRetrainer:
    """Retrains the models after every ``settings.retrain_after_decisions`` decisions.

    Watches a store's sessions (:func:`attach_retrainer` attaches one where the CLI and
    the web open the store): after a commit
    that recorded decisions a model learns from, one count over the decisions' primary
    key says whether enough arrived since the last training. Training then runs on a
    thread of its own, so the editor's click returns at once; its failures are logged and
    never reach the decision, which is committed before any of this starts. The thread
    is not a daemon: a command that recorded the decision waits for the training to end
    before it exits.
    """

    def __init__(self, settings: Settings, sessions: sessionmaker[Session]):
        self.settings = settings
        self.sessions = sessions
        #: what the last automatic retraining did (None before one ran)
        self.last: RetrainReport | None = None
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None
        event.listen(sessions, "after_commit", self._after_commit)
        event.listen(sessions, "after_rollback", self._after_rollback)

    def _after_commit(self, session: Session) -> None:
        if session.info.pop(NEW_DECISIONS, 0):
            self.decided()

    @staticmethod
    def _after_rollback(session: Session) -> None:
        session.info.pop(NEW_DECISIONS, None)

    def due(self) -> bool:
        """Whether enough decisions arrived since the last training (one indexed count)."""
        every = self.settings.retrain_after_decisions
        if every <= 0:
            return False
        with self.sessions() as session:
            new = session.scalar(
                select(func.count(Decision.id)).where(
                    Decision.id > trained_through(self.settings), Decision.action.in_(LEARNED)
                )
            )
        return int(new or 0) >= every

    def decided(self) -> None:
        """Decisions were committed: start a retraining when one is due."""
        if self.settings.retrain_after_decisions <= 0:
            return
        try:
            with self._lock:
                if self._thread is not None and self._thread.is_alive():
                    return  # it will be checked again at the next decision
                if not self.due():
                    return
                self._thread = threading.Thread(
                    target=self._run, name="jianbao-retrain", daemon=False
                )
                self._thread.start()
        except Exception:
            log.exception("自动重新训练的检查失败（编辑的处理已保存）")

    def _run(self) -> None:
        try:
            with self.sessions() as session:
                report = retrain(session, self.settings, automatic=True)
        except Exception:
            log.exception("自动重新训练失败（编辑的处理已保存，模型保持原版本）")
            return
        if report is None:
            return
        self.last = report
        for model, reason in report.skipped.items():
            log.info("自动重新训练：%s 模型未训练：%s", model, reason.message)
        if report.relevance is not None:
            log.info(
                "自动重新训练：相关性模型第 %d 版（%d 条）",
                report.relevance.version,
                report.relevance.items,
            )
        if report.categories is not None:
            log.info("自动重新训练：类别模型（%d 条）", report.categories.items)

    def wait(self, timeout: float | None = None) -> RetrainReport | None:
        """Wait for a running retraining; returns what the last one did."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return self.last


def attach_retrainer(database: Database, settings: Settings) -> AutoRetrainer:
    """Retrain the models after enough decisions recorded through ``database`` (once per
    store; closing the store waits for a retraining under way)."""
    if isinstance(database.retrainer, AutoRetrainer):
        return database.retrainer
    retrainer = AutoRetrainer(settings, database.sessions)
    database.retrainer = retrainer
    return retrainer
