"""The alerts sit in the middle layer, below ``jobs`` (review finding 11).

``jobs`` runs the alert pass at every tick; were ``alerts`` to import ``jobs`` back (for
the schedule's zone or a workstation link), the two would depend on each other, and an
alert page would load the collection pipeline (``jobs.work`` imports it) in every web
request. The two helpers now live in :mod:`jianbao.installation`, beside the settings;
every import in ``src/jianbao/alerts/`` — at the top of a module or inside a function —
is read here with ``ast``, as tests/render/test_layering.py does for the renderers.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from render.test_layering import PACKAGE, imported_modules

#: the packages above the alerts: they call the alerts, never the other way round
ABOVE_ALERTS = ("jianbao.jobs", "jianbao.pipeline", "jianbao.web", "jianbao.cli")


def upward_imports(paths: list[Path]) -> list[str]:
    found = []
    for path in paths:
        for name in sorted(imported_modules(path)):
            if any(name == top or name.startswith(top + ".") for top in ABOVE_ALERTS):
                found.append(f"{path.relative_to(PACKAGE)} imports {name}")
    return found


def test_no_alert_module_imports_a_layer_above_it() -> None:
    modules = sorted((PACKAGE / "alerts").rglob("*.py"))
    assert len(modules) >= 8  # the folder was found and read
    assert upward_imports(modules) == []


def test_the_installation_helpers_import_only_the_settings() -> None:
    internal = {n for n in imported_modules(PACKAGE / "installation.py") if n.startswith("jianbao")}
    assert internal and all(n.startswith("jianbao.config") for n in internal)


def test_an_alert_notice_loads_no_pipeline() -> None:
    """What the alert pages import (the job, the store, the dry run) loads neither the
    scheduler nor the collection pipeline."""
    probe = (
        "import sys, jianbao.alerts.job, jianbao.alerts.store, jianbao.alerts.dryrun\n"
        "print(sorted(m for m in sys.modules if m.startswith(('jianbao.jobs', 'jianbao.pipeline'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == "[]"
