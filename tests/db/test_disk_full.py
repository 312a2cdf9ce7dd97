"""A full disk is named as such, and loses nothing (issue 14, item 7).

A collection cycle on a full disk used to end as "内部错误 OperationalError". Now the
store says what is full (the folder of the SQLite file and its free space, or the
PostgreSQL server's disk) and what to do, stored data stays whole, and once space is
freed the store works again. The disks are real: a tmpfs of a few hundred kilobytes
mounted for the test (root is needed; the tests skip without it), a PostgreSQL
tablespace on one, and SQLite's own page limit.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy import event
from typer.testing import CliRunner

from conftest import drop_postgres, fresh_postgres_url
from jianbao.cli import app
from jianbao.db.models import Article, FetchAttempt
from jianbao.db.session import Database
from jianbao.db.store import add_source
from jianbao.errors import StoreError
from jianbao.records import SourceSpec
from jianbao.testing import LoopbackSite, Route
from pipeline_site import article_page


@contextmanager
def tiny_disk(size_kb: int, owner: str | None = None) -> Iterator[Path]:
    """A tmpfs of ``size_kb`` mounted on a fresh folder under /tmp (chowned to ``owner``)."""
    if os.geteuid() != 0:
        pytest.skip("mounting a tmpfs needs root")
    path = Path(tempfile.mkdtemp(prefix="jianbao-full-", dir="/tmp"))
    path.chmod(0o755)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k,mode=755", "tmpfs", str(path)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        path.rmdir()
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.strip()}")
    try:
        if owner:
            shutil.chown(path, owner, owner)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(path)], check=False)
        path.rmdir()


def fill(folder: Path) -> Path:
    """Write a file into ``folder`` until its disk is full; the file, to delete later."""
    filler = folder / "filler"
    with filler.open("ab", buffering=0) as out:
        for size in (1 << 16, 1 << 12, 1 << 9, 1):
            try:
                while out.write(b"\0" * size):
                    pass
            except OSError as exc:
                assert exc.errno == errno.ENOSPC
    return filler


def article(number: int, body: str) -> Article:
    url = f"https://news.example/{number}.html"
    return Article(
        url=url, canonical_url=url, content_hash=f"{number:064d}", title=f"第{number}篇", body=body
    )


def bodies(db: Database) -> dict[str, str]:
    with db.session() as session:
        return {url: body for url, body in session.execute(sa.select(Article.url, Article.body))}


def sqlite_intact(db: Database) -> bool:
    with db.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"


STORED = {n: f"第{n}篇正文。" * 200 for n in range(3)}


def store_some(db: Database) -> dict[str, str]:
    for number, body in STORED.items():
        with db.session() as session:
            session.add(article(number, body))
    return bodies(db)


# -- SQLite ---------------------------------------------------------------------------


def test_sqlite_at_its_page_limit_says_the_store_is_full(tmp_path: Path) -> None:
    db = Database(f"sqlite:///{tmp_path / 'jianbao.db'}")
    try:
        before = store_some(db)
        with db.engine.connect() as conn:
            pages = int(conn.exec_driver_sql("PRAGMA page_count").scalar() or 0)

        def limit(dbapi_connection: object, _record: object) -> None:
            dbapi_connection.execute(f"PRAGMA max_page_count = {pages + 1}")  # type: ignore[attr-defined]

        event.listen(db.engine, "connect", limit)
        db.engine.dispose()  # every connection from now on has the limit
        with pytest.raises(StoreError, match="已满") as caught, db.session() as session:
            session.add(article(9, "满" * 200_000))
        assert str(tmp_path) in str(caught.value)
        assert "腾出磁盘空间" in str(caught.value)
        assert sqlite_intact(db) and bodies(db) == before
        event.remove(db.engine, "connect", limit)
        db.engine.dispose()
        with db.session() as session:
            session.add(article(9, "满" * 200_000))
        assert len(bodies(db)) == len(before) + 1
    finally:
        db.close()


def test_sqlite_on_a_full_disk_says_which_folder_and_loses_nothing() -> None:
    with tiny_disk(2048) as disk:
        db = Database(f"sqlite:///{disk / 'jianbao.db'}")
        try:
            before = store_some(db)
            filler = fill(disk)
            with pytest.raises(StoreError, match="已满") as caught, db.session() as session:
                session.add(article(9, "满" * 20_000))
            message = str(caught.value)
            assert str(disk) in message and "磁盘剩余 0.0 MB" in message
            assert "内部错误" not in message and "OperationalError" not in message
            assert sqlite_intact(db) and bodies(db) == before
            filler.unlink()
            with db.session() as session:  # space freed: the store goes on
                session.add(article(9, "满" * 20_000))
            assert sqlite_intact(db) and len(bodies(db)) == len(before) + 1
        finally:
            db.close()


def test_a_cycle_that_fills_the_disk_ends_with_the_store_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`jianbao collect` while the disk fills up: the cycle ends with the store's error,
    and the next, with space again, stores everything and closes the cut-short visit."""
    with tiny_disk(2048) as disk:
        fillers: list[Path] = []

        def filling(path: str) -> object:
            def answer(_request: BaseHTTPRequestHandler) -> Route:
                if not fillers:
                    fillers.append(fill(disk))  # the disk fills up during the cycle
                return Route(
                    article_page(
                        f"互联网医院{path[-6]}号项目验收",
                        "2026-11-16 09:00",
                        "某市日报",
                        [f"某市互联网医院{path[-6]}号项目完成验收，接入电子病历系统。" * 20],
                    )
                )

            return answer

        site = LoopbackSite()
        paths = [f"/news/2026/11/16/a{n}.html" for n in range(3)]
        site.routes.update({path: filling(path) for path in paths})  # type: ignore[misc]
        items = "".join(f"<item><title>t</title><link>{site.url(p)}</link></item>" for p in paths)
        site.routes["/rss.xml"] = Route(
            f"<rss version='2.0'><channel><title>某市日报</title>{items}</channel></rss>".encode(),
            content_type="application/rss+xml",
        )
        url = f"sqlite:///{disk / 'jianbao.db'}"
        db = Database(url)
        with db.session() as session:
            add_source(session, SourceSpec(name="某市日报", url=site.url("/rss.xml")))
        db.close()
        env = {
            "JIANBAO_DATA_DIR": str(tmp_path / "data"),
            "JIANBAO_DATABASE_URL": url,
            "JIANBAO_SSRF_ALLOWLIST": '["127.0.0.0/8"]',
            "JIANBAO_PER_HOST_DELAY": "0",
            "JIANBAO_PIPELINE_WORKERS": "1",
            "JIANBAO_RESPECT_ROBOTS": "false",
        }
        monkeypatch.chdir(tmp_path)
        with site:
            full = CliRunner().invoke(app, ["collect"], env=env)
            assert isinstance(full.exception, StoreError), full.output
            assert "已满" in str(full.exception) and str(disk) in str(full.exception)
            fillers[0].unlink()
            again = CliRunner().invoke(app, ["collect"], env=env, catch_exceptions=False)
            assert again.exit_code == 0, again.output
        db = Database(url)
        try:
            assert sqlite_intact(db) and len(bodies(db)) == len(paths)
            with db.session() as session:
                outcomes = session.scalars(
                    sa.select(FetchAttempt.outcome).order_by(FetchAttempt.id)
                )
                assert list(outcomes) == ["interrupted", "ok"]
        finally:
            db.close()


