"""Benchmark: how long `jianbao serve` takes to answer its first request and how long
`jianbao --help` takes, with and without compiled bytecode, against the bare interpreter
(`python -c pass`) measured in the same run.

Where ``PYTHONDONTWRITEBYTECODE`` is set and the packages were installed without their
bytecode (uv's default), every start compiles some 1,200 modules from source; `make env`
now installs with ``--compile-bytecode``. "compiled" runs here use a private bytecode
cache (``PYTHONPYCACHEPREFIX`` in a temporary folder, filled by one warm-up run), so the
checkout and the virtual environment are left as they are.

    .venv/bin/python benchmarks/startup.py [--rounds 3]

Prints the medians and their ratios to the bare interpreter; ends with one JSON line.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def run_once(args: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(args, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


def serve_once(env: dict[str, str]) -> float:
    """Seconds from starting `jianbao serve` to its first answer (the sign-in page)."""
    port = free_port()
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(BIN / "jianbao"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        while True:
            try:
                opener.open(f"http://127.0.0.1:{port}/login", timeout=1).read()
                return time.perf_counter() - started
            except OSError:
                if process.poll() is not None or time.perf_counter() - started > 60:
                    raise RuntimeError("jianbao serve did not answer") from None
                time.sleep(0.02)
    finally:
        process.terminate()
        process.wait(timeout=10)


def median(fn, rounds: int) -> float:  # type: ignore[no-untyped-def]
    return statistics.median(fn() for _ in range(rounds))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        base = {**os.environ, "JIANBAO_DATA_DIR": str(data)}
        base.pop("JIANBAO_DATABASE_URL", None)
        source = {**base, "PYTHONDONTWRITEBYTECODE": "1"}
        source.pop("PYTHONPYCACHEPREFIX", None)
        compiled = {**base, "PYTHONPYCACHEPREFIX": str(Path(tmp) / "pyc")}
        compiled.pop("PYTHONDONTWRITEBYTECODE", None)
        subprocess.run(
            [str(BIN / "jianbao"), "init"], env=compiled, check=True, capture_output=True
        )
        serve_once(compiled)  # fills the private bytecode cache
        bare = median(lambda: run_once([sys.executable, "-c", "pass"], source), args.rounds)
        figures = {
            "python -c pass": bare,
            "jianbao --help (from source)": median(
                lambda: run_once([str(BIN / "jianbao"), "--help"], source), args.rounds
            ),
            "jianbao --help (compiled)": median(
                lambda: run_once([str(BIN / "jianbao"), "--help"], compiled), args.rounds
            ),
            "serve first answer (from source)": median(lambda: serve_once(source), args.rounds),
            "serve first answer (compiled)": median(lambda: serve_once(compiled), args.rounds),
        }
    for name, seconds in figures.items():
        print(f"{name:36} {seconds:6.2f} s  ×{seconds / bare:5.1f}")
    print(json.dumps({k: round(v, 3) for k, v in figures.items()}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
