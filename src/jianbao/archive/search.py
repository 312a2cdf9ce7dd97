"""Full-text search over articles, right for short Chinese terms.

Chinese has no spaces, and SQLite's trigram index finds nothing for one- and
two-character queries such as 医保. So both backends index *tokens*: jieba's search-mode
segmentation, which emits the sub-words of long words too (互联网医院 → 互联 联网 互联网
医院), lower-cased. SQLite keeps them in an FTS5 table, PostgreSQL in a tsvector with the
``simple`` configuration and a GIN index. A query is segmented the same way, every token
is required, and the hits are then held to the literal query (so 医保 does not match a
text that has 医 and 保 apart). Texts and queries are read in their normalised Simplified
form (:func:`jianbao.judge.normalize.simplified`), so 医保 finds a 繁體 reprint's 醫保
and a mirror's 医(yī)保(bǎo); the page is shown as written.

Ranking: articles with the query in their title first, then those that use it most
(up to three times), newest first within each: a story about 医保 ranks before one that
names it in passing. Title tokens are indexed a second time with a marker prefix
(``jbtitle医保``), so the newest title matches come straight from the index however
many articles merely mention the term; scoring every match (bm25 over tens of thousands
of hits for a common word) costs a hundred times more than this.
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.orm import Session, defer

from jianbao.db.models import Article
from jianbao.db.pg_search import newest_matching_ids
from jianbao.judge.normalize import simplified

#: candidates fetched from the index per result asked for, before the literal check
OVERFETCH = 5
#: the prefix of a title's tokens in the index (``jbtitle医保``): one token to the FTS5
#: and tsvector tokenizers alike, and no word of a text begins so
TITLE_MARK = "jbtitle"
#: occurrences in the text beyond which an article is not taken to be more about the query
MOST_OCCURRENCES = 3
SNIPPET_CHARS = 120
_WORD = re.compile(r"\w", re.UNICODE)


def search_tokens(text_: str) -> list[str]:
    """The index tokens of a text: search-mode segmentation of its Simplified form,
    lower-cased, no punctuation."""
    # imported on first use: its dictionary is 30 MB, and the collecting process, which
    # imports this module to write the index, gets the tokens made by its workers
    import rjieba

    folded = _folded(text_)
    return [t for t in rjieba.cut_for_search(folded) if _WORD.search(t)]


def index_tokens(title: str, body: str) -> str:
    """What the index holds for an article: the tokens of its title and text, and the
    title's tokens again with the title mark (so title matches can be asked for)."""
    tokens = search_tokens(title + "\n" + body)
    tokens.extend(TITLE_MARK + t for t in dict.fromkeys(search_tokens(title)))
    return " ".join(tokens)


def index_article(
    session: Session, article_id: int, title: str, body: str, tokens: str | None = None
) -> None:
    """Put (or replace) one article in the search index, in the caller's transaction.

    ``tokens``: :func:`index_tokens` of ``title`` and ``body`` when the caller made them
    already. Collection makes them in its worker processes (:mod:`jianbao.prepare`): the
    segmentation is most of the index's cost, and the collecting process, which writes
    one article at a time, is a cycle's bound."""
    if tokens is None:
        tokens = index_tokens(title, body)
    if session.get_bind().dialect.name == "sqlite":
        # FTS5 replaces a row of the same rowid (an article indexed again) in one statement
        session.execute(
            text("INSERT OR REPLACE INTO article_fts (rowid, tokens) VALUES (:id, :tokens)"),
            {"id": article_id, "tokens": tokens},
        )
    else:
        session.execute(
            text(
                "INSERT INTO article_search (article_id, tokens) "
                "VALUES (:id, to_tsvector('simple', :tokens)) "
                "ON CONFLICT (article_id) DO UPDATE SET tokens = EXCLUDED.tokens"
            ),
            {"id": article_id, "tokens": tokens},
        )


def rebuild_index(session: Session) -> int:
    """Index every stored article again (after an upgrade, or a change of tokenizer)."""
    count = 0
    for article_id, title, body in session.execute(select(Article.id, Article.title, Article.body)):
        index_article(session, article_id, title, body)
        count += 1
    return count


@dataclass
class Hit:
    """One search result, with a snippet whose matches are marked."""

    article: Article
    title_html: str
    snippet_html: str


