"""Imported last by the prepare workers' fork server as it starts: prepares a page of
its own before the first worker is forked (:func:`jianbao.prepare.warm_up`), so that
every worker shares what preparing loads instead of loading its own copy.

The risk classifier's file comes in the environment (``WARM_RISK_FILE``): a fork server
imports module names, nothing else. Warming up only saves memory: when it fails, the
workers load what they need themselves, as they did before, and the failure is logged.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from jianbao.prepare import WARM_RISK_FILE, warm_up

_risk_file = os.environ.get(WARM_RISK_FILE)
try:
    warm_up(Path(_risk_file) if _risk_file else None)
except Exception:  # never the fork server's end: the workers then load what they need
    logging.getLogger("jianbao.prepare").warning("工作进程预热失败（不影响采集）", exc_info=True)
