"""Learning from the editor: training the relevance model from their decisions.

Accepted and published articles are positives, rejected ones negatives (the latest
decision on an article wins). The model is saved as a new version beside the previous
one, and the pipeline uses the current version for the articles it judges next.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from jianbao.config import Settings
from jianbao.db.models import Article
from jianbao.decisions import training_labels

if TYPE_CHECKING:
    from jianbao.judge.model import RelevanceModel


def models_dir(settings: Settings) -> Path:
    return settings.data_dir / "models"


@dataclass
class TrainingReport:
    version: int
    items: int
    positives: int
    top_features: list[tuple[str, float]]


def train_from_decisions(session: Session, settings: Settings) -> TrainingReport:
    """Train a new model version on the editor's decisions and make it current.

    Raises NotConfigured (with what to do) while there are not both accepted and
    rejected articles to learn from."""
    from jianbao.judge.model import save, train

    labels = dict(training_labels(session))
    rows = session.execute(
        select(Article.id, Article.title, Article.body).where(Article.id.in_(list(labels)))
    ).all()
    items = [(title, body) for _id, title, body in rows]
    y = [labels[article_id] for article_id, _title, _body in rows]
    model = train(items, y)
    save(model, models_dir(settings))
    return TrainingReport(
        version=int(model.meta.get("version", 0)),
        items=len(y),
        positives=sum(y),
        top_features=model.top_features(10),
    )


def current_model(settings: Settings) -> RelevanceModel | None:
    """The current model version, or None before any training."""
    folder = models_dir(settings)
    if not folder.is_dir():
        return None
    from jianbao.judge.model import current_version, load

    if current_version(folder) is None:
        return None
    return load(folder)
