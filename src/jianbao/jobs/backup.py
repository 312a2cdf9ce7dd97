"""The daily backup of the store: an online copy of the SQLite file with retention.

SQLite's backup API copies a consistent snapshot while collection and editors keep
writing (WAL), into ``data_dir/backups/jianbao-YYYYMMDD-HHMMSS.db``; the newest
``backup_keep`` are kept. A PostgreSQL store is backed up with ``pg_dump`` (README,
Operations): the job says so and is recorded as skipped.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path

from sqlalchemy.engine import make_url

from jianbao.config import Settings
from jianbao.jobs.work import JobResult
from jianbao.records import SHANGHAI

BACKUP_PREFIX = "jianbao-"


def sqlite_path(settings: Settings) -> Path | None:
    """The SQLite file of the store, or None for PostgreSQL (backed up with pg_dump)."""
    url = make_url(settings.resolved_database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return Path(url.database)


def backup_store(settings: Settings, now: datetime) -> JobResult:
    """An online copy of the SQLite store in data_dir/backups (sqlite3's backup API: a
    consistent copy while collection and editors keep writing), keeping the newest
    ``backup_keep``."""
    if settings.backup_keep <= 0:
        return JobResult("skipped", {"reason": "backup_keep = 0：备份已关闭"})
    source = sqlite_path(settings)
    if source is None:
        return JobResult("skipped", {"reason": "PostgreSQL 存储：请用 pg_dump 备份（见 README）"})
    folder = settings.data_dir / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    stamp = now.astimezone(SHANGHAI).strftime("%Y%m%d-%H%M%S")
    target = folder / f"{BACKUP_PREFIX}{stamp}.db"
    partial = target.with_suffix(".db.part")
    src = sqlite3.connect(source)
    try:
        dest = sqlite3.connect(partial)
        try:
            src.backup(dest)
        finally:
            dest.close()
    finally:
        src.close()
    partial.replace(target)
    removed = prune_backups(folder, settings.backup_keep)
    return JobResult(
        "ok", {"file": target.as_posix(), "bytes": target.stat().st_size, "removed": removed}
    )


def prune_backups(folder: Path, keep: int) -> list[str]:
    """Delete all but the newest ``keep`` backups (names sort by their time stamp)."""
    backups = sorted(folder.glob(f"{BACKUP_PREFIX}*.db"))
    old = backups[:-keep] if keep > 0 else backups
    for path in old:
        path.unlink()
    return [path.name for path in old]
