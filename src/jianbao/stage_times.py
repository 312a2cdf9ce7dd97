"""CPU time per stage of a collection cycle: what each article costs, and where.

A cycle's wall-clock speed depends on the network, the politeness limits and whatever
else the machine runs; its CPU time per article does not, so that is what explains a
cycle's speed and what can be compared between runs on a shared machine. The stages are
timed with the CPU clock of the thread doing the work (:func:`time.thread_time`): the
preparing stages in whichever process prepared the page (a worker, or the collecting
process), the writing stages in the collecting process, each article in turn.

Stages: ``decode`` (bytes to text), ``extract`` (parse, body, byline, date), ``judge``
(relevance, category, summary), ``sign`` (the near-duplicate signature),
``event_facts`` (what the event stage reads of a relevant article, made once where it
is prepared), ``store`` (the article's row and its transaction: the duplicate checks,
the insert, the commit),
``policies`` (links from readings to the policy documents they cite), ``stories`` (the
story it joins: the near-copy index, then the event stage) and ``search_index``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field

#: the stages in the order an article goes through them
STAGES = (
    "decode",
    "extract",
    "judge",
    "sign",
    "event_facts",
    "store",
    "policies",
    "stories",
    "search_index",
)


@dataclass
class StageTimes:
    """CPU seconds spent per stage, summed over the articles timed."""

    seconds: dict[str, float] = field(default_factory=dict)
    #: articles whose writing stages were timed (stored, or found known or same content)
    articles: int = 0
    #: wall-clock seconds of the store's article lock (issue 19): ``lock_wait`` waiting
    #: for it, ``lock_held`` from its grant to the commit's end. Every writer of the store
    #: takes it in turn, so ``lock_held`` per article bounds how many articles a second any
    #: number of processes can store; a wait that grows with the processes shows it is hit
    walls: dict[str, float] = field(default_factory=dict)
    #: CPU seconds of the stages timed inside the blocks now open, innermost last
    _inner: list[float] = field(default_factory=list, repr=False)

    @contextmanager
    def timing(self, stage: str) -> Iterator[None]:
        """Add the CPU time of the ``with`` block to ``stage``, less that of the stages
        timed inside it (the story and the index are written in the store's transaction:
        each second counts once, in the innermost stage)."""
        started = time.thread_time()
        self._inner.append(0.0)
        try:
            yield
        finally:
            elapsed = time.thread_time() - started
            self.add(stage, elapsed - self._inner.pop())
            if self._inner:
                self._inner[-1] += elapsed

    def add(self, stage: str, seconds: float) -> None:
        self.seconds[stage] = self.seconds.get(stage, 0.0) + seconds

    def add_wall(self, name: str, seconds: float) -> None:
        self.walls[name] = self.walls.get(name, 0.0) + seconds

    def __add__(self, other: StageTimes) -> StageTimes:
        """Two reports' times together (``collect URL…`` and a cycle in one command)."""
        total = StageTimes(articles=self.articles + other.articles)
        total.merge(self.seconds)
        total.merge(other.seconds)
        for name, seconds in [*self.walls.items(), *other.walls.items()]:
            total.add_wall(name, seconds)
        return total

    def merge(self, other: Mapping[str, float]) -> None:
        """Add seconds measured elsewhere (a worker's, for one page)."""
        for stage, seconds in other.items():
            self.add(stage, seconds)

    def per_article_ms(self) -> dict[str, float]:
        """Milliseconds of CPU per article for each stage, in the stages' order."""
        count = max(1, self.articles)
        ordered = [s for s in STAGES if s in self.seconds]
        ordered += sorted(s for s in self.seconds if s not in STAGES)
        return {stage: self.seconds[stage] * 1000 / count for stage in ordered}

    def total_ms(self) -> float:
        """Milliseconds of CPU per article, all stages together."""
        return sum(self.per_article_ms().values())
