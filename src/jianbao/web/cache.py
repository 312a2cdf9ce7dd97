"""Lists and fragments kept between requests, for as long as the store is unchanged.

Twenty editors opening the week's candidates at 07:45 ask for the same ranked list; ranking
a busy week and rendering its hundred rows costs tens of milliseconds, reading one
counter less than one. Each entry remembers the store revision it was computed at
(:mod:`jianbao.db.revision`) and is used only while the revision is the same, so a list is
never out of date: an accept, an edit or a newly collected article moves the revision and
the next request computes afresh.

Rendered fragments hold no session secret: they are rendered with :data:`CSRF_SLOT` in
place of the form token and each request puts its own token in (:func:`with_csrf`). The
slot is markup that autoescaping can never produce from article text.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar

from markupsafe import Markup

T = TypeVar("T")

CSRF_SLOT = Markup("<csrf-slot/>")


def with_csrf(fragment: str, token: str) -> Markup:
    """A cached fragment with this session's CSRF token in its forms."""
    return Markup(fragment.replace(CSRF_SLOT, token))


class RevisionCache:
    """A small least-recently-used map whose entries are valid for one store revision."""

    def __init__(self, size: int = 256):
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def fetch(self, revision: int, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` at ``revision``, computed (outside the lock) when missing."""
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] == revision:
                self._entries.move_to_end(key)
                self.hits += 1
                return entry[1]  # type: ignore[return-value]
            self.misses += 1
        value = compute()
        with self._lock:
            current = self._entries.get(key)
            if current is None or current[0] <= revision:  # never replace newer with older
                self._entries[key] = (revision, value)
                self._entries.move_to_end(key)
            while len(self._entries) > self.size:
                self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
