"""The highest value seen of a counter the store moves by one per commit, in order.

A collecting process keeps three things drawn from the store that other processes
(Celery workers, a pasted URL beside ``jianbao run``, the workstation) write to as well:

* the near-copy index (:class:`jianbao.pipeline.Pipeline`) and the policy documents'
  index (:class:`jianbao.policy_links.PolicyLinker`) follow **article ids**: articles are
  stored one at a time under the store's article lock (``lock_article_writes``, held
  until commit), so ids are committed in order;
* the event stage's window (:class:`jianbao.stories.EventWindow`) follows the store's
  **stories revision** (:data:`jianbao.db.revision.STORIES`), which moves by one for
  every transaction that changes an article or a story — a split or merge by an editor,
  a rejudged relevance, an edited title as well as a new article — and not for a
  source's health after a visit, which moves only the workstation's counter. Beside it
  the **structure revision** (:data:`jianbao.db.revision.STRUCTURE`) moves for every
  such change except new articles stored in order under the lock: while it stands
  still, a window that sees the stories revision moved by others reads only the
  articles with ids above the highest it has seen (a catch-up) instead of everything.

Each keeps a :class:`Watermark` of the highest value it has looked at. The value its own
write was just given (an article's id flushed under the lock, the revision its
transaction bumped) *follows* the watermark when it is one more: nobody else wrote since,
and the store need not be read. Any gap means someone else did (or, for ids, a PostgreSQL
sequence skipped a value): the owner reads the store, each in its own way.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Watermark:
    """The highest value of a store's counter that its owner has looked at."""

    seen: int = 0

    def follows(self, value: int | None) -> bool:
        """Whether ``value`` is the next one after those seen: the owner's own write,
        with no other commit between."""
        return value is not None and value == self.seen + 1

    def advance(self, value: int) -> None:
        """Everything up to ``value`` has been looked at."""
        self.seen = max(self.seen, value)
