"""The ``jianbao`` command: one module per command group, as the web has one per screen.

Each command parses its input, calls one function of the middle layer and prints the
result. :func:`main` turns jianbao's errors into one clear line and a non-zero exit;
``--debug`` shows the traceback.
"""

from __future__ import annotations

import sys

from jianbao.cli.common import app, err_console, state
from jianbao.errors import JianbaoError, disk_full
from jianbao.i18n import Messages

# Each command group registers its commands on ``app`` when imported.
from jianbao.cli import (  # noqa: F401  isort: skip
    setup,
    sources,
    collection,
    issues,
    accounts,
    deliver,
    run,
    worker,
    schedule,
    demo,
    archive,
    alerts,
    stories,
    judging,
)

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: run the app, turning jianbao's errors into one clear line."""
    try:
        app()
    except Exception as exc:
        if state.debug:
            raise
        # jianbao's own errors, and a full disk (no bug either): say what to do
        error = exc if isinstance(exc, JianbaoError) else disk_full(exc)
        if error is not None:
            err_console.print(
                Messages(_language())("error", text=error), markup=False, highlight=False
            )
            sys.exit(1)
        # a bug: say so plainly, traceback only with --debug
        err_console.print(
            Messages(_language())("unexpected", text=f"{type(exc).__name__}: {exc}"),
            markup=False,
            highlight=False,
        )
        sys.exit(2)


def _language() -> str:
    """The settings' language, or Chinese when the settings are what failed: called from
    ``main``'s error handler, it must not raise the same error a second time."""
    try:
        return state.get_settings().language
    except Exception:
        return "zh"
