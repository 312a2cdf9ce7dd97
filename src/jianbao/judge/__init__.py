"""The judge stage: is an article about the topic, what kind of item is it, what does it say.

``judge_article`` is the stage's entry point for one article: the topic's keyword match
decides relevance and gives the score and the matched terms (shown to the editor as the
reason), the category comes from rules on the item's form and wording, and the summary is
extractive. Near-duplicate grouping needs every stored article and lives in
:mod:`jianbao.judge.dedup`; the pipeline calls it with the stored signatures.

The package: ``tokenize`` (rjieba + domain words), ``topic`` (keyword expressions),
``lexicon`` (the built-in 卫生健康信息化 topic, ``@卫生健康信息化``), ``model`` (learned
relevance, versioned files), ``relevance`` (keyword + model decision), ``category`` and
``category_model`` (rules, and editors' corrections learned), ``summary`` (extractive),
``llm`` (optional chat-endpoint summaries with fallback), ``dedup`` (one story per event),
``authority`` (which outlet represents a story), ``links`` (readings → policy document),
``rank`` (the candidates' order, explained), ``batch`` (the same judging over many articles
spread across worker processes), ``normalize`` (the Simplified, artefact-free form that is
judged, signed and indexed: 繁體 reprints and mirror sites read like the original).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from jianbao.judge.category import DEFAULT_CATEGORIES, categorize
from jianbao.judge.normalize import simplified
from jianbao.judge.relevance import MODEL_FEATURES, combine
from jianbao.judge.scope import scope_of
from jianbao.judge.summary import summarize
from jianbao.judge.topic import Topic, TopicMatch, parse_topic
from jianbao.records import Article, Judgement

if TYPE_CHECKING:  # the model pulls in scikit-learn: imported only by those who train
    from jianbao.judge.category_model import CategoryModel
    from jianbao.judge.model import RelevanceModel

__all__ = [
    "DEFAULT_CATEGORIES",
    "Topic",
    "TopicMatch",
    "categorize",
    "judge_article",
    "parse_topic",
    "summarize",
]


def judge_article(
    article: Article,
    topic: Topic,
    *,
    summary_chars: int = 120,
    categories: tuple[str, ...] | list[str] = DEFAULT_CATEGORIES,
    model: RelevanceModel | None = None,
    category_model: CategoryModel | None = None,
) -> Judgement:
    """Relevance, score, matched terms, category and summary of one article.

    With a trained ``model`` the decision and score combine the keyword match with the
    model's probability (:func:`jianbao.judge.relevance.combine`); without one they are
    the keyword match's. With a ``category_model`` learned from the editors, it may
    overrule the rules' category where it is confident. The text is judged in its
    normalised form (:func:`jianbao.judge.normalize.simplified`: 繁體 made Simplified,
    mirror artefacts removed); the summary quotes the original."""
    title, body = simplified(article.title), simplified(article.body)
    match = topic.match(title, body)
    # one feature matrix for the probability and, for a relevant item, its reasons
    matrix = model.matrix([(title, body)]) if model is not None else None
    probability = (
        model.probabilities_of(matrix)[0] if model is not None and matrix is not None else None
    )
    decision = combine(match, probability, title=title, body=body)
    if category_model is None:
        category = categorize(title, body, categories)
    else:
        from jianbao.judge.category_model import refine_category

        category = refine_category(title, body, category_model, categories)
    return Judgement(
        relevant=decision.relevant,
        score=decision.score,
        matched_terms=list(match.terms),
        category=category,
        summary=summarize(
            article.title, article.paragraphs, summary_chars, policy=category == "政策文件"
        ),
        model_probability=probability,
        model_features=(
            model.reasons_of(matrix, 0, MODEL_FEATURES)
            if model is not None and matrix is not None and decision.relevant
            else []
        ),
        scope=scope_of(title, body),
    )
