"""Learned categories: the editor's corrections, learned on top of the rules.

The rules in :mod:`jianbao.judge.category` recognise a policy document by its form and the
other categories by cue words; every publication draws the lines between 行业动态 and
地方实践 a little differently. When editors change an item's category, those decisions
train a multinomial logistic regression over the same words and character n-grams as the
relevance model; :func:`refine_category` lets it overrule the rules only where it is
confident, and never turns a document recognised by its 发文字号 into something else.

Saved as ``category.joblib`` in the models folder, the previous one kept as
``category.previous.joblib``. Pickles: load only files this installation wrote.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import joblib
import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from jianbao.errors import NotConfigured
from jianbao.judge.category import DEFAULT_CATEGORIES, categorize, is_policy_document
from jianbao.judge.model import CharGrams, Doc, _chars, _identity, _words
from jianbao.judge.model_files import CATEGORY_FILE, CATEGORY_PREVIOUS

FILE = CATEGORY_FILE
PREVIOUS = CATEGORY_PREVIOUS
#: the model's probability needed to overrule the rules
CONFIDENCE = 0.6


@dataclass
class CategoryModel:
    words: TfidfVectorizer
    chars: CharGrams
    classifier: LogisticRegression
    meta: dict[str, Any] = field(default_factory=dict)

    def predict(self, title: str, body: str) -> tuple[str, float]:
        """The most likely category and its probability."""
        doc = (title, body)
        features = sparse.hstack(
            [self.words.transform([_words(doc)]), self.chars.transform([_chars(doc)])],
            format="csr",
        )
        probabilities = self.classifier.predict_proba(features)[0]
        best = int(np.argmax(probabilities))
        return str(self.classifier.classes_[best]), float(probabilities[best])


def train_categories(items: Sequence[Doc], categories: Sequence[str]) -> CategoryModel:
    """Train on (title, body) items and the categories editors gave them."""
    if len(items) != len(categories):
        raise ValueError("条目数与类别数不一致")
    if len(set(categories)) < 2:
        raise NotConfigured(
            "无法训练类别模型：至少需要两个类别的条目",
            hint="在候选列表中为一些条目改定类别后再训练",
        )
    words = TfidfVectorizer(analyzer=_identity, sublinear_tf=True, dtype=np.float32)
    chars = CharGrams()
    features = sparse.hstack(
        [
            words.fit_transform([_words(d) for d in items]),
            chars.fit_transform([_chars(d) for d in items]),
        ],
        format="csr",
    )
    classifier = LogisticRegression(C=4.0, class_weight="balanced", max_iter=2000)
    classifier.fit(features, list(categories))
    meta = {
        "trained_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "items": len(items),
        "categories": sorted(set(categories)),
    }
    return CategoryModel(words, chars, classifier, meta)


def refine_category(
    title: str,
    body: str,
    model: CategoryModel | None,
    categories: tuple[str, ...] | list[str] = DEFAULT_CATEGORIES,
    *,
    confidence: float = CONFIDENCE,
) -> str:
    """The rules' category, unless the learned model is confident of another one from the
    publication's list (a policy document recognised by its form stays one)."""
    ruled = categorize(title, body, categories)
    if model is None or (ruled == "政策文件" and is_policy_document(title, body)):
        return ruled
    learned, probability = model.predict(title, body)
    if learned in categories and probability >= confidence:
        return learned
    return ruled


def save_category_model(model: CategoryModel, folder: Path) -> Path:
    """Write the model, keeping the one it replaces as the previous version."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / FILE
    partial = folder / (FILE + ".partial")
    joblib.dump({"kind": "category", "model": model}, partial, compress=3)
    if path.exists():
        path.replace(folder / PREVIOUS)
    partial.replace(path)
    return path


def load_category_model(folder: Path, *, previous: bool = False) -> CategoryModel:
    path = folder / (PREVIOUS if previous else FILE)
    if not path.is_file():
        raise NotConfigured(
            "还没有训练过类别模型",
            item=str(path),
            hint="编辑改定一些条目的类别后再训练类别模型",
        )
    data = joblib.load(path)
    if not isinstance(data, dict) or data.get("kind") != "category":
        raise NotConfigured("类别模型文件的格式无法识别", item=str(path), hint="重新训练")
    model: CategoryModel = data["model"]
    return model
