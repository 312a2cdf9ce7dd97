"""Real Redis, PostgreSQL and ``jianbao worker`` processes for the Celery tests.

Each test has its own queue and key prefix in Redis (``JIANBAO_TEST_REDIS_URL``, default
database 15) and its own PostgreSQL databases, so runs never see each other. Skipped with
the reason when Redis or PostgreSQL is unreachable, unless JIANBAO_REQUIRE_POSTGRES=1
(CI), where that fails.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from tests.conftest import fresh_postgres_url

from jianbao.config import Settings
from jianbao.testing import make_settings

REDIS_URL = os.environ.get("JIANBAO_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
REQUIRED = os.environ.get("JIANBAO_REQUIRE_POSTGRES") == "1"


@pytest.fixture(scope="module")
def redis_client() -> Iterator[Any]:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except Exception as exc:
        if REQUIRED:
            pytest.fail(f"Redis required but not reachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis not reachable at {REDIS_URL} (scripts/ensure-services.sh starts it)")
    yield client
    client.close()


@pytest.fixture(scope="module")
def admin(postgres_admin: sa.Engine | None) -> sa.Engine:
    if postgres_admin is None:
        pytest.skip("PostgreSQL not reachable: scale-out needs it as the shared store")
    return postgres_admin


@pytest.fixture
def prefix(redis_client: Any) -> Iterator[str]:
    """A queue and key prefix of this test's own; its keys are removed afterwards."""
    name = f"jbtest-{uuid.uuid4().hex[:10]}"
    yield name
    keys = list(redis_client.scan_iter(f"{name}:*"))
    if keys:
        redis_client.delete(*keys)


def store_settings(admin: sa.Engine, tmp_path: Path, prefix: str, **overrides: Any) -> Settings:
    """Settings of a fresh PostgreSQL database and this test's prefix (the caller drops
    the database with ``drop_postgres``)."""
    url = fresh_postgres_url(admin)
    return make_settings(
        tmp_path,
        database_url=url,
        broker_url=REDIS_URL,
        broker_queue_prefix=prefix,
        **overrides,
    )


class Worker:
    """``jianbao worker`` in a process group of its own (so SIGKILL takes its children)."""

    def __init__(
        self,
        settings: Settings,
        name: str,
        log: Path,
        concurrency: int = 2,
        *,
        queues: str = "fetch,schedule",
        extra_env: dict[str, str] | None = None,
    ):
        env = {
            **os.environ,
            "JIANBAO_DATA_DIR": str(settings.data_dir),
            "JIANBAO_DATABASE_URL": settings.database_url,
            "JIANBAO_BROKER_URL": settings.broker_url,
            "JIANBAO_BROKER_QUEUE_PREFIX": settings.broker_queue_prefix,
            "JIANBAO_BROKER_VISIBILITY_TIMEOUT": str(settings.broker_visibility_timeout),
            "JIANBAO_SSRF_ALLOWLIST": json.dumps(settings.ssrf_allowlist),
            "JIANBAO_PER_HOST_DELAY": "0",
            "JIANBAO_RETRIES": "1",
            "JIANBAO_FETCH_TIMEOUT": "5",
            **(extra_env or {}),
        }
        env.pop("JIANBAO_CONFIG", None)
        self.env = env
        self.log = log
        self.process = subprocess.Popen(
            [
                *(sys.executable, "-m", "jianbao", "worker", "--queues", queues),
                *("--concurrency", str(concurrency), "--name", f"{name}@%h"),
            ],
            env=env,
            cwd=settings.data_dir,
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def kill(self) -> None:
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(10)

    def stop(self) -> None:
        if self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.kill()


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[Worker]]:
    started: list[Worker] = []
    yield started
    for worker in started:  # all asked at once, then waited for
        if worker.process.poll() is None:
            os.killpg(worker.process.pid, signal.SIGTERM)
    for worker in started:
        worker.stop()