def search_articles(
    session: Session,
    query: str,
    *,
    start: date | None = None,
    end: date | None = None,
    relevant_only: bool = False,
    source: str | None = None,
    limit: int = 50,
) -> list[Hit]:
    """Articles containing ``query``, title matches first, then those using it most, newest
    first within each (see the module's docstring), with highlighted title and snippet."""
    tokens = list(dict.fromkeys(search_tokens(query)))
    if not tokens:
        return []
    in_titles = _candidate_ids(session, [TITLE_MARK + t for t in tokens], limit * OVERFETCH)
    anywhere = _candidate_ids(session, tokens, limit * OVERFETCH)
    ids = list(dict.fromkeys(in_titles + anywhere))
    if not ids:
        return []
    from jianbao.candidates import period_bounds

    rows = select(Article).options(defer(Article.html), defer(Article.signature))
    if start or end:
        low, high = period_bounds(start or date(1970, 1, 1), end or date(9999, 12, 30))
        rows = rows.where(Article.published_at >= low, Article.published_at < high)
    if relevant_only:
        rows = rows.where(Article.relevant.is_(True))
    if source:
        rows = rows.where(Article.source_name == source)
    needle = _folded(query).strip()
    ranked: list[tuple[tuple[int, int, int], Article]] = []
    title_hits = 0
    # read a page of candidates at a time (the texts are the cost): title matches come
    # first from the index, so once a full page of them holds the query nothing else can
    # outrank them; the other matches are ranked among the newest twice a page of them
    step = limit + 10
    for at in range(0, len(ids), step):
        chunk = ids[at : at + step]
        by_id = {a.id: a for a in session.scalars(rows.where(Article.id.in_(chunk)))}
        for order, article_id in enumerate(chunk, start=at):
            article = by_id.get(article_id)
            if article is None:
                continue
            in_title = _contains(article.title, needle)
            uses = _occurrences(article.body, needle)
            if not in_title and not uses:
                continue
            title_hits += in_title
            ranked.append(((0 if in_title else 1, -min(uses, MOST_OCCURRENCES), order), article))
        if title_hits >= limit or len(ranked) >= 2 * limit:
            break
    ranked.sort(key=lambda pair: pair[0])
    return [
        Hit(article, mark(article.title, needle), snippet(article.body, needle))
        for _, article in ranked[:limit]
    ]


def _folded(text_: str) -> str:
    """What is indexed and compared: Simplified, NFKC, lower-cased."""
    return unicodedata.normalize("NFKC", simplified(text_)).lower()


def _occurrences(text_: str, needle: str) -> int:
    """How often ``text_`` holds ``needle`` (already folded), read as written first and
    in its folded form only when that finds nothing."""
    if not needle:
        return 0
    return text_.lower().count(needle) or _folded(text_).count(needle)


def _contains(text_: str, needle: str) -> bool:
    """Whether ``text_`` holds ``needle`` (already folded): the plain check first,
    normalizing the text (the slow part) only when that fails."""
    return needle in text_.lower() or needle in _folded(text_)


def fold_term(term: str) -> str:
    """A query term as the index and the checks read it (Simplified, NFKC, lower-cased),
    for a caller that checks more terms than :func:`search_articles` was asked for."""
    return _folded(term).strip()


def holds_all(text_: str, needles: Sequence[str]) -> bool:
    """Whether ``text_`` holds every one of ``needles`` (each :func:`fold_term`'s), read
    as written first and folded (the slow part, done once) only for those not found so:
    医保 报销 finds a 繁體 page's 醫保報銷 as 医保报销 does."""
    plain = text_.lower()
    missing = [needle for needle in needles if needle not in plain]
    if not missing:
        return True
    folded = _folded(text_)
    return all(needle in folded for needle in missing)


def _candidate_ids(session: Session, tokens: list[str], limit: int) -> list[int]:
    if session.get_bind().dialect.name == "sqlite":
        match = " AND ".join('"' + t.replace('"', '""') + '"' for t in tokens)
        found = session.execute(
            text(
                "SELECT rowid FROM article_fts WHERE article_fts MATCH :q "
                "ORDER BY rowid DESC LIMIT :n"
            ),
            {"q": match, "n": limit},
        )
    else:  # the planner's choice can cost seconds here (issue 19): see jianbao.db.pg_search
        return newest_matching_ids(session, tokens, limit)
    return [int(row[0]) for row in found]


def mark(value: str, needle: str) -> str:
    """``value`` escaped for HTML with every occurrence of ``needle`` in <mark>."""
    return mark_all(value, [needle])


def mark_all(value: str, needles: Sequence[str]) -> str:
    """``value`` escaped for HTML with every occurrence of any of ``needles`` (folded
    terms) in <mark>, the longest first where two start together. Matches are found in
    the folded text and the marks put around the text as written, so a 繁體 page's 醫保
    is marked for 医保; and escaping comes after matching, so a term never lands inside
    an entity (``amp`` in ``&amp;``)."""
    wanted = sorted({n for n in needles if n}, key=len, reverse=True)
    if not wanted:
        return html.escape(value)
    folded = _folded(value)
    if len(folded) != len(value):  # normalization changed lengths: no marks, stay safe
        return html.escape(value)
    out, at = [], 0
    while True:
        found, length = -1, 0
        for needle in wanted:
            where = folded.find(needle, at)
            if where >= 0 and (found < 0 or where < found):
                found, length = where, len(needle)
        if found < 0:
            break
        out.append(html.escape(value[at:found]))
        out.append("<mark>" + html.escape(value[found : found + length]) + "</mark>")
        at = found + length
    out.append(html.escape(value[at:]))
    return "".join(out)


def snippet(body: str, needle: str, width: int = SNIPPET_CHARS) -> str:
    """A window of the body around the first match, marked."""
    flat = " ".join(body.split())
    found = flat.lower().find(needle)
    if found < 0:  # only a normalized form matches (繁體, full-width letters)
        folded = _folded(flat)
        found = folded.find(needle) if len(folded) == len(flat) else -1
    start = max(0, found - width // 3) if found >= 0 else 0
    piece = flat[start : start + width]
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(flat) else ""
    return prefix + mark(piece, needle) + suffix
