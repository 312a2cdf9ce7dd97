"""Readings linked to the policy documents in the store.

A relevant article that cites a stored policy document by its 发文字号 or its 《title》 —
an interpretation, a Q&A, a report on how a province carries it out — gets
``policy_article_id``, and the candidates list shows it as 解读：《…》 next to the
document. The pipeline links each article as it stores it (:meth:`PolicyLinker.link`)
against the documents stored before it; readings that arrived before their document
(a news portal polled more often than the ministry's listing) are linked when the
document comes (:meth:`PolicyLinker.link_earlier_readings`, once per cycle).

Only the opening of a text is searched: readings name their document at the start, and
the bound keeps linking cheap on long articles.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, aliased

from jianbao.db.models import Article, Story
from jianbao.db.session import Database
from jianbao.judge.links import PolicyIndex
from jianbao.records import SHANGHAI
from jianbao.watermark import Watermark

log = logging.getLogger("jianbao.pipeline")

POLICY = "政策文件"
#: characters of a reading searched for citations
CITATION_CHARS = 2000
#: characters of a document read for its own 发文字号
DOCUMENT_HEAD = 400
#: how far back readings are looked for when their document arrives
BACKLINK_DAYS = 30


@dataclass
class _NewDocument:
    id: int
    title: str
    head: str
    published_at: datetime | None


def load_policy_index(session: Session) -> PolicyIndex[int]:
    """Every stored policy document, by 发文字号 and title (heads of bodies only)."""
    index: PolicyIndex[int] = PolicyIndex()
    rows = session.execute(
        select(Article.id, Article.title, func.substr(Article.body, 1, DOCUMENT_HEAD))
        .where(Article.category == POLICY)
        .order_by(Article.id)
    )
    for article_id, title, head in rows:
        index.add_document(article_id, title, head or "")
    return index


def _outside_story(session: Session, cited: list[int], story_id: int | None) -> int | None:
    """The first cited document that is not of the article's own story: a republication
    of the document's announcement is the document again, not a reading of it."""
    if not cited:
        return None
    stories = {
        document_id: document_story
        for document_id, document_story in session.execute(
            select(Article.id, Article.story_id).where(Article.id.in_(cited))
        )
    }
    for document_id in cited:
        if document_id in stories and (story_id is None or stories[document_id] != story_id):
            return document_id
    return None


