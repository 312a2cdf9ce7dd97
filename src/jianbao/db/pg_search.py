"""The newest articles whose index tokens hold a query, on PostgreSQL, quick for common
and rare words alike.

Search wants the newest matches first (``ORDER BY article_id DESC LIMIT n``), and
PostgreSQL has two ways to answer, each ruinous in the other's case:

- read the newest rows through the primary key and test each row's tokens: quick for a
  common word (医院, a third of the store, is found in the first few hundred rows) but it
  reads the whole table for a rare one (曹操, 375 articles in 1,000,000: 12 s);
- ask the GIN index for every match and keep the newest: quick for a rare word, but a
  visit to every matching row for a common one (44,000 rows for 互联网医院: 0.7 s).

The planner picks between them from its estimate of how many rows match, and for search
tokens that estimate is often far off: a word outside its most-common list is taken for
0.5% of the store, and the sub-words of one word (互联 联网 互联网 医院) for independent,
multiplying to 345 rows when 44,000 match. So this module asks the data instead: it tests
the newest :data:`RECENT_ROWS` rows; enough matches there answer at once, a few let it
extrapolate how many more newest rows hold enough (read those, at most
:data:`MOST_RECENT_ROWS`), and too few mean a rare query, for the index (issue 19).
Costs at 1,000,000 articles are in the README's web benchmark.
"""

from __future__ import annotations

import math

from sqlalchemy import text
from sqlalchemy.orm import Session

#: newest rows tested before deciding (about 10 ms at 1,000,000 articles on an idle core)
RECENT_ROWS = 5000
#: the most newest rows tested when the first ones promise enough matches; past it, the
#: index's visits to every match cost less (the two costs meet near 20,000 rows at a
#: 250-row answer and 1,000,000 articles)
MOST_RECENT_ROWS = 20000

_NEWEST = text(
    "SELECT article_id FROM (SELECT article_id, tokens FROM article_search "
    "ORDER BY article_id DESC LIMIT :rows) AS recent "
    "WHERE tokens @@ plainto_tsquery('simple', :q) LIMIT :n"
)
# ``article_id + 0``: ordered by an expression, the primary key cannot serve the order,
# so the planner takes the GIN index
_FROM_INDEX = text(
    "SELECT article_id FROM article_search WHERE tokens @@ plainto_tsquery('simple', :q) "
    "ORDER BY article_id + 0 DESC LIMIT :n"
)


def newest_matching_ids(session: Session, tokens: list[str], limit: int) -> list[int]:
    """Ids of the newest ``limit`` articles whose index tokens include all ``tokens``,
    newest first (see the module's docstring for how)."""
    query = " ".join(tokens)
    found = _newest(session, query, RECENT_ROWS, limit)
    if len(found) >= limit:
        return found
    if found:
        # as many newest rows again as the first ones suggest hold ``limit`` matches
        rows = math.ceil(RECENT_ROWS * limit / len(found) * 1.25)
        if rows <= MOST_RECENT_ROWS:
            more = _newest(session, query, rows, limit)
            if len(more) >= limit:
                return more
    # a rare query: every match from the index. A sequential scan (what the planner may
    # choose when it overestimates the matches) would test every row of the table.
    # (for this query only: the setting is put back as it was, within the transaction)
    before = session.scalar(text("SELECT current_setting('enable_seqscan')"))
    session.execute(text("SELECT set_config('enable_seqscan', 'off', true)"))
    try:
        return [int(i) for i in session.scalars(_FROM_INDEX, {"q": query, "n": limit})]
    finally:
        session.execute(text("SELECT set_config('enable_seqscan', :v, true)"), {"v": before})


def _newest(session: Session, query: str, rows: int, limit: int) -> list[int]:
    return [int(i) for i in session.scalars(_NEWEST, {"q": query, "rows": rows, "n": limit})]
