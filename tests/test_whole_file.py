"""Files written whole (jianbao.whole_file): a reader finds the destination absent, as it
was, or whole — never a part — and a write interrupted by an exception leaves no file.

Real files, a real FIFO and a real signal: the copy is interrupted while it is under way
(part of the source already written), as a process is by Ctrl-C or a signal's handler.
"""

from __future__ import annotations

import os
import signal
import threading
import time
from pathlib import Path
from typing import BinaryIO

import pytest

from jianbao.whole_file import copy_whole, write_whole


class Interrupted(Exception):
    """What the signal's handler raises in the copying thread."""


def _written_elsewhere(folder: Path, source: Path) -> int:
    """The bytes in ``folder``'s files other than ``source`` (the copy under way)."""
    return sum(p.stat().st_size for p in folder.iterdir() if p != source and p.is_file())


def test_a_copy_interrupted_by_an_exception_leaves_no_file(tmp_path: Path) -> None:
    source, path = tmp_path / "seed.npz", tmp_path / "risk.npz"
    os.mkfifo(source)
    release = threading.Event()
    under_way = threading.Event()
    main = threading.main_thread().ident or 0

    def feed_half_then_interrupt() -> None:
        with source.open("wb") as pipe:
            pipe.write(os.urandom(200_000))  # more than a pipe holds: read as it goes
            pipe.flush()
            deadline = time.monotonic() + 10
            while _written_elsewhere(tmp_path, source) < 100_000:
                if time.monotonic() > deadline:
                    return  # the assertion below says so
                time.sleep(0.01)
            under_way.set()
            signal.pthread_kill(main, signal.SIGUSR1)  # the copy waits for the rest
            release.wait(10)

    def interrupt(signum: int, frame: object) -> None:
        raise Interrupted

    previous = signal.signal(signal.SIGUSR1, interrupt)
    feeder = threading.Thread(target=feed_half_then_interrupt)
    feeder.start()
    try:
        with pytest.raises(Interrupted):
            copy_whole(source, path)
    finally:
        signal.signal(signal.SIGUSR1, previous)
        release.set()
        feeder.join(10)
    assert under_way.is_set(), "the copy never got under way"
    assert not path.exists()
    assert [p.name for p in tmp_path.iterdir()] == ["seed.npz"]  # no temporary file left


def test_a_failed_rewrite_keeps_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "risk.npz"
    path.write_bytes(b"the numbers of yesterday, whole")

    def half_then_disk_full(out: BinaryIO) -> None:
        out.write(b"the numbers of to")
        out.flush()
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_whole(path, half_then_disk_full)
    assert path.read_bytes() == b"the numbers of yesterday, whole"
    assert [p.name for p in tmp_path.iterdir()] == ["risk.npz"]


def test_a_reader_finds_the_file_absent_or_whole(tmp_path: Path) -> None:
    """Another thread reads the destination over and over while it is copied 24 times,
    from two sources in turn: each read is nothing (before the first copy) or one of them,
    whole."""
    size = 4 << 20
    versions = [os.urandom(size), os.urandom(size)]
    sources = []
    for n, content in enumerate(versions):
        sources.append(tmp_path / f"v{n}.npz")
        sources[-1].write_bytes(content)
    folder = tmp_path / "models"
    folder.mkdir()
    path = folder / "risk.npz"
    reads = {"absent": 0, "whole": 0}
    partial: list[int] = []
    done = threading.Event()

    def read_all_the_time() -> None:
        while not done.is_set():
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                reads["absent"] += 1
                continue
            if data in versions:
                reads["whole"] += 1
            else:
                partial.append(len(data))

    reader = threading.Thread(target=read_all_the_time)
    reader.start()
    try:
        time.sleep(0.01)
        for n in range(24):
            copy_whole(sources[n % 2], path)
            time.sleep(0.005)
    finally:
        done.set()
        reader.join(30)
    assert partial == []
    assert reads["whole"] > 0 and path.read_bytes() == versions[1]
    assert sorted(p.name for p in folder.iterdir()) == ["risk.npz"]


def test_a_file_written_whole_is_readable_by_other_users(tmp_path: Path) -> None:
    """Celery workers may run as another user than the process that trained the risk
    classifier: the file is 0644 like a plain write's, not mkstemp's owner-only 0600."""
    path = tmp_path / "risk.npz"
    write_whole(path, lambda out: out.write(b"numbers"))
    assert path.stat().st_mode & 0o777 == 0o644
    copy_whole(path, tmp_path / "copy.npz")
    assert (tmp_path / "copy.npz").stat().st_mode & 0o777 == 0o644
