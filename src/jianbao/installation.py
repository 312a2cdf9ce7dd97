"""Where and when this installation is, read from its settings: the time zone its
schedule keeps and the workstation's address that notices link to.

Two one-line answers that several layers need — the scheduler (``jobs``), the alerts
(a quiet-hour window is local time, a notice links to the workstation) and the web pages.
They sit here, beside the settings and below every stage, so that a middle-layer
package such as ``alerts`` never reaches up into ``jobs`` for them (review finding 11).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from jianbao.config import Settings

#: the workstation's address when ``web_url`` is not set (``jianbao web``'s default)
DEFAULT_WEB_URL = "http://127.0.0.1:8000"


def schedule_zone(settings: Settings) -> ZoneInfo:
    """The zone the schedule, the working-day calendar and the quiet hours are read in."""
    return ZoneInfo(settings.timezone)


def workstation_url(settings: Settings, path: str) -> str:
    """A link into the workstation (``web_url``, else the local default address)."""
    base = (settings.web_url or DEFAULT_WEB_URL).rstrip("/")
    return f"{base}{path}"