class PolicyLinker:
    """The policy documents of the store, kept current while a pipeline stores articles.

    Several processes store articles into one store (Celery workers, a pasted URL beside
    ``jianbao run``), each with its own linker. So that a reading finds a document another
    process stored after this index was loaded, :meth:`link` first adds the documents
    stored since the index last looked (ids above ``_seen``: two indexed range reads).
    Articles are stored one at a time under the store's article lock
    (``lock_article_writes``, held until commit), so ids are committed in order and none
    is missed; a reading committed before a document is linked by the document's own
    process at the end of its cycle (:meth:`finish`), which sees every earlier commit —
    and by every process that caught up with the document, should that one have died
    before its cycle ended.
    """

    def __init__(self) -> None:
        self._index: PolicyIndex[int] | None = None
        self._new: list[_NewDocument] = []
        #: the highest article id the index has looked at
        self._seen = Watermark()

    def index(self, session: Session, new_id: int | None = None) -> PolicyIndex[int]:
        """The documents' index, loaded from the store on first use, then caught up with
        the documents other processes stored since. ``new_id``: the article being linked,
        flushed under the article lock; when it follows the last id seen, no other process
        stored one since, and the two reads are skipped (issue 21)."""
        if self._index is None:
            self._seen = Watermark(session.scalar(select(func.max(Article.id))) or 0)
            self._index = load_policy_index(session)
        elif not self._follows(new_id):
            self._catch_up(session, self._index)
        return self._index

    def _follows(self, new_id: int | None) -> bool:
        """Whether ``new_id`` is the next id after those seen (then it is seen now; an id
        after a gap is not: :meth:`_catch_up` reads the gap and moves the watermark)."""
        if not self._seen.follows(new_id):
            return False
        self._seen.advance(new_id or 0)
        return True

    def _catch_up(self, session: Session, index: PolicyIndex[int]) -> None:
        # a gap is read up to the highest id stored: the article being linked (flushed
        # under the lock), or the last stored when called without one
        highest = session.scalar(select(func.max(Article.id))) or 0
        if highest <= self._seen.seen:
            return
        rows = session.execute(
            select(
                Article.id,
                Article.title,
                func.substr(Article.body, 1, DOCUMENT_HEAD),
                Article.published_at,
            )
            .where(Article.id > self._seen.seen, Article.id <= highest, Article.category == POLICY)
            .order_by(Article.id)
        )
        known = {doc.id for doc in self._new}
        for article_id, title, head, published_at in rows:
            index.add_document(article_id, title, head or "")
            if article_id not in known:
                # linked back at this cycle's end too: when the process that stored it
                # died before its own cycle ended, this is what links its earlier readings
                self._new.append(_NewDocument(article_id, title, head or "", published_at))
        self._seen.advance(highest)

    def link(self, session: Session, row: Article) -> int | None:
        """Link a relevant article (in the caller's transaction) to the stored document it
        cites; returns the document's id. Documents themselves are not linked."""
        if not row.relevant or row.category == POLICY:
            self._follows(row.id)  # passed in order, so the next article's reads are skipped
            return None
        cited = self.index(session, row.id).cited_by(
            row.title, row.body[:CITATION_CHARS], exclude=row.id
        )
        row.policy_article_id = _outside_story(session, cited, row.story_id)
        return row.policy_article_id

    def add(self, row: Article) -> None:
        """A stored (committed) article: when it is a policy document, later readings
        link to it, and earlier ones on the next :meth:`link_earlier_readings`."""
        if row.category != POLICY:
            return
        head = row.body[:DOCUMENT_HEAD]
        if self._index is not None:
            self._index.add_document(row.id, row.title, head)
        if all(doc.id != row.id for doc in self._new):
            self._new.append(_NewDocument(row.id, row.title, head, row.published_at))

    def link_earlier_readings(self, session: Session, now: datetime | None = None) -> int:
        """Link unlinked relevant articles of the last ``BACKLINK_DAYS`` (published since
        the day before the earliest new document) to the documents added since the last
        call; returns how many were linked."""
        if not self._new:
            return 0
        documents: PolicyIndex[int] = PolicyIndex()
        for doc in self._new:
            documents.add_document(doc.id, doc.title, doc.head)
        now = now or datetime.now(SHANGHAI)
        low = now - timedelta(days=BACKLINK_DAYS)
        dated = [doc.published_at for doc in self._new if doc.published_at is not None]
        if len(dated) == len(self._new):
            low = max(low, min(dated) - timedelta(days=1))
        self._new = []
        rows = session.execute(
            select(
                Article.id,
                Article.story_id,
                Article.title,
                func.substr(Article.body, 1, CITATION_CHARS),
            ).where(
                Article.relevant.is_(True),
                Article.published_at >= low,
                Article.policy_article_id.is_(None),
                or_(Article.category.is_(None), Article.category != POLICY),
            )
        ).all()
        links: dict[int, int] = {}
        for article_id, story_id, title, head in rows:
            cited = documents.cited_by(title, head or "", exclude=article_id)
            document_id = _outside_story(session, cited, story_id) if cited else None
            if document_id is not None:
                links[article_id] = document_id
        for article_id, document_id in links.items():
            session.execute(
                update(Article)
                .where(Article.id == article_id)
                .values(policy_article_id=document_id)
            )
        return len(links)

    def finish(self, db: Database) -> int:
        """End of a cycle: link the readings that came before their document. The
        cycle's articles are stored by then: a failure here is logged, not raised."""
        if not self._new:
            return 0
        try:
            with db.session() as session:
                return self.link_earlier_readings(session)
        except SQLAlchemyError:
            log.exception("政策文件解读的回溯关联失败（本轮文章已保存）")
            return 0


def policy_documents(session: Session, article_ids: list[int]) -> dict[int, tuple[int, str]]:
    """Article id → (document id, document title) for those of ``article_ids`` that are
    linked to a policy document, in one query. A document carried by several outlets is
    shown through its story's representative (the issuing authority's own page) when that
    is a policy document too."""
    if not article_ids:
        return {}
    document, representative = aliased(Article), aliased(Article)
    rows = session.execute(
        select(
            Article.id,
            document.id,
            document.title,
            representative.id,
            representative.title,
            representative.category,
        )
        .join(document, document.id == Article.policy_article_id)
        .outerjoin(Story, Story.id == document.story_id)
        .outerjoin(representative, representative.id == Story.representative_id)
        .where(Article.id.in_(article_ids))
    )
    found: dict[int, tuple[int, str]] = {}
    for article_id, doc_id, title, rep_id, rep_title, rep_category in rows:
        if rep_id is not None and rep_category == POLICY:
            doc_id, title = rep_id, rep_title
        if doc_id != article_id:
            found[article_id] = (doc_id, title)
    return found
