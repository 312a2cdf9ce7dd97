"""Templates: one Jinja2 environment per app, the page context, and htmx partials.

Autoescaping is on for every template; the only HTML from articles that reaches a page
goes through ``safe_article_html`` (the nh3 sanitizer, run last). Static URLs carry a
content hash (``/static/app.css?v=…``) so they can be cached for a year.
"""

from __future__ import annotations

import hashlib
import html
import re
from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from jianbao.extract.sanitize import sanitize_html
from jianbao.records import SHANGHAI
from jianbao.web.cache import CSRF_SLOT
from jianbao.web.i18n import WebMessages
from jianbao.web.security import (
    LANG_COOKIE,
    client_is_htmx,
    current_user,
    safe_href,
    url_part,
    web_session,
)

HERE = Path(__file__).parent
TEMPLATES = HERE / "templates"
STATIC = HERE / "static"


def static_versions() -> dict[str, str]:
    """A short content hash per static file, for cache-busting URLs."""
    versions = {}
    for path in STATIC.rglob("*"):
        if path.is_file():
            rel = path.relative_to(STATIC).as_posix()
            versions[rel] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
    return versions


def fmt_time(value: datetime | None, pattern: str = "%Y-%m-%d %H:%M") -> str:
    if value is None:
        return "-"
    return value.astimezone(SHANGHAI).strftime(pattern)


def fmt_date(value: date | datetime | None) -> str:
    if value is None:
        return "-"
    if isinstance(value, datetime):
        value = value.astimezone(SHANGHAI).date()
    return value.isoformat()


def safe_article_html(fragment: str | None, paragraphs: str = "") -> Markup:
    """An article's body as inert HTML: the stored HTML re-sanitized, else escaped text."""
    if fragment:
        return Markup(sanitize_html(fragment))
    parts = [p for p in paragraphs.split("\n") if p.strip()]
    return Markup("".join(f"<p>{html.escape(p)}</p>" for p in parts))


def highlight(text: str, terms: list[str]) -> Markup:
    """``text`` escaped, with every occurrence of the terms wrapped in <mark>."""
    escaped = html.escape(text)
    wanted = [html.escape(t) for t in terms if t]
    if not wanted:
        return Markup(escaped)
    pattern = re.compile("|".join(re.escape(t) for t in sorted(wanted, key=len, reverse=True)))
    return Markup(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["time"] = fmt_time
    env.filters["day"] = fmt_date
    env.filters["safe_href"] = safe_href  # every stored URL that becomes a link
    env.filters["url_part"] = url_part  # every stored name put into a URL path
    env.globals["highlight"] = highlight
    return env


class Pages:
    """Renders templates with the context every page needs."""

    def __init__(self, default_language: str):
        self.env = make_environment()
        self.versions = static_versions()
        self.default_language = default_language

    def static(self, rel: str) -> str:
        return f"/static/{rel}?v={self.versions.get(rel, '0')}"

    def language(self, request: Request) -> str:
        lang = request.cookies.get(LANG_COOKIE, self.default_language)
        return lang if lang in ("zh", "en") else "zh"

    def csrf(self, request: Request) -> str:
        session = getattr(request.state, "web_session", None)
        return web_session(request).csrf if session else ""

    def context(self, request: Request, **values: Any) -> dict[str, Any]:
        lang = self.language(request)
        return {
            "request": request,
            "t": WebMessages(lang),
            "lang": lang,
            "user": current_user(request),
            "csrf": self.csrf(request),
            "static": self.static,
            "path": request.url.path,
            **values,
        }

    def fragment(self, request: Request, template: str, **values: Any) -> str:
        """A template rendered for caching: the CSRF token left as a slot
        (see :mod:`jianbao.web.cache`)."""
        context = self.context(request, **values)
        context["csrf"] = CSRF_SLOT
        return self.env.get_template(template).render(context)

    def render(
        self,
        request: Request,
        template: str,
        *,
        partial: str | None = None,
        status_code: int = 200,
        headers: dict[str, str] | None = None,
        **values: Any,
    ) -> HTMLResponse:
        """The full page, or ``partial`` alone when htmx asks (the same route serves both)."""
        name = partial if partial and client_is_htmx(request) else template
        body = self.env.get_template(name).render(self.context(request, **values))
        return HTMLResponse(body, status_code=status_code, headers=headers)
