"""jianbao.web: the editor's workstation (FastAPI, Jinja2 templates, htmx, ECharts).

``create_app(settings)`` builds the application; ``serve(settings, host, port)`` runs it
with uvicorn (what ``jianbao serve`` calls).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jianbao.config import Settings


def serve(
    settings: Settings,
    host: str = "127.0.0.1",
    port: int = 8000,
    *,
    secure_cookies: bool = False,
    log_level: str = "info",
) -> None:
    """Run the workstation until interrupted (Ctrl+C)."""
    import uvicorn

    from jianbao.web.app import create_app

    app = create_app(settings, secure_cookies=secure_cookies)
    uvicorn.run(app, host=host, port=port, log_level=log_level, proxy_headers=True)


__all__ = ["serve"]
