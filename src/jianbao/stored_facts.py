"""An article's event facts stored with it, so that each process need not make them again.

The event stage compares a new relevant article with the relevant articles of its window
of days through their facts (:func:`jianbao.judge.events.event_facts`: what the headline
and lead name). Every collecting process keeps the facts of its window in memory
(:class:`jianbao.stories.EventWindow`), and when several processes store side by side
(issue 19: Celery workers), each used to make the facts of every article the others
stored — under the store's article lock, which every other process waits for: with two
processes, the facts of nearly half the articles were made there twice.

So the facts are made once, where the article is prepared (:mod:`jianbao.prepare`, in a
worker process, outside the lock), and stored in ``articles.event_facts`` as JSON;
reading a window takes them from there. Stored facts are used only when they were made
from the article as it is now and by today's code: each carries a key of the code that
made them (the judge's files :func:`event_facts` reads, hashed as
:func:`jianbao.judge.fingerprint.files_digest` hashes them), the title and the
publication instant. An edited title, a moved publication, an upgrade that changes how
facts are made, a row stored before the column existed (migration 0024) or one whose
text does not parse: the facts are made again from the row, as before.

The publication they are made with is the store's reading of it (Asia/Shanghai, as
:class:`jianbao.db.types.AwareDateTime` hands it back): the days an article names
without a month are dated by its publication's month and day in that zone, so facts made
here equal those a process makes from the row it reads. This module needs neither the
store nor SQLAlchemy: the preparing workers import it.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import Field, fields
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from jianbao.judge.events import LEAD_CHARS, EventFacts, event_facts
from jianbao.judge.fingerprint import files_digest
from jianbao.records import SHANGHAI

#: a policy document is a story of its own: its readings and reports are linked to it by
#: jianbao.policy_links (解读：《…》), which refuses a document inside the reading's story
POLICY_DOCUMENT = "政策文件"
#: the judge's files whose content decides an article's facts: events and what it calls
FACTS_FILES = (
    "events.py",
    "event_counts.py",
    "event_days.py",
    "event_incidents.py",
    "event_names.py",
    "event_phase.py",
    "event_places.py",
    "event_records.py",
    "event_releases.py",
    "event_text.py",
    "category.py",
    "dedup.py",
    "normalize.py",
    "summary.py",
)
#: what facts are made from but not stored: the publication is the row's own
_NOT_STORED = frozenset({"published"})
#: the fields of EventFacts that hold sets (stored as sorted lists), and the empty set
#: their empty values share (as event_facts makes them share one: issue 21)
_SET_FIELDS = frozenset(f.name for f in fields(EventFacts) if str(f.type).startswith("frozenset"))
_EMPTY: frozenset[str] = frozenset()
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def compared(relevant: bool, title: str | None, category: str | None) -> bool:
    """Whether the event stage compares an article so judged with others (the relevant
    ones with a headline, not policy documents; nor, in the store, imported ones): the
    articles whose facts are worth making ahead."""
    return bool(relevant and title and category != POLICY_DOCUMENT)


@cache
def facts_code() -> str:
    """A short key of the code that makes facts (stored facts of other code are stale)."""
    return files_digest(FACTS_FILES).hex()[:16]


def _key(title: str, published: datetime) -> str:
    """What stored facts must have been made from: today's code, ``title``, the instant."""
    instant = (_aware(published) - _EPOCH) // timedelta(microseconds=1)
    made_from = f"{facts_code()}\0{title}\0{instant}".encode()
    return hashlib.blake2b(made_from, digest_size=8).hexdigest()


def _aware(moment: datetime) -> datetime:
    """``moment`` with a zone (the store reads a naive one as Shanghai's)."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=SHANGHAI)


def make(title: str, body: str, published: datetime | None) -> str | None:
    """The facts of an article with this title, body and publication, as stored text;
    None without a publication (such an article is in no window: its facts are made when
    it is assigned a story, from the time it was extracted)."""
    if published is None:
        return None
    when = _aware(published).astimezone(SHANGHAI)  # as the store hands it back
    return dumps(event_facts(title, body[: 2 * LEAD_CHARS], when), title)


def dumps(facts: EventFacts, title: str) -> str:
    """``facts`` (made from ``title`` and ``facts.published``) as stored text: the key of
    what they were made from and the fields that are not empty."""
    if facts.published is None:
        raise ValueError("facts without a publication are not stored")
    stored: dict[str, Any] = {}
    for field in fields(EventFacts):
        value = getattr(facts, field.name)
        if field.name in _NOT_STORED or (not value and _empty_default(field)):
            continue  # most of an article's fields are empty: left out
        stored[field.name] = sorted(value) if field.name in _SET_FIELDS else value
    return json.dumps(
        {"key": _key(title, facts.published), "facts": stored},
        ensure_ascii=False,
        separators=(",", ":"),
    )


def loads(text: str | None, title: str, published: datetime | None) -> EventFacts | None:
    """The facts stored as ``text`` for an article titled and published so now, or None
    when none are stored or they are stale (another title, publication or code) or
    unreadable: the caller makes them then."""
    if not text or published is None:
        return None
    try:
        stored = json.loads(text)
        if stored.get("key") != _key(title, published):
            return None
        values: dict[str, Any] = stored["facts"]
        made: dict[str, Any] = {}
        for field in fields(EventFacts):
            if field.name in _NOT_STORED:
                continue
            if field.name in _SET_FIELDS:
                made[field.name] = frozenset(values[field.name]) if field.name in values else _EMPTY
            elif field.name in values or not _empty_default(field):
                made[field.name] = values[field.name]  # a field of another kind: stored
            else:
                made[field.name] = ""
        return EventFacts(published=published, **made)
    except (ValueError, TypeError, KeyError, AttributeError):
        return None


def _empty_default(field: Field[Any]) -> bool:
    """Whether a field left out of the stored text is empty: a set's or a text's (any
    other kind is always stored, so that an empty value reads back as itself)."""
    return field.name in _SET_FIELDS or str(field.type) == "str"
