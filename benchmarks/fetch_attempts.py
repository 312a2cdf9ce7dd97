"""The fetch attempts table at scale: what reads it, timed on a store of millions of visits
(review finding 10).

Every collection cycle adds one row per visited source to ``fetch_attempts``; 1,000
sources polled hourly make about 8.7 million rows a year. This builds such a table
straight by SQL (the rows a year of cycles would have written: ids in time order, one
visit in 200 failed, most visits finding links; a few sources without articles, some of
which never found a link) at migration 0024, upgrades it to the head (timed: on the
code with migration 0025 this creates its indexes), and times, best of ``--repeat``:

- ``close``: ``Pipeline.close_interrupted_attempts``, run at the start of every cycle
  (and of every Celery ``collect_sources`` task), with three attempts left ``running``;
- ``due``: ``store.source_is_due`` for every source (each cycle's ``only_due``);
- ``health``: ``sources.source_health``'s read of whether the sources without articles
  ever found a link;
- ``prune`` (when the code has it): the first pass on the grown table (at most
  ``PRUNE_MAX_ROWS``), then a whole catch-up, then the check every later cycle makes.

    .venv/bin/python benchmarks/fetch_attempts.py [--rows 3000000] [--sources 1000]
        [--url postgresql+pg8000://…/jianbao_bench_attempts]

Without ``--url`` the store is a SQLite file in a temporary folder. A PostgreSQL URL must
name a database the run may drop and create (its name must contain ``bench``).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from alembic import command

from jianbao import sources as sources_module
from jianbao.db import store
from jianbao.db.models import Source
from jianbao.db.session import Database, alembic_config, make_engine
from jianbao.pipeline import Pipeline
from jianbao.testing import make_settings

#: sources without articles (health reads their attempts); one in five never found a link
BARE_SOURCES = 50


def _fresh_postgres(url: str) -> None:
    target = sa.engine.make_url(url)
    assert target.database and "bench" in target.database, "use a database named *bench*"
    admin = sa.create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


def build(url: str, rows: int, sources: int, days: int, now: datetime) -> float:
    """The table at 0024 with ``rows`` visits over ``days`` days; seconds the upgrade to the
    head took."""
    engine = make_engine(url, statement_timeout=0)
    command.upgrade(alembic_config(engine), "0024")
    start = now - timedelta(days=days)
    step = days * 86400 / rows
    sqlite = engine.dialect.name == "sqlite"
    with engine.begin() as conn:
        conn.execute(
            sa.text(
                "insert into sources (name, url, kind, max_pages, render, enabled, respect_robots,"
                " poll_minutes, consecutive_failures, created_at, last_checked_at)"
                " select 'src' || n, 'https://s' || n || '.example/rss', 'feed', 1, 'http', :yes,"
                " :yes, 60, 0, :start, :now from "
                + (
                    "(with recursive c(n) as (select 1 union all select n + 1 from c"
                    " where n < :sources) select n from c)"
                    if sqlite
                    else "generate_series(1, :sources) as n"
                )
            ),
            {"yes": True, "start": start.replace(tzinfo=None), "now": now, "sources": sources},
        )

        # source n's visits: a bare source (n <= BARE_SOURCES) never found a link if n is
        # a multiple of 5; the others found 0-39
        def mod(a: str, b: object) -> str:  # pg8000 takes % for a parameter
            return f"(({a}) % {b})" if sqlite else f"mod({a}, {b})"

        source = f"{mod('n', ':sources')} + 1"
        links = f"case when {source} <= {BARE_SOURCES} and {mod(source, 5)} = 0"
        links += f" then 0 else {mod('n', 40)} + 1 end"
        at = (
            f"datetime(:start, '+' || cast(n * {step} as integer) || ' seconds') || '.000000'"
            if sqlite
            else f"cast(:start as timestamptz) + n * interval '{step} seconds'"
        )
        series = (
            "(with recursive c(n) as (select 1 union all select n + 1 from c where n < :rows)"
            " select n from c)"
            if sqlite
            else "generate_series(1, :rows) as n"
        )
        conn.execute(
            sa.text(
                "insert into fetch_attempts (source_id, url, started_at, finished_at,"
                " http_status, outcome, error, links_found, articles_new, errors)"
                f" select {source}, 'https://s.example/rss', {at}, {at}, 200,"
                f" case when {mod('n', 200)} = 0 then 'error' else 'ok' end, null,"
                f" {links}, {mod('n', 3)}, 0 from {series}"
            ),
            {
                "start": start.replace(tzinfo=None) if sqlite else start,
                "rows": rows,
                "sources": sources,
            },
        )
    began = time.perf_counter()
    command.upgrade(alembic_config(engine), "head")
    upgraded = time.perf_counter() - began
    with engine.begin() as conn:
        conn.execute(sa.text("analyze"))
    engine.dispose()
    return upgraded


def best(
    fn: Callable[[], object], repeat: int, before: Callable[[], object] | None = None
) -> float:
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        began = time.perf_counter()
        fn()
        times.append(time.perf_counter() - began)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=3_000_000)
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--url", default="")
    args = parser.parse_args()
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder:
        url = args.url or f"sqlite:///{Path(folder) / 'attempts.db'}"
        if args.url:
            _fresh_postgres(url)
        began = time.perf_counter()
        upgraded = build(url, args.rows, args.sources, args.days, now)
        print(
            f"built {args.rows} attempts of {args.sources} sources over {args.days} days "
            f"in {time.perf_counter() - began:.1f} s; upgrade to head {upgraded:.2f} s"
        )
        settings = make_settings(Path(folder), database_url=url)
        db = Database(url, statement_timeout=0)
        pipeline = Pipeline(settings, db)
        last = db.engine.connect().execute(sa.text("select max(id) from fetch_attempts")).scalar()

        def leave_running() -> None:
            with db.engine.begin() as conn:
                conn.execute(
                    sa.text("update fetch_attempts set outcome = 'running' where id > :edge"),
                    {"edge": last - 3},
                )

        close = best(pipeline.close_interrupted_attempts, args.repeat, leave_running)
        print(f"close: {close * 1000:.1f} ms")
        with db.session() as session:
            rows = list(session.scalars(sa.select(Source)))

        def due() -> None:
            with db.session() as session:
                for row in rows:
                    store.source_is_due(session, row, now)

        print(f"due ({len(rows)} sources): {best(due, args.repeat) * 1000:.1f} ms")
        bare = [row.id for row in rows if row.id <= BARE_SOURCES]
        links = getattr(sources_module, "_links_ever", None) or sources_module._links_found

        def health() -> None:
            with db.session() as session:
                found = links(session, bare)
            assert len([s for s in bare if found.get(s)]) == BARE_SOURCES * 4 // 5, found

        print(f"health links ({len(bare)} sources): {best(health, args.repeat) * 1000:.1f} ms")
        prune = getattr(pipeline, "prune_attempts", None)
        if prune is not None:
            began = time.perf_counter()
            first = prune()
            print(f"prune first pass: {first} rows in {time.perf_counter() - began:.2f} s")
            began = time.perf_counter()
            passes, rest = 0, 0
            while more := prune():
                passes, rest = passes + 1, rest + more
            print(
                f"prune catch-up: {rest} more rows in {passes} more passes, "
                f"{time.perf_counter() - began:.2f} s"
            )
            check = best(prune, args.repeat)
            print(f"prune check (nothing due): {check * 1000:.1f} ms")
            with db.engine.connect() as conn:
                left = conn.execute(sa.text("select count(*) from fetch_attempts")).scalar()
            print(f"left: {left} attempts")
            close = best(pipeline.close_interrupted_attempts, args.repeat, leave_running)
            print(f"close after pruning: {close * 1000:.1f} ms")
            print(f"due after pruning: {best(due, args.repeat) * 1000:.1f} ms")
            print(f"health after pruning: {best(health, args.repeat) * 1000:.1f} ms")
        db.close()


if __name__ == "__main__":
    main()