# -- PostgreSQL -----------------------------------------------------------------------


def test_postgres_on_a_full_disk_quotes_the_server_and_loses_nothing(
    postgres_admin: sa.Engine | None,
) -> None:
    if postgres_admin is None:
        pytest.skip("PostgreSQL not reachable")
    host = postgres_admin.url.host or ""
    if host not in ("127.0.0.1", "localhost", "::1"):
        pytest.skip("the tablespace must be on the server's own disk")
    tablespace = f"jianbao_full_{uuid.uuid4().hex[:12]}"
    with tiny_disk(1024, owner="postgres") as disk:
        url = fresh_postgres_url(postgres_admin)
        try:
            with postgres_admin.connect() as conn:
                conn.exec_driver_sql(f"CREATE TABLESPACE {tablespace} LOCATION '{disk}'")
            db = Database(url)
            try:
                with db.engine.begin() as conn:  # the articles (and their long bodies) there
                    conn.exec_driver_sql(f"ALTER TABLE articles SET TABLESPACE {tablespace}")
                before = store_some(db)
                filler = fill(disk)
                with pytest.raises(StoreError, match="数据库服务器的磁盘已满") as caught:
                    for number in range(10, 200):  # until a page no longer fits
                        with db.session() as session:
                            session.add(article(number, os.urandom(8000).hex()))
                assert "could not extend file" in str(caught.value)
                assert "在数据库服务器上腾出磁盘空间" in str(caught.value)
                stored = bodies(db)
                assert {u: b for u, b in stored.items() if u in before} == before
                filler.unlink()
                with db.session() as session:
                    session.add(article(999, "恢复"))
                assert len(bodies(db)) == len(stored) + 1
            finally:
                db.close()
        finally:
            drop_postgres(postgres_admin, url)
            with postgres_admin.connect() as conn:
                conn.exec_driver_sql(f"DROP TABLESPACE IF EXISTS {tablespace}")


# -- a command writing a file ---------------------------------------------------------


def test_a_command_writing_to_a_full_disk_says_so(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'jianbao.db'}"
    db = Database(url)
    with db.session() as session:
        add_source(session, SourceSpec(name="某市日报", url="https://news.example/rss.xml"))
    db.close()
    with tiny_disk(256) as disk:
        fill(disk)
        result = subprocess.run(
            [sys.executable, "-m", "jianbao", "sources", "export", "--out", str(disk / "x.opml")],
            env={**os.environ, "JIANBAO_DATABASE_URL": url, "JIANBAO_DATA_DIR": str(tmp_path)},
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("错误：存储：磁盘已满"), result.stderr
    assert "内部错误" not in result.stderr and "Traceback" not in result.stderr
