"""The session signing key: one per data folder, shared by ``serve --workers`` processes
that start together (each used to write its own, so one worker's cookies were forgeries
to the others), owner-only, never half-written."""

from __future__ import annotations

import threading
from pathlib import Path

from jianbao.web.security import load_secret


def loaded_together(folder: Path, processes: int) -> list[str]:
    """The keys ``processes`` threads get from load_secret(folder), started at once."""
    start = threading.Barrier(processes)
    keys: list[str] = []

    def one() -> None:
        start.wait()
        keys.append(load_secret(folder))

    threads = [threading.Thread(target=one) for _ in range(processes)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return keys


def test_workers_starting_together_share_one_signing_key(tmp_path: Path) -> None:
    for round_ in range(30):
        folder = tmp_path / f"data{round_}"
        keys = loaded_together(folder, 6)
        assert len(keys) == 6 and len(set(keys)) == 1, round_
        path = folder / "web-secret.key"
        assert path.read_text(encoding="ascii") == keys[0]
        assert path.stat().st_mode & 0o777 == 0o600
        assert sorted(p.name for p in folder.iterdir()) == ["web-secret.key"]


def test_the_key_is_kept_and_an_empty_file_replaced(tmp_path: Path) -> None:
    first = load_secret(tmp_path)
    assert len(first) >= 60 and load_secret(tmp_path) == first
    (tmp_path / "web-secret.key").write_text("", encoding="ascii")
    second = load_secret(tmp_path)
    assert second and second != first and load_secret(tmp_path) == second
