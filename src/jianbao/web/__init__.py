"""jianbao.web: the editor's workstation (FastAPI, Jinja2 templates, htmx, ECharts).

``create_app(settings)`` builds the application; ``serve(settings, host, port)`` runs it
with uvicorn (what ``jianbao serve`` calls).

With ``workers`` above one, uvicorn starts that many processes, each building its own app
from the settings handed down in the environment (:func:`app_from_environment`); they share
the store, the session signing key (a file in the data folder) and nothing else, which is
all they need: every cached list is checked against the store's revision.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fastapi import FastAPI

    from jianbao.config import Settings

_SETTINGS_ENV = "JIANBAO_WEB_SETTINGS_JSON"
_SECURE_ENV = "JIANBAO_WEB_SECURE_COOKIES"


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    secure_cookies: bool = False,
    workers: int = 1,
    log_level: str = "info",
) -> None:
    """Run the workstation until interrupted (Ctrl+C), in ``workers`` processes."""
    import uvicorn

    from jianbao.web.app import create_app

    if workers <= 1:
        app = create_app(settings, secure_cookies=secure_cookies)
        uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=True)
        return
    os.environ[_SETTINGS_ENV] = settings.model_dump_json()
    os.environ[_SECURE_ENV] = "1" if secure_cookies else ""
    uvicorn.run(
        "jianbao.web:app_from_environment",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level=log_level,
        proxy_headers=True,
    )


def app_from_environment() -> FastAPI:
    """The app of one worker process, from the settings :func:`serve` handed down."""
    from jianbao.config import Settings
    from jianbao.web.app import create_app

    settings = Settings.model_validate_json(os.environ[_SETTINGS_ENV])
    return create_app(settings, secure_cookies=bool(os.environ.get(_SECURE_ENV)))


__all__ = ["app_from_environment", "serve"]
