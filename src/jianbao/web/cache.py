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
from typing import Any, TypeVar

from markupsafe import Markup

T = TypeVar("T")

CSRF_SLOT = Markup("<csrf-slot/>")


def with_csrf(fragment: str, token: str) -> Markup:
    """A cached fragment with this session's CSRF token in its forms."""
    return Markup(fragment.replace(CSRF_SLOT, token))


class RevisionCache:
    """A small least-recently-used map whose entries are valid for one store revision.

    One computation per key at a time: when the store moves, twenty editors asking for
    the week's list at once wait for the first one's computation instead of all
    computing it (on a loaded two-core machine twenty computations of a 100 ms list took
    seconds each)."""

    def __init__(self, size: int = 256):
        self.size = size
        self._entries: OrderedDict[Hashable, tuple[int, object]] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self.hits = 0
        self.misses = 0

    def peek(self, revision: int, key: Hashable) -> Any:
        """The value kept for ``key`` at ``revision``, or None (nothing computed)."""
        with self._lock:
            return self._kept(revision, key)[1]

    def _kept(self, revision: int, key: Hashable) -> tuple[bool, Any]:
        """Whether ``key`` is kept at ``revision``, and its value (counted as a hit); the
        caller holds the lock."""
        entry = self._entries.get(key)
        if entry is None or entry[0] != revision:
            return False, None
        self._entries.move_to_end(key)
        self.hits += 1
        return True, entry[1]

    def fetch(self, revision: int, key: Hashable, compute: Callable[[], T]) -> T:
        """The value for ``key`` at ``revision``, computed (outside the lock, once at a
        time per key) when missing."""
        with self._lock:
            kept, value = self._kept(revision, key)
            if kept:
                return value
            computing = self._computing.setdefault(key, threading.Lock())
        with computing:  # another request computing this key: wait for its value
            with self._lock:
                kept, value = self._kept(revision, key)
                if kept:
                    return value
                self.misses += 1
            try:
                value = compute()
                with self._lock:  # kept before the next in line looks
                    current = self._entries.get(key)
                    if current is None or current[0] <= revision:  # never newer by older
                        self._entries[key] = (revision, value)
                        self._entries.move_to_end(key)
                    while len(self._entries) > self.size:
                        self._entries.popitem(last=False)
            finally:
                with self._lock:
                    if self._computing.get(key) is computing:
                        del self._computing[key]
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
