"""Several processes opening a new store at the same moment — ``jianbao run`` and
``jianbao serve`` started together by systemd on a fresh data folder, two beats — each
upgrade the schema; they must take turns, not fail with "table … already exists"."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import sqlalchemy as sa

OPEN_AT = """
import sys, time
start = float(sys.argv[2])
from jianbao.db.session import Database
while time.time() < start:
    time.sleep(0.001)
Database(sys.argv[1]).close()
print("ok")
"""


def test_three_processes_opening_a_new_store_at_once_all_succeed(tmp_path: Path) -> None:
    """On SQLite (PostgreSQL's transactional DDL already kept the openers apart: four at
    once all succeeded before the advisory lock, revC finding 5; the lock is exercised
    by every PostgreSQL test that opens a store)."""
    database_url = f"sqlite:///{(tmp_path / 'new' / 'jianbao.db').as_posix()}"
    start = time.time() + 6  # after all three have imported jianbao
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    openers = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT, database_url, str(start)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for _ in range(3)
    ]
    results = [opener.communicate(timeout=180) for opener in openers]
    assert [
        (out.strip(), opener.returncode) for (out, _), opener in zip(results, openers, strict=True)
    ] == [("ok", 0)] * 3, [err[-400:] for _, err in results]
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            version = conn.execute(sa.text("SELECT version_num FROM alembic_version")).all()
    finally:
        engine.dispose()
    assert len(version) == 1
