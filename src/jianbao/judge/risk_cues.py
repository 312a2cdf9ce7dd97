"""How a text speaks about an incident: a new report, or a retelling of past ones.

The risk lexicon's categories find the harms a text names; its ``[cues.*]`` groups
(``risk_lexicon.toml``) find how the text is told. A page that *looks back* at or
*explains* incidents — a judgment document or a lawyer's case page, a legal Q&A ("医生泄露
病人隐私该怎样处罚"), an anniversary, a roundup, a warning-education meeting, a study —
names the same harms as a report of a new one and was the main false alarm on real pages
(issue 18's fourth round). Such a text is *retold* when its retelling cues outnumber its
report cues (a date, an hour, a reporter, "已被", "介入", "致歉" …): a report that recalls an
earlier case still carries the cues of the new one.

:func:`jianbao.judge.risk.judge_risk` damps the lexicon's score of a retold text by
:data:`RETOLD`, and :func:`jianbao.judge.risk.evidence_row` gives the learned model the
flag as a feature and weighs the lexicon's dense evidence by :data:`DENSE_WEIGHT` beside
the TF-IDF n-grams (whose rows are normalised to length 1, so an unweighted dense column
spoke too softly). Both chosen on the development pages only, by cross-validation.
"""

from __future__ import annotations

from collections.abc import Mapping

#: factor of the lexicon's score for a retold text (as an event abroad counts half)
RETOLD = 0.5
#: weight of the lexicon's dense evidence beside the n-grams in the learned model
DENSE_WEIGHT = 5.0


def retold(cues: Mapping[str, int]) -> bool:
    """Whether a text's retelling cues outnumber its cues of a new report."""
    return cues.get("retelling", 0) > cues.get("event", 0)
