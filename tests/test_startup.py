"""Issue 15, item 15: start-up time. `jianbao serve` took about 10 s before it answered,
and every CLI command paid for scikit-learn and SciPy (2.7 s on this machine) because
the candidates list's event stage imported them at module level. The heavy libraries a
command may not need are imported where they are used; this keeps it so."""

from __future__ import annotations

import subprocess
import sys

#: imported only by the work that needs them (training, event similarity, probing)
HEAVY = ("sklearn", "scipy")


def test_the_cli_and_the_workstation_start_without_the_heavy_libraries() -> None:
    code = (
        "import sys, jianbao.cli, jianbao.web.app; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    ).stdout.strip()
    assert loaded == "", f"imported at start-up: {loaded}"
